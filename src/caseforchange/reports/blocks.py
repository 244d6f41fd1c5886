"""The report model: sections made of paragraphs, tables and figures, rendered four ways.

One model for every document the product writes: the Board paper, the consultation report and
the letters. A :class:`Report` is a list of :class:`Section` s; a section belongs to a ``part``
of the document (the front sheet, the main body, the appendices) and holds blocks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal, cast

from caseforchange.chartstyle import Chart

#: How a table column's numbers are shown: text, money, whole number, decimals, share.
ColumnFormat = Literal["text", "gbp", "int", "dec1", "dec2", "dec3", "pct"]
NUMERIC_FORMATS: frozenset[str] = frozenset({"gbp", "int", "dec1", "dec2", "dec3", "pct"})
Cell = str | float | int | None
#: Which part of a document a section belongs to.
Part = Literal["front", "body", "appendix"]
#: What kind of document a report is: it decides the front matter and the numbering.
Kind = Literal["paper", "consultation", "letter"]

#: A chart is the one chart record, :class:`caseforchange.chartstyle.Chart`.
Figure = Chart


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of plain text; ``emphasis`` marks a call-out (e.g. the illustrative label)."""

    text: str
    emphasis: bool = False


@dataclass(frozen=True)
class Bullets:
    """A bulleted list, with an optional lead-in line."""

    items: list[str]
    lead: str = ""


@dataclass(frozen=True)
class Table:
    """A captioned table; ``formats`` gives one :data:`ColumnFormat` per column.

    ``sheet`` names the workbook sheet the table goes to (none: not in the workbook);
    ``wide`` asks for a landscape page in print and Word.
    """

    caption: str
    columns: list[str]
    rows: list[list[Cell]]
    formats: list[ColumnFormat] = field(default_factory=list)
    sheet: str | None = None
    wide: bool = False

    def format_of(self, index: int) -> ColumnFormat:
        """Return the format of column ``index`` (text when none is given)."""
        return self.formats[index] if index < len(self.formats) else "text"

    def numeric(self, index: int) -> bool:
        """True when column ``index`` holds numbers (right-aligned, header included)."""
        return self.format_of(index) in NUMERIC_FORMATS


Block = Paragraph | Bullets | Table | Figure


@dataclass
class Section:
    """A headed section: ``level`` 2 for a section, 3 for a subsection."""

    key: str
    title: str
    blocks: list[Block] = field(default_factory=list)
    part: Part = "body"
    level: int = 2


@dataclass(frozen=True)
class ScoreModel:
    """The appraisal as an analyst rebuilds it: weights, 0-1 values, and the engine's totals.

    ``values[i][j]`` is option i's value on criterion j; the weighted total of option i is
    ``sum_j weights[j] * values[i][j]``, which the engine reports as ``totals[i]``.
    """

    criteria: list[str]
    weights: list[float]
    options: list[str]
    values: list[list[float]]
    totals: list[float]


@dataclass
class Report:
    """A whole document, independent of output format.

    ``meta`` holds the labelled facts shown at the top (meeting, date, author, ...);
    ``stamp`` is the short illustrative stamp printed in every page header, if any.
    """

    title: str
    subtitle: str
    programme_id: str
    illustrative_note: str | None
    date: str
    sections: list[Section]
    provenance: dict[str, str]
    kind: Kind = "paper"
    meta: list[tuple[str, str]] = field(default_factory=list)
    model: ScoreModel | None = None

    @property
    def stamp(self) -> str | None:
        """The page-header stamp: 'Illustrative data' when any data are illustrative."""
        return "Illustrative data" if self.illustrative_note else None

    def section(self, key: str) -> Section:
        """Return the section with ``key``.

        Raises:
            KeyError: when the report has no such section.
        """
        for section in self.sections:
            if section.key == key:
                return section
        raise KeyError(key)

    def part(self, part: Part) -> list[Section]:
        """Return the sections of one part of the document, in order."""
        return [s for s in self.sections if s.part == part]

    def tables(self) -> list[Table]:
        """Return every table in the report, with each chart's data table, in order."""
        found: list[Table] = []
        for section in self.sections:
            for block in section.blocks:
                if isinstance(block, Table):
                    found.append(block)
                elif isinstance(block, Chart):
                    found.append(chart_table(block))
        return found


def chart_table(chart: Chart) -> Table:
    """Return the data behind a chart as a table captioned 'Data for: <title>'.

    The table goes to the chart's workbook sheet, when it names one.
    """
    return Table(
        f"Data for: {chart.title}",
        list(chart.columns),
        [list(row) for row in chart.rows],
        cast(list[ColumnFormat], list(chart.formats)),
        sheet=chart.sheet,
    )


def format_number(value: float, fmt: ColumnFormat) -> str:
    """Return a number as the report shows it: the one rounding path for text, tables, charts."""
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


def total_text(value: float) -> str:
    """Return a weighted total (0..1) as every output shows it: three decimals."""
    return format_number(value, "dec3")


def format_cell(value: Cell, fmt: ColumnFormat) -> str:
    """Return ``value`` as text for HTML and Word, following the column format."""
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    return format_number(value, fmt)


def formats(*parts: ColumnFormat | tuple[ColumnFormat, int]) -> list[ColumnFormat]:
    """Return column formats, where ``(fmt, n)`` stands for ``n`` columns of ``fmt``."""
    out: list[ColumnFormat] = []
    for part in parts:
        if isinstance(part, tuple):
            out += [part[0]] * part[1]
        else:
            out.append(part)
    return out


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """Return '1 milestone' or '3 milestones' (``plural_form`` for irregular words)."""
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count:,} {word}"


def join_names(names: Sequence[str]) -> str:
    """Return 'A', 'A and B' or 'A, B and C'."""
    items = list(names)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
