"""Thresholds, the at-least-one rule and the trained model's proposals."""

from __future__ import annotations

import numpy as np
import pytest

from caseforchange.text.classify import best_threshold, decide, train


def test_threshold_in_a_flat_optimum_is_the_one_nearest_a_half() -> None:
    probabilities = np.array([0.9, 0.8, 0.3, 0.2])
    truth = np.array([True, True, False, False])
    # Any threshold in (0.3, 0.8] separates perfectly; 0.5 is nearest the middle.
    assert best_threshold(probabilities, truth) == pytest.approx(0.5)


def test_threshold_moves_to_fit_the_positives() -> None:
    probabilities = np.array([0.9, 0.4, 0.35, 0.1])
    truth = np.array([True, True, False, False])
    # Only thresholds in (0.35, 0.40] give F1 = 1; of the grid, 0.40 is nearest 0.5.
    assert best_threshold(probabilities, truth) == pytest.approx(0.40)


def test_threshold_without_positives_is_a_half() -> None:
    assert best_threshold(np.array([0.2, 0.7]), np.array([False, False])) == 0.5


def test_decide_forces_the_theme_nearest_its_threshold_only_when_asked() -> None:
    probabilities = np.array([[0.6, 0.1], [0.2, 0.3]])
    thresholds = np.array([0.5, 0.4])
    chosen, forced = decide(probabilities, thresholds, at_least_one=False)
    assert chosen.tolist() == [[True, False], [False, False]]
    chosen, forced = decide(probabilities, thresholds, at_least_one=True)
    # Row 2: 0.2/0.5 = 0.4 against 0.3/0.4 = 0.75, so the second theme.
    assert chosen.tolist() == [[True, False], [False, True]]
    assert forced.tolist() == [False, True]


def _coded() -> tuple[list[str], list[list[str]], list[str]]:
    texts, themes, stances = [], [], []
    for i in range(12):
        texts.append(f"the nurses were kind and caring {i}")
        themes.append(["staff"])
        stances.append("positive")
        texts.append(f"we waited hours in the waiting room {i}")
        themes.append(["waiting"])
        stances.append("negative")
        texts.append(f"kind nurses but we waited hours {i}")
        themes.append(["staff", "waiting"])
        stances.append("neutral")
    return texts, themes, stances


def test_model_proposes_themes_and_stance_with_confidence() -> None:
    texts, themes, stances = _coded()
    model = train(texts, themes, stances, ["staff", "waiting", "food"], seed=0)
    assert model.models["food"] is None  # never coded, never proposed
    staff, wait = model.propose(["the nurses were so kind", "waited hours in the waiting room"])
    assert staff.themes == ("staff",)
    assert staff.stance == "positive"
    assert wait.themes == ("waiting",)
    assert 0.0 <= staff.confidence <= 1.0
    assert staff.probabilities["food"] == 0.0


def test_training_is_reproducible() -> None:
    texts, themes, stances = _coded()
    a = train(texts, themes, stances, seed=4).propose(["kind nurses", "long wait"])
    b = train(texts, themes, stances, seed=4).propose(["kind nurses", "long wait"])
    assert a == b


def test_training_needs_answers() -> None:
    with pytest.raises(ValueError, match="no coded answers"):
        train([], [])
