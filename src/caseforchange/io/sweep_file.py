"""Reading a sweep file (YAML): the grid of a scenario sweep, with every problem located."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from caseforchange.domain.problems import InvalidInput, Problem
from caseforchange.flow.sweep import Sweep
from caseforchange.io.validation import problems_from_validation
from caseforchange.io.yamlsource import SourceMap, load_yaml_file, load_yaml_text


def validate_sweep(data: Any, source: SourceMap) -> Sweep:
    """Return the sweep in parsed YAML data.

    Raises:
        InvalidInput: the data are not a mapping or break the sweep's rules (an unknown field,
            a staff scale of 0, a value listed twice, too many points); located through
            ``source``.
    """
    if not isinstance(data, dict):
        raise InvalidInput(source.place([Problem((), "a sweep file must be a mapping of fields")]))
    try:
        return Sweep.model_validate(data)
    except ValidationError as error:
        raise InvalidInput(source.place(problems_from_validation(error, data))) from None


def load_sweep(path: Path) -> tuple[Sweep, SourceMap]:
    """Return the sweep in a YAML file and its source map (to place later problems).

    Raises:
        InvalidInput: the file is missing, not YAML (or has a duplicate key), or breaks the
            sweep's rules; each problem carries ``FILE:LINE`` and the field.
    """
    data, source = load_yaml_file(path)
    return validate_sweep(data, source), source


def parse_sweep(text: str, name: str = "sweep.yaml") -> tuple[Sweep, SourceMap]:
    """Return the sweep written in YAML ``text`` (shown as ``name`` in messages).

    Raises:
        InvalidInput: as :func:`load_sweep`.
    """
    data, source = load_yaml_text(text, name)
    return validate_sweep(data, source), source
