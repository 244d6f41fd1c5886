"""The report model: sections made of paragraphs, tables and figures, rendered four ways."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

#: How a table column's numbers are shown: text, money, whole number, one decimal, share.
ColumnFormat = Literal["text", "gbp", "int", "dec1", "dec2", "dec3", "pct"]
Cell = str | float | int | None


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of plain text; ``emphasis`` marks a call-out (e.g. the illustrative label)."""

    text: str
    emphasis: bool = False


@dataclass(frozen=True)
class Bullets:
    """A bulleted list."""

    items: list[str]


@dataclass(frozen=True)
class Table:
    """A captioned table; ``formats`` gives one :data:`ColumnFormat` per column."""

    caption: str
    columns: list[str]
    rows: list[list[Cell]]
    formats: list[ColumnFormat] = field(default_factory=list)
    sheet: str | None = None

    def format_of(self, index: int) -> ColumnFormat:
        """Return the format of column ``index`` (text when none is given)."""
        return self.formats[index] if index < len(self.formats) else "text"


@dataclass(frozen=True)
class Figure:
    """A chart: SVG markup, PNG bytes for Word, a text alternative and the data shown."""

    caption: str
    svg: str
    png: bytes
    alt: str
    data: Table


Block = Paragraph | Bullets | Table | Figure


@dataclass
class Section:
    """A numbered section of the report with its blocks and optional subsections."""

    key: str
    title: str
    blocks: list[Block] = field(default_factory=list)


@dataclass
class Report:
    """The whole case for change, independent of output format."""

    title: str
    subtitle: str
    programme_id: str
    illustrative_note: str | None
    date: str
    sections: list[Section]
    provenance: dict[str, str]

    def section(self, key: str) -> Section:
        """Return the section with ``key``.

        Raises:
            KeyError: when the report has no such section.
        """
        for section in self.sections:
            if section.key == key:
                return section
        raise KeyError(key)


def format_cell(value: Cell, fmt: ColumnFormat) -> str:
    """Return ``value`` as text for HTML and Word, following the column format."""
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    if fmt == "gbp":
        return f"£{value:,.0f}"
    if fmt == "int":
        return f"{value:,.0f}"
    if fmt == "dec1":
        return f"{value:,.1f}"
    if fmt == "dec2":
        return f"{value:.2f}"
    if fmt == "dec3":
        return f"{value:.3f}"
    if fmt == "pct":
        return f"{100 * value:.1f}%"
    return f"{value:g}"


def formats(*parts: ColumnFormat | tuple[ColumnFormat, int]) -> list[ColumnFormat]:
    """Return column formats, where ``(fmt, n)`` stands for ``n`` columns of ``fmt``."""
    out: list[ColumnFormat] = []
    for part in parts:
        if isinstance(part, tuple):
            out += [part[0]] * part[1]
        else:
            out.append(part)
    return out
