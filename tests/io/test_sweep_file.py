from __future__ import annotations

from pathlib import Path

import pytest

from caseforchange.domain.problems import InvalidInput
from caseforchange.io.sweep_file import load_sweep, parse_sweep


def test_a_sweep_file_is_read() -> None:
    sweep, _ = parse_sweep(
        "base: integrated\nstaff_scale: [0.9, 1.1]\ndemand_growth_per_year: [0, 0.04]\n"
        "replications: 5\nseed: 7\nmeasures: [within_18_weeks]\n"
    )
    assert sweep.base == "integrated"
    assert sweep.staff_scale == [0.9, 1.1]
    assert sweep.demand_growth_per_year == [0.0, 0.04]
    assert (sweep.replications, sweep.seed, sweep.measures) == (5, 7, ["within_18_weeks"])


@pytest.mark.parametrize(
    ("text", "where", "words"),
    [
        (
            "base: x\nstaff_scale: [1, 0]\n",
            "sweep.yaml:2",
            "0 is too small: it must be more than 0",
        ),
        ("staff_scale: [1]\nstaf_scale: [2]\n", "sweep.yaml:2", "staf_scale"),
        ("demand_growth_per_year: [0.1, 0.1]\n", "sweep.yaml:1", "twice"),
        ("replications: 1\n", "sweep.yaml:1", "replications"),
        ("measures: [speed]\n", "sweep.yaml:1", "measures"),
        ("- 1\n- 2\n", "sweep.yaml", "mapping"),
        ("staff_scale: [1]\nstaff_scale: [2]\n", "sweep.yaml:2", "staff_scale"),
    ],
)
def test_bad_sweep_files_are_located(text: str, where: str, words: str) -> None:
    with pytest.raises(InvalidInput) as error:
        parse_sweep(text)
    rendered = " | ".join(p.render() for p in error.value.problems)
    assert where in rendered and words in rendered, rendered


def test_a_missing_sweep_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput) as error:
        load_sweep(tmp_path / "nope.yaml")
    assert "nope.yaml" in error.value.problems[0].render()
