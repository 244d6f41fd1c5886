"""What every chart shares: the colour-blind-safe palette and matplotlib's date numbers."""

from __future__ import annotations

import datetime as dt

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
