"""The reveal's chart of the room's scores."""

from __future__ import annotations

from typing import Any

from caseforchange.web.programmes.models import ProgrammeRecord
from caseforchange.web.workshops.charts import room_chart
from caseforchange.web.workshops.repository import CellResult
from tests.web.test_workshop import join, open_session, score_all

OPTIONS = [{"id": "a", "name": "Community trust"}, {"id": "b", "name": "Acute integration"}]
CRITERIA = [
    {"id": "quality", "name": "Quality", "min": 0, "max": 10},
    {"id": "access", "name": "Access", "min": 0, "max": 10},
]


def cell(option: str, criterion: str, values: list[float]) -> CellResult:
    mean = sum(values) / len(values)
    return CellResult(option, criterion, len(values), mean, min(values), max(values), 0.0, 0.0, {})


def test_the_chart_reads_without_the_picture() -> None:
    cells = [
        cell("a", "quality", [2, 5, 8]),  # mean 5
        cell("a", "access", [6, 7, 8]),  # mean 7
        cell("b", "quality", [1, 3]),  # mean 2
    ]
    chart = room_chart(OPTIONS, CRITERIA, cells, "mean")
    assert chart.rows[0] == ["Community trust", "Quality", "5", "2", "8", "3"]
    assert chart.rows[3] == [
        "Acute integration",
        "Access",
        "no scores",
        "no scores",
        "no scores",
        "0",
    ]
    assert "Community trust: lowest on Quality (5), highest on Access (7)" in chart.alt
    assert "Acute integration: lowest on Quality (2), highest on Quality (2)" in chart.alt
    assert chart.svg.startswith("<svg")
    assert "Community trust" in chart.svg and "Acute integration" in chart.svg
    assert "room (mean)" in chart.svg


def test_the_same_figures_are_drawn_once() -> None:
    # Every phone asks for the revealed results: the second request must reuse the drawing.
    cells = [cell("a", "quality", [4, 6])]
    first = room_chart(OPTIONS, CRITERIA, cells, "mean")
    assert room_chart(OPTIONS, CRITERIA, list(cells), "mean") is first
    changed = room_chart(OPTIONS, CRITERIA, [cell("a", "quality", [4, 8])], "mean")
    assert changed is not first and changed.rows[0][2] == "6"


def test_the_reveal_shows_the_chart(as_user: Any, programme: ProgrammeRecord) -> None:
    facilitator = as_user("facilitator")
    session = open_session(facilitator, programme.slug)
    for value in (3, 6, 9):
        score_all(join(session.code), session, value)
    facilitator.post(f"/sessions/{session.pk}/action/", {"action": "close"})
    facilitator.post(f"/sessions/{session.pk}/action/", {"action": "reveal"})
    page = facilitator.get(f"/sessions/{session.pk}/results/").content.decode()
    assert 'id="room-chart"' in page and 'src="data:image/svg+xml;base64,' in page
    first = session.options[0]["name"]
    assert f"{first}: lowest on" in page and "(6)" in page  # every criterion's mean is 6
