"""Web app: the engagement file, consultation responses, their analysis and report."""
