"""Engagement charts: the stakeholder map (numbered markers that never overlap, and a key naming
every group) and the timeline."""

from __future__ import annotations

import itertools
import math
import random
import re
import xml.etree.ElementTree as ET

import pytest

from caseforchange.domain.engagement import StakeholderGroup
from caseforchange.engagement.charts import (
    MARKER_PT,
    cluster_positions,
    marker_size,
    stakeholder_map_chart,
    timeline_chart,
)
from caseforchange.engagement.stakeholders import MappedGroup, stakeholder_map
from caseforchange.examples import example_path
from caseforchange.io.folder import load_programme

SVG = "{http://www.w3.org/2000/svg}"

LONG_NAME = (
    "The Shrewsbury and Telford Hospital NHS Trust & its clinical reference group for "
    "community services, older people and long-term conditions"
)


def _mapped(*groups: tuple[str, int, int]) -> list[MappedGroup]:
    mapped, unrated = stakeholder_map(
        [
            StakeholderGroup(id=f"g{i}", name=name, interest=interest, influence=influence)
            for i, (name, interest, influence) in enumerate(groups)
        ]
    )
    assert not unrated
    return mapped


def _crowded() -> list[MappedGroup]:
    """Nine groups, four of them on one point and one with a name too long for a line."""
    return _mapped(
        ("Strategic health authority", 4, 5),
        ("Telford and Wrekin PCT Board", 4, 5),
        ("Joint Health Overview and Scrutiny Committee", 4, 5),
        (LONG_NAME, 4, 5),
        ("Local GPs", 4, 4),
        ("Staff side representatives", 5, 4),
        ("Co-operation and Competition Panel", 2, 4),
        ("The wider public", 3, 2),
        ("Parish councils", 1, 1),
    )


def _groups_by_id(svg: str) -> dict[str, list[str]]:
    """Return the text inside each ``<g id=...>`` of the SVG, line by line."""
    root = ET.fromstring(svg)
    return {
        g.attrib["id"]: ["".join(t.itertext()) for t in g.iter(f"{SVG}text")]
        for g in root.iter(f"{SVG}g")
        if "id" in g.attrib
    }


def _distance(a: tuple[float, float], b: tuple[float, float]) -> float:
    return math.hypot(a[0] - b[0], a[1] - b[1])


def test_cluster_positions_lone_points_stay_put() -> None:
    assert cluster_positions([(1.0, 1.0), (5.0, 3.0)], spacing=0.2) == [(1.0, 1.0), (5.0, 3.0)]


def test_cluster_positions_hand_checked_grids() -> None:
    # Two side by side; three as two over one, centred; five as three over two.
    points = [(4.0, 5.0), (2.0, 2.0), (4.0, 5.0), (2.0, 2.0), (4.0, 5.0)]
    points += [(3.0, 3.0)] * 5
    expected = [
        (3.9, 5.1),
        (1.9, 2.0),
        (4.1, 5.1),
        (2.1, 2.0),
        (4.0, 4.9),
        (2.8, 3.1),
        (3.0, 3.1),
        (3.2, 3.1),
        (2.9, 2.9),
        (3.1, 2.9),
    ]
    got = cluster_positions(points, spacing=0.2)
    assert got == [pytest.approx(p) for p in expected]


def test_cluster_positions_rejects_a_non_positive_spacing() -> None:
    with pytest.raises(ValueError, match="spacing"):
        cluster_positions([(1.0, 1.0)], spacing=0.0)


@pytest.mark.parametrize(
    "points",
    [
        [(4.0, 5.0)] * 4 + [(4.0, 4.0)] * 4 + [(5.0, 4.0), (5.0, 5.0), (3.0, 5.0)],
        [(3.0, 3.0)] * 40,
        [(float(1 + i % 5), float(1 + (i * 7) % 5)) for i in range(40)],
        [(float(random.Random(s).randint(1, 5)), 3.0) for s in range(30)] + [(2.0, 4.0)] * 13,
    ],
)
def test_markers_never_overlap_and_stay_in_their_cell(points: list[tuple[float, float]]) -> None:
    spacing, diameter = marker_size(points)
    assert 0 < diameter < spacing
    positions = cluster_positions(points)
    for a, b in itertools.combinations(positions, 2):
        assert _distance(a, b) >= diameter
    # Each marker lies wholly inside its point's cell, so clusters on neighbouring points
    # cannot touch.
    for (px, py), (x, y) in zip(points, positions, strict=True):
        assert abs(x - px) + diameter / 2 <= 0.5
        assert abs(y - py) + diameter / 2 <= 0.5


def test_stakeholder_map_numbers_each_group_once_and_names_it_in_full() -> None:
    mapped = _crowded()
    chart = stakeholder_map_chart(mapped)
    groups = _groups_by_id(chart.svg)
    count = len(mapped)
    # Each number appears once on the plot and once in the key, and no other number does.
    markers = {k: v for k, v in groups.items() if k.startswith("stakeholder-marker-")}
    keys = {k: v for k, v in groups.items() if k.startswith("stakeholder-key-")}
    assert markers == {f"stakeholder-marker-{n}": [str(n)] for n in range(1, count + 1)}
    assert keys == {f"stakeholder-key-{n}": [str(n)] for n in range(1, count + 1)}
    # The key gives every name whole: wrapped over lines perhaps, never cut short.
    number_of = {row[0]: int(row[4]) for row in chart.rows}
    for item in mapped:
        number = number_of[item.group.name]
        lines: list[str] = []
        i = 0
        while f"stakeholder-name-{number}-{i}" in groups:
            lines += groups[f"stakeholder-name-{number}-{i}"]
            i += 1
        assert " ".join(lines) == item.group.name
    all_text = " ".join(" ".join(v) for v in groups.values())
    for item in mapped:
        assert item.group.name in all_text
    # The long name really was wrapped, so the test covers the wrapping.
    assert f"stakeholder-name-{number_of[LONG_NAME]}-1" in groups


def test_stakeholder_map_markers_sit_a_diameter_apart_in_the_svg() -> None:
    mapped = _crowded() + _mapped(*((f"Crowd member {i}", 4, 5) for i in range(12)))
    root = ET.fromstring(stakeholder_map_chart(mapped).svg)
    centres = [
        (float(t.attrib["x"]), float(t.attrib["y"]))
        for g in root.iter(f"{SVG}g")
        if g.attrib.get("id", "").startswith("stakeholder-marker-")
        for t in g.iter(f"{SVG}text")
    ]
    assert len(centres) == len(mapped)
    # SVG units are points; each number is drawn at its marker's centre (same baseline
    # offset for all), so the centres' separations are the markers'.
    for a, b in itertools.combinations(centres, 2):
        assert _distance(a, b) >= MARKER_PT - 1e-6


def test_stakeholder_map_keeps_its_table_alt_text_and_axes() -> None:
    mapped = _crowded()
    chart = stakeholder_map_chart(mapped)
    assert chart.title == "Stakeholder map"
    assert chart.alt.startswith("Scatter of 9 stakeholder groups by interest and influence")
    assert "6 to manage closely" in chart.alt and "1 to monitor" in chart.alt
    assert chart.columns == ["group", "interest", "influence", "quadrant", "number on chart"]
    assert [row[4] for row in chart.rows] == [str(n) for n in range(1, 10)]
    # Numbered by quadrant, then point (highest first), so a cluster's numbers run on.
    assert [row[3] for row in chart.rows[:6]] == ["manage closely"] * 6
    assert {row[0] for row in chart.rows[:4]} == {
        "Strategic health authority",
        "Telford and Wrekin PCT Board",
        "Joint Health Overview and Scrutiny Committee",
        LONG_NAME,
    }
    svg_text = "".join(ET.fromstring(chart.svg).itertext())
    for label in ("Interest (1–5)", "Influence (1–5)", "keep satisfied", "monitor"):
        assert label in svg_text
    for heading in ("Manage closely", "Keep satisfied", "Keep informed", "Monitor"):
        assert heading in svg_text


def test_stakeholder_map_draws_one_group() -> None:
    chart = stakeholder_map_chart(_mapped(("Patients", 4, 2)))
    groups = _groups_by_id(chart.svg)
    assert groups["stakeholder-marker-1"] == ["1"]
    assert groups["stakeholder-name-1-0"] == ["Patients"]
    assert chart.rows == [["Patients", "4", "2", "keep informed", "1"]]


def test_timeline_wraps_activity_titles_instead_of_cutting_them() -> None:
    programme = load_programme(example_path("shropshire-telford-2010")).programme
    chart = timeline_chart(programme)
    text = " ".join(re.findall(r">([^<>]+)</text>", chart.svg))
    words = " ".join(text.split())
    # The first event's full title, once cut to "Pre-consultation engagement event one (h".
    assert "Pre-consultation engagement event one (half day)" in words
    assert "update letter" in words and "update_letter" not in words
    assert chart.rows[0][0] == "Pre-consultation engagement event one (half day)"


def test_a_one_day_timeline_does_not_repeat_its_date_ticks() -> None:
    # Leicester's workshop tables all sit on 12 May 2010: ticks must be distinct days.
    chart = timeline_chart(load_programme(example_path("leicester-children-2010")).programme)
    ticks = re.findall(r">(\d\d \w{3} \d{4})</text>", chart.svg)
    assert len(ticks) >= 3 and len(set(ticks)) == len(ticks)
