"""Adapters between files (YAML, CSV, Excel, survey exports) and the domain, with located errors."""
