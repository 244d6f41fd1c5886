"""Assurance: checklist items' status, decided from data where it can be."""
