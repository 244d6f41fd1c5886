"""caseforchange: options appraisal, engagement and flow modelling for community services."""

__version__ = "0.1.0"
