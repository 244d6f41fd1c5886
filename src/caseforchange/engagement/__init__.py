"""Stakeholder engagement and consultation analysis: plans, seating, workshops, statistics."""
