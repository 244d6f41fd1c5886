"""Service configurations of each option checked against dependency rules."""
