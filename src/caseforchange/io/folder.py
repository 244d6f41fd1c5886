"""A programme folder: ``programme.yaml`` plus ``scores.csv``, read and written whole."""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path as FilePath
from typing import Any

import yaml

from caseforchange.domain.problems import InvalidInput, Problem
from caseforchange.domain.programme import Programme
from caseforchange.io.scores_csv import read_scores, write_scores
from caseforchange.io.validation import validate_programme
from caseforchange.io.yamlsource import SourceMap, load_yaml_file

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
    data, source = load_yaml_file(yaml_path, str(yaml_path))
    if isinstance(data, dict) and "scores" in data:
        raise InvalidInput(
            source.place([Problem(("scores",), f"keep scores in {SCORES_FILE}, not in the YAML")])
        )
    hashes = {PROGRAMME_FILE: sha256(yaml_path)}
    scores_path = root / SCORES_FILE
    if scores_path.exists() and isinstance(data, dict):
        records, score_source = read_scores(scores_path, str(scores_path))
        data["scores"] = records
        source.merge(score_source)
        hashes[SCORES_FILE] = sha256(scores_path)
    programme = validate_programme(data, source)
    return LoadedProgramme(programme, root, hashes, source)


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

    The folder is first written beside ``root`` and then moved into place, so a failure
    leaves nothing half-written. An existing ``programme.yaml``/``scores.csv`` is replaced;
    other files in ``root`` are kept.
    """
    root.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=root.parent, prefix=f".{root.name}-") as tmp:
        staging = FilePath(tmp)
        (staging / PROGRAMME_FILE).write_text(
            header + dump_yaml(programme_document(programme)), encoding="utf-8"
        )
        if programme.scores:
            write_scores(programme.scores, staging / SCORES_FILE)
        root.mkdir(exist_ok=True)
        for name in (PROGRAMME_FILE, SCORES_FILE):
            target = root / name
            if (staging / name).exists():
                shutil.move(str(staging / name), target)
            elif target.exists():
                target.unlink()
