"""Built-in reference data: organisational forms, criteria frameworks and scales."""
