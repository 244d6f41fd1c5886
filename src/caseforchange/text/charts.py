"""The themes chart: each theme's share of themed responses with its 95% Wilson interval."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt

from caseforchange.chartstyle import OKABE_ITO, Chart, svg_markup
from caseforchange.text.outputs import ThemeCount


def themes_chart(counts: Sequence[ThemeCount]) -> Chart:
    """Return a horizontal bar chart of theme shares (%, with 95% Wilson intervals)."""
    names = [c.name for c in counts]
    shares = [100 * c.share.fraction for c in counts]
    low = [s - 100 * c.share.low for s, c in zip(shares, counts, strict=True)]
    high = [100 * c.share.high - s for s, c in zip(shares, counts, strict=True)]
    figure, axes = plt.subplots(figsize=(7.0, 0.45 * max(len(counts), 2) + 1.0))
    axes.barh(range(len(counts)), shares, color=OKABE_ITO[0], height=0.6)
    axes.errorbar(
        shares, range(len(counts)), xerr=[low, high], fmt="none", ecolor="#000000", capsize=3
    )
    axes.set_yticks(range(len(counts)), [n[:40] for n in names], fontsize=8)
    axes.invert_yaxis()
    axes.set_xlim(0, 100)
    axes.set_xlabel("% of responses with a theme (bars: 95% Wilson interval)")
    axes.spines[["top", "right"]].set_visible(False)
    rows = [
        [
            c.name,
            str(c.share.count),
            f"{100 * c.share.fraction:.1f}%",
            f"{100 * c.share.low:.1f}% to {100 * c.share.high:.1f}%",
        ]
        for c in counts
    ]
    alt = "; ".join(f"{c.name}: {100 * c.share.fraction:.0f}%" for c in counts)
    return Chart(
        "Themes raised",
        svg_markup(figure),
        f"Bar chart of the share of themed responses raising each theme. {alt}.",
        ["theme", "responses", "%", "95% interval"],
        rows,
    )
