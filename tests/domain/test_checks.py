"""Whole-programme checks: references, weights, hurdles and scores."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from caseforchange.catalogue.forms import forms
from caseforchange.catalogue.scales import builtin_scales
from caseforchange.domain.checks import check_programme
from caseforchange.domain.programme import Programme


def _programme(**changes: Any) -> Programme:
    data: dict[str, Any] = {
        "id": "p",
        "title": "P",
        "commissioner": "pct",
        "scope": "s",
        "organisations": [{"id": "pct", "name": "PCT", "kind": "commissioner"}],
        "options": [{"id": "a", "name": "A", "form": "in-house"}],
        "framework": {
            "id": "f",
            "name": "F",
            "criteria": [
                {"id": "x", "name": "X", "scale": "1-5", "weight": 1},
                {"id": "y", "name": "Y", "scale": "1-5", "weight": 1},
            ],
        },
    }
    data.update(changes)
    return Programme.model_validate(data)


def _messages(p: Programme) -> list[str]:
    return [f"{pr.field()}: {pr.message}" for pr in check_programme(p, forms(), builtin_scales())]


def test_consistent_programme_has_no_problems() -> None:
    assert _messages(_programme()) == []


def test_weights_summing_to_zero() -> None:
    fw = _programme().framework.model_dump()
    for c in fw["criteria"]:
        c["weight"] = 0
    assert _messages(_programme(framework=fw)) == [
        "framework.criteria[0].weight: the weights of these criteria sum to zero"
    ]


def test_negative_weight_is_rejected_by_the_model() -> None:
    fw = _programme().framework.model_dump()
    fw["criteria"][0]["weight"] = -1
    with pytest.raises(ValidationError):
        _programme(framework=fw)


def test_hurdle_needs_pass_fail_scale() -> None:
    fw = _programme().framework.model_dump()
    fw["criteria"].append({"id": "h", "name": "H", "hurdle": True, "scale": "0-10"})
    assert _messages(_programme(framework=fw)) == [
        "framework.criteria[2].scale: hurdle 'h' must use a pass/fail scale, not '0-10'"
    ]


def test_rank_order_centroid_needs_ranks() -> None:
    fw = _programme().framework.model_dump()
    fw["weighting"] = {"method": "rank_order_centroid"}
    fw["criteria"][0]["rank"] = 1
    assert _messages(_programme(framework=fw)) == [
        "framework.criteria[1].rank: criterion 'y' needs a rank for rank-order centroid weights"
    ]


def test_scores_need_known_option_and_leaf_criterion() -> None:
    p = _programme(scores=[{"option": "zz", "criterion": "x", "value": 3}])
    assert _messages(p) == ["scores[0].option: unknown option 'zz' (known: a)"]


def test_score_range_outside_scale() -> None:
    p = _programme(scores=[{"option": "a", "criterion": "x", "low": 0, "high": 4}])
    assert _messages(p) == [
        "scores[0].low: 0 is outside the scale 1..5 of criterion 'x' (option 'a')"
    ]


def test_second_score_for_the_same_cell() -> None:
    row = {"option": "a", "criterion": "x", "value": 3}
    assert _messages(_programme(scores=[row, row])) == [
        "scores[1]: second score for option 'a' on 'x' (the first is score 1)"
    ]


def test_do_not_split_may_name_one_service_but_keep_together_needs_two() -> None:
    services = [
        {
            "id": "s",
            "name": "S",
            "client_group": "all",
            "tier": "universal",
            "current_provider": "pct",
        }
    ]
    rules = [
        {"id": "r1", "kind": "do_not_split", "services": ["s"], "reason": "safety"},
        {"id": "r2", "kind": "keep_together", "services": ["s"], "reason": "teams"},
    ]
    assert _messages(_programme(services=services, dependencies=rules)) == [
        "dependencies[1].services: a keep_together rule needs at least two services"
    ]
