"""A programme's patient-flow model on the web: view, edit, run scenarios, see results."""
