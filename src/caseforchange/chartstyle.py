"""What every chart shares: palette, date numbers and the chart record.

The colour-blind-safe palette, matplotlib's date numbers, and the chart record (SVG, text
alternative, data table) the engagement and workshop charts return.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass, field

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

#: Okabe and Ito's palette, distinguishable with the common colour-vision deficiencies.
OKABE_ITO: tuple[str, ...] = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#000000",
)


#: Hatching for series past the palette: each pass through the palette gets its own pattern.
HATCHES: tuple[str, ...] = ("", "////", "....", "xxxx", "\\\\\\\\", "++++")


def _tint(hex_colour: str, share: float) -> str:
    """Return ``hex_colour`` mixed with white (``share`` of white, 0..1)."""
    rgb = [int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)]
    mixed = [round(c + (255 - c) * share) for c in rgb]
    return "#" + "".join(f"{c:02X}" for c in mixed)


def colour(index: int) -> str:
    """Return a distinct colour for series ``index``.

    The palette's eight first; past it, lighter tints of the palette (so no colour repeats
    within a chart), which :func:`hatch` also marks with a pattern.
    """
    base = OKABE_ITO[index % len(OKABE_ITO)]
    cycle = index // len(OKABE_ITO)
    return base if cycle == 0 else _tint(base, min(0.8, 0.45 * cycle))


def hatch(index: int) -> str:
    """Return the hatch pattern of series ``index``: none within the palette, then one per pass."""
    return HATCHES[(index // len(OKABE_ITO)) % len(HATCHES)]


def day_number(day: dt.date) -> float:
    """Return a date as matplotlib's day number (days since 1970-01-01)."""
    return float((day - dt.date(1970, 1, 1)).days)


#: A value in a chart's data table: text or a number (None when missing).
ChartCell = str | float | int | None


@dataclass
class Chart:
    """A chart: its SVG, a text alternative, and the data it shows as a table.

    The one chart record of the product: the web shows the SVG, the PDF and Word use ``png``
    when it is given (the SVG otherwise), and ``formats`` says how each data column is shown
    (see ``caseforchange.reports.blocks.ColumnFormat``; text when not given).
    """

    title: str
    svg: str
    alt: str
    columns: list[str]
    rows: Sequence[Sequence[ChartCell]] = field(default_factory=list)
    #: A PNG rendering for documents that cannot hold SVG (Word); empty when not made.
    png: bytes = b""
    formats: list[str] = field(default_factory=list)
    #: The share of the text width the chart takes in print (PDF and Word): a summary's small
    #: chart sits at half width; the web scales every chart to its container.
    width: float = 1.0
    #: The workbook sheet the chart's data table goes to (none: not in the workbook).
    sheet: str | None = None

    @property
    def caption(self) -> str:
        """The chart's caption (its title)."""
        return self.title


def svg_markup(figure: Figure) -> str:
    """Return the figure as SVG markup that can sit inline in HTML, and close the figure.

    Text stays text (searchable, and readable by the tests); the output is reproducible.
    """
    buffer = io.StringIO()
    with plt.rc_context({"svg.fonttype": "none", "svg.hashsalt": "caseforchange"}):
        figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(figure)
    text = buffer.getvalue()
    # Drop the XML prolog and DOCTYPE so the SVG can sit inline in HTML.
    start = text.find("<svg")
    return text[start:] if start >= 0 else text


def png_bytes(figure: Figure, dpi: int = 200) -> bytes:
    """Return the figure as PNG bytes (leaving it open, so it can also be saved as SVG)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight", metadata={"Software": None})
    return buffer.getvalue()
