"""Read YAML while remembering the line of every field, so errors can point at it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path as FilePath
from typing import Any

import yaml

from caseforchange.domain.problems import InvalidInput, Path, Problem
from caseforchange.io.limits import limits, read_limited
from caseforchange.io.text import check_characters, decode_bytes


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


class _Walk:
    """Records the line of every field, counting nodes as aliases expand them.

    ``yaml.safe_load`` shares an aliased value, but every later step (this walk, validation)
    visits it once per use: nine nested aliases of nine items each are 387 million nodes.
    The walk stops at the limit, and at an alias that contains itself.
    """

    def __init__(self, name: str, out: SourceMap, problems: list[Problem], budget: int) -> None:
        self.name = name
        self.out = out
        self.problems = problems
        self.budget = budget
        self.open: set[int] = set()
        self.max_chars = limits().max_cell_chars

    def too_large(self, node: yaml.Node) -> InvalidInput:
        return InvalidInput(
            [
                Problem(
                    (),
                    f"the document expands to more than {limits().max_yaml_nodes:,} values "
                    "through its aliases (*name); raise CASEFORCHANGE_MAX_YAML_NODES if this "
                    "is intended",
                    f"{self.name}:{node.start_mark.line + 1}",
                )
            ]
        )

    def walk(self, node: yaml.Node, path: Path) -> None:
        self.budget -= 1
        if self.budget < 0:
            raise self.too_large(node)
        if id(node) in self.open:
            raise InvalidInput(
                [
                    Problem(
                        path,
                        "this alias refers to a value that contains it (a loop)",
                        f"{self.name}:{node.start_mark.line + 1}",
                    )
                ]
            )
        name = self.name
        self.out.locations[path] = f"{name}:{node.start_mark.line + 1}"
        if isinstance(node, yaml.ScalarNode) and len(node.value) > self.max_chars:
            self.problems.append(
                Problem(
                    path,
                    f"text of {len(node.value):,} characters is over the limit of "
                    f"{self.max_chars:,} (CASEFORCHANGE_MAX_CELL_CHARS)",
                    f"{name}:{node.start_mark.line + 1}",
                )
            )
        elif isinstance(node, yaml.MappingNode):
            self.open.add(id(node))
            seen: dict[str, int] = {}
            for key_node, value_node in node.value:
                key = str(key_node.value)
                line = key_node.start_mark.line + 1
                if key in seen:
                    self.problems.append(
                        Problem(
                            (*path, key),
                            f"duplicate key (first given on line {seen[key]})",
                            f"{name}:{line}",
                        )
                    )
                seen[key] = line
                self.walk(value_node, (*path, key))
                self.out.locations[(*path, key)] = f"{name}:{line}"
            self.open.discard(id(node))
        elif isinstance(node, yaml.SequenceNode):
            self.open.add(id(node))
            for index, item in enumerate(node.value):
                self.walk(item, (*path, index))
            self.open.discard(id(node))


def _check_depth(text: str, name: str) -> None:
    """Refuse nesting deeper than the limit before building anything (the composer recurses).

    Raises:
        InvalidInput: located at the line where the limit is passed.
    """
    limit = limits().max_yaml_depth
    depth = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > limit:
                line = event.start_mark.line + 1 if event.start_mark is not None else 1
                raise InvalidInput(
                    [
                        Problem(
                            (),
                            f"nested more than {limit} levels deep "
                            "(raise CASEFORCHANGE_MAX_YAML_DEPTH if this is intended)",
                            f"{name}:{line}",
                        )
                    ]
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def load_yaml_text(text: str, name: str) -> tuple[Any, SourceMap]:
    """Parse YAML ``text`` (from a file called ``name``) into data and a map of field lines.

    Raises:
        InvalidInput: on a syntax error or a duplicated key, located by line.
    """
    source = SourceMap(default=f"{name}:1")
    check_characters(text, name)
    try:
        _check_depth(text, name)
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        problems: list[Problem] = []
        if node is not None:
            _Walk(name, source, problems, limits().max_yaml_nodes).walk(node, ())
        if problems:
            raise InvalidInput(problems)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else 1
        message = f"YAML syntax error: {error.problem or error.context}"
        if error.context and error.context_mark is not None and error.problem_mark is not None:
            message += f" ({error.context} that started on line {error.context_mark.line + 1})"
        raise InvalidInput([Problem((), message, f"{name}:{line}")]) from None
    except yaml.YAMLError as error:
        raise InvalidInput([Problem((), f"YAML error: {error}", f"{name}:1")]) from None
    except (ValueError, OverflowError) as error:
        # The constructor turns some scalars into Python values and can fail on them
        # (e.g. a date such as 2010-02-30); PyYAML gives no line for those.
        raise InvalidInput([Problem((), f"cannot read a value: {error}", f"{name}:1")]) from None
    return data, source


def load_yaml_file(path: FilePath, name: str | None = None) -> tuple[Any, SourceMap]:
    """Read and parse a YAML file; ``name`` is how the file is shown in messages.

    Raises:
        InvalidInput: when the file is unreadable, not UTF-8, or not valid YAML.
    """
    shown = name or str(path)
    text = decode_bytes(read_limited(path, shown), shown, "utf-8").text
    return load_yaml_text(text, shown)
