"""A programme folder: ``programme.yaml`` plus ``scores.csv``, read and written whole."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path as FilePath
from typing import Any

import yaml

from caseforchange.domain.problems import InvalidInput, Problem
from caseforchange.domain.programme import Programme
from caseforchange.io.atomic import Staging, staged_folder
from caseforchange.io.limits import check_file_size, read_limited
from caseforchange.io.scores_csv import read_scores_text, scores_text
from caseforchange.io.text import decode_bytes
from caseforchange.io.validation import validate_programme
from caseforchange.io.yamlsource import SourceMap, load_yaml_text

PROGRAMME_FILE = "programme.yaml"
SCORES_FILE = "scores.csv"


@dataclass
class LoadedProgramme:
    """A validated programme and where it came from."""

    programme: Programme
    root: FilePath
    file_hashes: dict[str, str] = field(default_factory=dict)
    source: SourceMap = field(default_factory=lambda: SourceMap(default="?"))


def sha256(path: FilePath) -> str:
    """Return the hex SHA-256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_programme(root: FilePath) -> LoadedProgramme:
    """Read and validate the programme folder at ``root``.

    Returns:
        The validated programme with the SHA-256 of each input file.

    Raises:
        InvalidInput: with every problem found, each located by file and line.
    """
    if root.is_file():
        raise InvalidInput([Problem((), "expected a programme folder", str(root))])
    yaml_path = root / PROGRAMME_FILE
    if not yaml_path.exists():
        raise InvalidInput([Problem((), f"no {PROGRAMME_FILE} in this folder", str(root))])
    yaml_bytes = read_limited(yaml_path, str(yaml_path))
    scores_path = root / SCORES_FILE
    scores_bytes = read_limited(scores_path, str(scores_path)) if scores_path.exists() else None
    programme, source = programme_from_bytes(
        yaml_bytes, str(yaml_path), scores_bytes, str(scores_path)
    )
    hashes = {PROGRAMME_FILE: hashlib.sha256(yaml_bytes).hexdigest()}
    if scores_bytes is not None:
        hashes[SCORES_FILE] = hashlib.sha256(scores_bytes).hexdigest()
    return LoadedProgramme(programme, root, hashes, source)


def programme_from_bytes(
    yaml_bytes: bytes,
    yaml_name: str,
    scores_bytes: bytes | None = None,
    scores_name: str = SCORES_FILE,
) -> tuple[Programme, SourceMap]:
    """Validate a programme from the bytes of its ``programme.yaml`` and ``scores.csv``.

    ``yaml_name`` and ``scores_name`` are how the files are named in messages (an upload's
    own name, say), so no folder is needed.

    Returns:
        The programme and the map of where each field came from.

    Raises:
        InvalidInput: with every problem found, located as ``NAME:LINE``.
    """
    check_file_size(len(yaml_bytes), yaml_name)
    text = decode_bytes(yaml_bytes, yaml_name, "utf-8").text
    data, source = load_yaml_text(text, yaml_name)
    if isinstance(data, dict) and "scores" in data:
        raise InvalidInput(
            source.place([Problem(("scores",), f"keep scores in {SCORES_FILE}, not in the YAML")])
        )
    if scores_bytes is not None and isinstance(data, dict):
        check_file_size(len(scores_bytes), scores_name)
        scores = decode_bytes(scores_bytes, scores_name, "utf-8").text
        records, score_source = read_scores_text(scores, scores_name)
        data["scores"] = records
        source.merge(score_source)
    return validate_programme(data, source), source


def programme_document(programme: Programme) -> dict[str, Any]:
    """Return the programme as the plain data of ``programme.yaml`` (scores excluded)."""
    data = programme.model_dump(mode="json", exclude={"scores"}, exclude_defaults=True)
    # Fields whose defaults are empty are still shown when they matter to a reader.
    for key in ("id", "title", "commissioner", "scope"):
        data.setdefault(key, getattr(programme, key))
    return _ordered(data, list(Programme.model_fields))


def _ordered(data: dict[str, Any], order: list[str]) -> dict[str, Any]:
    return {k: data[k] for k in order if k in data}


def dump_yaml(data: Any) -> str:
    """Return ``data`` as block-style YAML that keeps key order and Unicode."""
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def write_programme(programme: Programme, root: FilePath, *, header: str = "") -> None:
    """Write ``programme`` as a folder at ``root``, atomically.

    The files are first written beside ``root`` and then moved into place, so a failure
    leaves nothing half-written. An existing ``programme.yaml``/``scores.csv`` is replaced;
    other files in ``root`` are kept.

    Raises:
        InvalidInput: when ``root`` is a file or cannot be written (nothing is changed).
    """
    with staged_folder(root) as staging:
        stage_programme(staging, programme, header=header)
    if not programme.scores and (root / SCORES_FILE).is_file():
        (root / SCORES_FILE).unlink()


def stage_programme(staging: Staging, programme: Programme, *, header: str = "") -> None:
    """Write ``programme.yaml`` (and ``scores.csv`` when there are scores) into ``staging``."""
    staging.write_text(PROGRAMME_FILE, header + dump_yaml(programme_document(programme)))
    if programme.scores:
        staging.write_text(SCORES_FILE, scores_text(programme.scores))
