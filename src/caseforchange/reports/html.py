"""The report as one self-contained HTML file (charts as inline SVG)."""

from __future__ import annotations

import base64
from functools import cache
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from caseforchange.reports.blocks import Figure, Report, Table, format_cell

_NUMERIC = {"gbp", "int", "dec1", "dec2", "dec3", "pct"}


def render_table(table: Table) -> Markup:
    """Return the HTML of one captioned table, numbers right-aligned."""
    head = "".join(f'<th scope="col">{escape(c)}</th>' for c in table.columns)
    body = []
    for row in table.rows:
        cells = []
        for index, value in enumerate(row):
            fmt = table.format_of(index)
            css = ' class="num"' if fmt in _NUMERIC and not isinstance(value, str) else ""
            text = escape(format_cell(value, fmt))
            cells.append(f'<th scope="row">{text}</th>' if index == 0 else f"<td{css}>{text}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return Markup(
        f'<div class="table-wrap"><table><caption>{escape(table.caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("caseforchange.reports", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _png_data(figure: Figure) -> str:
    return base64.b64encode(figure.png).decode("ascii")


def render_html(report: Report, *, raster: bool = False) -> str:
    """Return the report as a complete, self-contained HTML document.

    Charts are inline SVG; with ``raster`` (for print) they are embedded 200 dpi PNG images,
    which the PDF printer lays out many times faster than SVG text, and every chart's data
    table is shown open.
    """
    template = _environment().get_template("report.html.j2")
    return template.render(
        report=report, render_table=render_table, raster=raster, png_data=_png_data
    )


def write_html(report: Report, path: Path) -> None:
    """Write the report's HTML to ``path``."""
    path.write_text(render_html(report), encoding="utf-8")
