"""Any report as one self-contained HTML document (charts as inline SVG, or PNG for print)."""

from __future__ import annotations

import base64

from markupsafe import Markup, escape

from caseforchange.chartstyle import Chart
from caseforchange.reports.blocks import Report, Table, chart_table, format_cell
from caseforchange.reports.templating import shipped_environment


def render_table(table: Table) -> Markup:
    """Return the HTML of one captioned table, number columns right-aligned (headers too)."""
    head = "".join(
        f'<th scope="col"{" class=num" if table.numeric(i) else ""}>{escape(c)}</th>'
        for i, c in enumerate(table.columns)
    )
    body = []
    for row in table.rows:
        cells = []
        for index, value in enumerate(row):
            fmt = table.format_of(index)
            css = ' class="num"' if table.numeric(index) else ""
            text = escape(format_cell(value, fmt))
            tag = "th" if index == 0 else "td"
            scope = ' scope="row"' if index == 0 else ""
            cells.append(f"<{tag}{scope}{css}>{text}</{tag}>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    wide = " wide" if table.wide else ""
    return Markup(
        f'<div class="table-wrap{wide}"><table><caption>{escape(table.caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )


def _png_data(chart: Chart) -> str:
    return base64.b64encode(chart.png).decode("ascii")


def _chart_data(chart: Chart) -> Markup:
    return render_table(chart_table(chart))


def render_html(report: Report, *, raster: bool = False) -> str:
    """Return the report as a complete, self-contained HTML document.

    Charts are inline SVG; with ``raster`` (for print) charts with PNG bytes are embedded as
    PNG images, which the PDF printer lays out many times faster than SVG text.
    """
    template = shipped_environment(True).get_template("document.html.j2")
    return template.render(
        report=report,
        render_table=render_table,
        chart_data=_chart_data,
        raster=raster,
        png_data=_png_data,
        appendix_letter=lambda i: chr(ord("A") + i),
        css_title=css_string(report.title),
    )


def css_string(text: str) -> Markup:
    """Return ``text`` safe inside a double-quoted CSS string in a <style> element."""
    out = []
    for ch in text:
        if ch.isalnum() or ch in " .,:;()'-–—&/":
            out.append(ch)
        else:
            out.append(f"\\{ord(ch):x} ")
    return Markup("".join(out))


def html_bytes(report: Report) -> bytes:
    """Return the report's HTML as UTF-8 bytes."""
    return render_html(report).encode("utf-8")
