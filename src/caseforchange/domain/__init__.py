"""The pydantic models of a programme and the located-problem currency (problems.py)."""
