"""Patient-flow modelling: referral data to flow metrics, simulation, scenarios and scores."""
