"""Hurdles cut the long list with a recorded reason for every option."""

from __future__ import annotations

import pytest

from caseforchange.appraisal.hurdles import screen
from caseforchange.catalogue.scales import builtin_scales
from caseforchange.domain.problems import InvalidInput

from .helpers import leaf, programme

GATE = {"id": "gate", "name": "Integrated care", "hurdle": True, "scale": "pass-fail"}


def test_failing_option_is_dropped_with_its_rationale() -> None:
    p = programme(
        [GATE, leaf("q")],
        [
            {"option": "bau", "criterion": "gate", "value": 1},
            {"option": "sell", "criterion": "gate", "value": 0, "rationale": "cannot integrate"},
        ],
        options=["bau", "sell"],
    )
    found = screen(p, builtin_scales())
    assert found.short_list == ["bau"]
    dropped = found.decisions[1]
    assert not dropped.kept and dropped.failed == ("gate",)
    assert "cannot integrate" in dropped.reason and "'gate'" in dropped.reason
    assert "passed every hurdle" in found.decisions[0].reason
    assert found.warnings == []


def test_warns_when_no_business_as_usual_option_survives() -> None:
    p = programme(
        [GATE, leaf("q")],
        [
            {"option": "bau", "criterion": "gate", "value": 0, "rationale": "not viable"},
            {"option": "new", "criterion": "gate", "value": 1},
        ],
        options=["bau", "new"],
    )
    found = screen(p, builtin_scales())
    assert found.short_list == ["new"]
    assert "business-as-usual or do-minimum" in found.warnings[0]


def test_missing_hurdle_score_names_option_and_hurdle() -> None:
    p = programme([GATE, leaf("q")], [{"option": "a", "criterion": "q", "value": 1}])
    with pytest.raises(InvalidInput) as error:
        screen(p, builtin_scales())
    assert "option 'a' has no score on hurdle 'gate'" in error.value.problems[0].message
