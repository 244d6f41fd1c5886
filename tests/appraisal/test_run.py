"""The whole appraisal of a programme built in code, checked against hand calculations."""

from __future__ import annotations

import json

import pytest

from caseforchange import __version__
from caseforchange.appraisal.run import appraise
from caseforchange.domain.problems import InvalidInput

from .helpers import grid, leaf, programme

GATE = {"id": "gate", "name": "Gate", "hurdle": True, "scale": "pass-fail"}


def _programme(**extra: object) -> object:
    scores = [
        *grid({"bau": [5, 4], "trust": [8, 6], "ce": [9, 1]}, ["q", "c"]),
        {"option": "bau", "criterion": "gate", "value": 1},
        {"option": "trust", "criterion": "gate", "value": 1},
        {"option": "ce", "criterion": "gate", "value": 1},
        {"option": "sold", "criterion": "gate", "value": 0, "rationale": "not NHS"},
    ]
    return programme(
        [GATE, leaf("q", 3), leaf("c", 1)], scores, options=["bau", "trust", "ce", "sold"], **extra
    )


def test_totals_ranking_and_json() -> None:
    result = appraise(_programme(), samples=20_000, seed=4, file_hashes={"programme.yaml": "ab"})  # type: ignore[arg-type]
    # Weights 0.75 / 0.25 on values x/10: bau 0.475, trust 0.75, ce 0.7
    assert result.totals == pytest.approx({"bau": 0.475, "trust": 0.75, "ce": 0.7})
    assert result.ranking == ["trust", "ce", "bau"]
    assert result.options == ["bau", "trust", "ce"]
    assert result.contributions["ce"] == pytest.approx({"q": 0.675, "c": 0.025})
    data = json.loads(json.dumps(result.to_json(), allow_nan=False))
    for key in ("options", "totals", "ranking", "sensitivity", "provenance"):
        assert key in data
    assert data["smaa"]["samples"] == 20_000 and data["smaa"]["seed"] == 4
    assert set(data["smaa"]["rank_acceptability"]) == {"bau", "trust", "ce"}
    assert len(data["smaa"]["rank_acceptability"]["ce"]) == 3
    assert set(data["smaa"]["confidence"]) == {"bau", "trust", "ce"}
    assert data["provenance"] == {
        "package": "caseforchange",
        "version": __version__,
        "seed": 4,
        "samples": 20_000,
        "files": {"programme.yaml": "ab"},
        "programme": "test",
        "illustrative": False,
        "illustrative_note": None,
    }
    dropped = data["screening"][3]
    assert dropped == {
        "option": "sold",
        "kept": False,
        "reason": "failed hurdle 'gate' (Gate): not NHS",
        "failed_hurdles": ["gate"],
    }
    # With w_q = x: trust 0.8x + 0.6(1-x), ce 0.9x + 0.1(1-x); ce overtakes at x = 5/6.
    q = data["sensitivity"]["criteria"]["q"]
    assert q["top_interval"] == pytest.approx([0.0, 5 / 6])
    assert q["above"] == "ce"


def test_settings_in_the_programme_are_used_and_recorded() -> None:
    p = _programme(appraisal={"samples": 5000, "seed": 99, "weight_information": "exact"})
    result = appraise(p)  # type: ignore[arg-type]
    assert (result.smaa.samples, result.smaa.seed) == (5000, 99)
    # Exact weights, exact scores: trust always first.
    assert result.smaa.rank_acceptability[1, 0] == 1.0


def test_ranking_information_uses_criterion_ranks() -> None:
    p = programme(
        [leaf("q", rank=1), leaf("c", rank=2)],
        grid({"a": [10, 0], "b": [0, 10]}, ["q", "c"]),
        appraisal={"weight_information": "ranking"},
    )
    result = appraise(p, samples=20_000)
    # w_q >= w_c means w_q >= 1/2, so a (value w_q) never loses.
    assert result.smaa.rank_acceptability[0, 0] == 1.0


@pytest.mark.parametrize("samples", [0, -1])
def test_bad_sample_count(samples: int) -> None:
    with pytest.raises(InvalidInput) as error:
        appraise(_programme(), samples=samples)  # type: ignore[arg-type]
    assert "samples must be 1 or more" in error.value.problems[0].message


def test_every_problem_is_reported_together() -> None:
    p = programme(
        [leaf("q", 0), leaf("c", 0)],
        grid({"a": [1, 2], "b": [3, 4]}, ["q", "c"])[:3],
    )
    with pytest.raises(InvalidInput) as error:
        appraise(p, samples=10)
    messages = " | ".join(x.message for x in error.value.problems)
    assert "sum to zero" in messages
    assert "option 'b' has no score on criterion 'c'" in messages
