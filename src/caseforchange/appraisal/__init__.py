"""Options appraisal: weights, values, hurdles, panels, weighted totals, sensitivity and SMAA-2."""
