"""Web app: programmes, their editing pages, imports and appraisal results."""
