"""Web app: user accounts and roles per programme."""
