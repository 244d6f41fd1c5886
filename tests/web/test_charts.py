"""Charts on web pages: their data tables read as the reports do, numbers right-aligned."""

from __future__ import annotations

import base64

from caseforchange.chartstyle import Chart
from caseforchange.web.charts import chart_image


def test_numbers_are_formatted_by_their_column_and_flagged_numeric() -> None:
    chart = Chart(
        "Costs",
        "<svg></svg>",
        "Two options' costs.",
        ["option", "net present cost", "value", "note"],
        [["A", 1234567.8, 0.61249, None], ["B", None, 0.5, "=SUM(A1)"]],
        formats=["text", "gbp", "dec3"],
    )
    image = chart_image(chart)
    assert image.rows == [["A", "£1,234,568", "0.612", ""], ["B", "—", "0.500", "=SUM(A1)"]]
    assert image.numeric == [False, True, True, False]
    assert base64.b64decode(image.src.split(",", 1)[1]) == b"<svg></svg>"


def test_a_chart_without_formats_shows_its_values_as_given() -> None:
    image = chart_image(Chart("Weeks", "<svg/>", "alt", ["week", "n"], [["1", 12]]))
    assert image.rows == [["1", "12"]] and image.numeric == [False, False]
