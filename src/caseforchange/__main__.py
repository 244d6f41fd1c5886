"""Run the command line with ``python -m caseforchange``."""

from caseforchange.cli.entry import main

main()
