"""The decision matrix refuses missing and off-scale scores with named messages."""

from __future__ import annotations

import pytest

from caseforchange.appraisal.matrix import KIND_CODE, build_matrix
from caseforchange.catalogue.scales import builtin_scales
from caseforchange.domain.panels import Distribution
from caseforchange.domain.problems import InvalidInput

from .helpers import grid, leaf, programme


def test_values_are_normalised_from_each_scale() -> None:
    p = programme(
        [leaf("q"), {"id": "c", "name": "Cost", "scale": "1-5", "direction": "minimise"}],
        grid({"a": [7, 2], "b": [10, 5]}, ["q", "c"]),
    )
    m = build_matrix(p, builtin_scales()).matrix
    # 7/10; cost 2 on 1..5 reversed: 1 - 1/4
    assert m.values.ravel().tolist() == pytest.approx([0.7, 0.75, 1.0, 0.0])


def test_missing_score_is_reported_never_zero() -> None:
    p = programme(
        [leaf("q"), leaf("r")], [*grid({"a": [1, 2]}, ["q", "r"]), *grid({"b": [3]}, ["q"])]
    )
    with pytest.raises(InvalidInput) as error:
        build_matrix(p, builtin_scales())
    assert [x.message.split(";")[0] for x in error.value.problems] == [
        "option 'b' has no score on criterion 'r' (R)"
    ]


def test_criterion_with_no_scores_is_named_once() -> None:
    p = programme([leaf("q"), leaf("r")], grid({"a": [1], "b": [2]}, ["q"]))
    with pytest.raises(InvalidInput) as error:
        build_matrix(p, builtin_scales())
    assert len(error.value.problems) == 1
    assert "criterion 'r' (R) has no scores for any option" in error.value.problems[0].message


def test_score_outside_scale_names_option_criterion_and_member() -> None:
    p = programme(
        [leaf("q")],
        [{"option": "a", "criterion": "q", "panel": "board", "member": "chair", "value": 11}],
        panels=[{"id": "board", "name": "Board", "members": [{"id": "chair", "name": "Chair"}]}],
    )
    with pytest.raises(InvalidInput) as error:
        build_matrix(p, builtin_scales())
    problem = error.value.problems[0]
    assert problem.path == ("scores", 0, "value")
    for part in ("option 'a'", "criterion 'q'", "member 'chair'", "0..10"):
        assert part in problem.message


def test_members_and_panels_make_one_cell_with_its_range() -> None:
    p = programme(
        [leaf("q")],
        [
            {"option": "a", "criterion": "q", "panel": "board", "member": "m1", "value": 4},
            {"option": "a", "criterion": "q", "panel": "board", "member": "m2", "value": 8},
            {"option": "a", "criterion": "q", "panel": "staff", "value": 3, "low": 2, "high": 5},
        ],
        panels=[
            {
                "id": "board",
                "name": "B",
                "weight": 3,
                "members": [{"id": "m1", "name": "1"}, {"id": "m2", "name": "2"}],
            },
            {"id": "staff", "name": "S", "weight": 1},
        ],
    )
    scoring = build_matrix(p, builtin_scales())
    m = scoring.matrix
    # Board mean 6 (weight 3), staff 3 (weight 1): (18 + 3)/4 = 5.25; low (18+2)/4, high (18+5)/4
    assert m.values[0, 0] == pytest.approx(0.525)
    assert (m.low[0, 0], m.high[0, 0]) == pytest.approx((5.0, 5.75))
    assert m.kind[0, 0] == KIND_CODE[Distribution.UNIFORM]
    assert scoring.panel_values["board"][0, 0] == pytest.approx(0.6)
