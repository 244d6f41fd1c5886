"""Web app: scoring workshops, join codes, the phone pass, rate limit and reveal."""
