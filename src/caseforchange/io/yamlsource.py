"""Read YAML while remembering the line of every field, so errors can point at it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path as FilePath
from typing import Any

import yaml

from caseforchange.domain.problems import InvalidInput, Path, Problem


@dataclass
class SourceMap:
    """Maps field paths to human locations (``file:line`` or ``file:Sheet!B4``)."""

    default: str
    locations: dict[Path, str] = field(default_factory=dict)

    def locate(self, path: Path) -> str:
        """Return the location of ``path``, or of its nearest recorded ancestor."""
        for end in range(len(path), 0, -1):
            found = self.locations.get(tuple(path[:end]))
            if found is not None:
                return found
        return self.default

    def merge(self, other: SourceMap, prefix: Path = ()) -> None:
        """Add ``other``'s locations, each path prefixed by ``prefix``."""
        for path, where in other.locations.items():
            self.locations[prefix + path] = where

    def place(self, problems: list[Problem]) -> list[Problem]:
        """Return the problems with their ``location`` filled in from this map."""
        return [
            p if p.location else Problem(p.path, p.message, self.locate(p.path)) for p in problems
        ]


def _walk(node: yaml.Node, path: Path, name: str, out: SourceMap, problems: list[Problem]) -> None:
    out.locations[path] = f"{name}:{node.start_mark.line + 1}"
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            line = key_node.start_mark.line + 1
            if key in seen:
                problems.append(
                    Problem(
                        (*path, key),
                        f"duplicate key (first given on line {seen[key]})",
                        f"{name}:{line}",
                    )
                )
            seen[key] = line
            _walk(value_node, (*path, key), name, out, problems)
            out.locations[(*path, key)] = f"{name}:{line}"
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*path, index), name, out, problems)


def load_yaml_text(text: str, name: str) -> tuple[Any, SourceMap]:
    """Parse YAML ``text`` (from a file called ``name``) into data and a map of field lines.

    Raises:
        InvalidInput: on a syntax error or a duplicated key, located by line.
    """
    source = SourceMap(default=f"{name}:1")
    try:
        data = yaml.safe_load(text)
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else 1
        message = f"YAML syntax error: {error.problem or error.context}"
        if error.context and error.context_mark is not None and error.problem_mark is not None:
            message += f" ({error.context} that started on line {error.context_mark.line + 1})"
        raise InvalidInput([Problem((), message, f"{name}:{line}")]) from None
    except yaml.YAMLError as error:
        raise InvalidInput([Problem((), f"YAML error: {error}", f"{name}:1")]) from None
    problems: list[Problem] = []
    if node is not None:
        _walk(node, (), name, source, problems)
    if problems:
        raise InvalidInput(problems)
    return data, source


def load_yaml_file(path: FilePath, name: str | None = None) -> tuple[Any, SourceMap]:
    """Read and parse a YAML file; ``name`` is how the file is shown in messages.

    Raises:
        InvalidInput: when the file is unreadable, not UTF-8, or not valid YAML.
    """
    shown = name or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InvalidInput([Problem((), "file not found", shown)]) from None
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidInput([Problem((), f"cannot read file: {error}", shown)]) from None
    return load_yaml_text(text, shown)
