"""Reading ``flow.yaml``: parse with line numbers, validate, check references, locate problems."""

from __future__ import annotations

from pathlib import Path as FsPath
from typing import Any

from pydantic import ValidationError

from caseforchange.domain.problems import InvalidInput, Problem
from caseforchange.flow.model import FlowModel
from caseforchange.flow.system import check_model
from caseforchange.io.validation import problems_from_validation
from caseforchange.io.yamlsource import SourceMap, load_yaml_file, load_yaml_text

#: Name of the flow model inside a programme folder.
FLOW_FILE = "flow.yaml"


def flow_file_path(path: str | FsPath) -> FsPath:
    """Return the ``flow.yaml`` meant by ``path``: the file itself, or the one in a folder."""
    file = FsPath(path)
    return file / FLOW_FILE if file.is_dir() else file


def validate_flow_model(data: Any, source: SourceMap) -> FlowModel:
    """Return the flow model in parsed YAML data, fully checked.

    Raises:
        InvalidInput: the data break the model's rules or its limits; each problem is located
            through ``source``.
    """
    if not isinstance(data, dict):
        raise InvalidInput(source.place([Problem((), "flow.yaml must be a mapping of fields")]))
    try:
        model = FlowModel.model_validate(data)
    except ValidationError as error:
        raise InvalidInput(source.place(problems_from_validation(error, data))) from None
    problems = check_model(model)
    if problems:
        raise InvalidInput(source.place(problems))
    return model


def load_flow_model(path: str | FsPath) -> FlowModel:
    """Return the flow model in a programme folder (or a ``flow.yaml`` file), fully checked.

    Raises:
        InvalidInput: the file is missing, not YAML (or has a duplicate key), or breaks the
            model's rules; each problem carries ``FILE:LINE`` and the field path.
    """
    data, source = load_yaml_file(flow_file_path(path))
    return validate_flow_model(data, source)


def parse_flow_model(text: str, name: str = FLOW_FILE) -> FlowModel:
    """Return the flow model written in YAML ``text`` (shown as ``name`` in messages).

    Raises:
        InvalidInput: as :func:`load_flow_model`.
    """
    data, source = load_yaml_text(text, name)
    return validate_flow_model(data, source)
