"""Run the command line with ``python -m caseforchange``."""

from caseforchange.cli.main import app

app()
