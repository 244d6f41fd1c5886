"""Open a programme from whichever form the user has: a folder or an Excel workbook."""

from __future__ import annotations

from pathlib import Path

from caseforchange.domain.problems import InvalidInput, Problem
from caseforchange.io.folder import LoadedProgramme, load_programme


def load_any(path: Path) -> LoadedProgramme:
    """Load a programme folder, or a workbook when ``path`` ends in ``.xlsx``.

    Raises:
        InvalidInput: when the path does not exist or the programme has problems.
    """
    if not path.exists():
        raise InvalidInput([Problem((), "no such file or folder", str(path))])
    if path.suffix.lower() == ".xlsx":
        from caseforchange.io.workbook import read_workbook

        return read_workbook(path)
    return load_programme(path)
