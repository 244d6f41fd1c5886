"""What every chart shares: the colour-blind-safe palette, matplotlib's date numbers, and the
chart record (SVG, text alternative, data table) the engagement and workshop charts return."""

from __future__ import annotations

import datetime as dt
import io
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


def colour(index: int) -> str:
    """Return the palette's colour for series ``index`` (cycling)."""
    return OKABE_ITO[index % len(OKABE_ITO)]


def day_number(day: dt.date) -> float:
    """Return a date as matplotlib's day number (days since 1970-01-01)."""
    return float((day - dt.date(1970, 1, 1)).days)


@dataclass
class Chart:
    """A chart: its SVG, a text alternative, and the data it shows as a table."""

    title: str
    svg: str
    alt: str
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)
    #: A PNG rendering for documents that cannot hold SVG (Word); empty when not made.
    png: bytes = b""


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
