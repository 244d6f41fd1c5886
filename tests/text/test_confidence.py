"""The proposal's confidence: the estimated probability that its theme set is exactly right."""

from __future__ import annotations

import numpy as np
import pytest

from caseforchange.text.active import review_queue
from caseforchange.text.classify import Settings, calibrated, platt, set_probability, train

VOCAB = {
    "food": [
        "dinner",
        "meal",
        "breakfast",
        "soup",
        "menu",
        "tasty",
        "cold",
        "hot",
        "portion",
        "lunch",
    ],
    "parking": [
        "parking",
        "car",
        "park",
        "space",
        "ticket",
        "barrier",
        "bay",
        "permit",
        "drive",
        "spaces",
    ],
    "staff": [
        "nurse",
        "doctor",
        "kind",
        "rude",
        "receptionist",
        "porter",
        "friendly",
        "caring",
        "polite",
        "staff",
    ],
    "waiting": [
        "wait",
        "waited",
        "hours",
        "queue",
        "delay",
        "late",
        "appointment",
        "minutes",
        "slow",
        "weeks",
    ],
}
SHARED = [
    "the",
    "a",
    "was",
    "very",
    "and",
    "it",
    "we",
    "my",
    "they",
    "there",
    "hospital",
    "ward",
    "visit",
    "today",
    "really",
]


def _synthetic(n: int, seed: int) -> tuple[list[str], list[list[str]]]:
    """Answers whose truth is known: each theme's words, among words every answer shares.

    One or two themes an answer, one or two words from each; one answer in four also has a
    stray word of a random theme, so some proposals are wrong and confidence has work to do.
    """
    rng = np.random.default_rng(seed)
    names = sorted(VOCAB)
    texts, sets = [], []
    for _ in range(n):
        size = 1 + int(rng.random() < 0.3)
        themes = sorted(str(t) for t in rng.choice(names, size=size, replace=False))
        words = [str(w) for w in rng.choice(SHARED, size=6)]
        for theme in themes:
            words += [str(w) for w in rng.choice(VOCAB[theme], size=int(rng.integers(1, 3)))]
        if rng.random() < 0.25:
            words.append(str(rng.choice(VOCAB[str(rng.choice(names))])))
        rng.shuffle(words)
        texts.append(" ".join(words))
        sets.append(themes)
    return texts, sets


def test_platt_leaves_calibrated_scores_as_they_are() -> None:
    rng = np.random.default_rng(0)
    scores = rng.uniform(0.02, 0.98, 20_000)
    truth = rng.random(20_000) < scores
    slope, intercept = platt(scores, truth)
    assert abs(slope - 1.0) < 0.05
    assert abs(intercept) < 0.05


def test_platt_with_one_class_keeps_the_scores() -> None:
    assert platt(np.array([0.2, 0.7]), np.array([True, True])) == (1.0, 0.0)


def test_platt_on_scores_without_order_gives_the_base_rate() -> None:
    # The higher score is the one that is wrong as often: no slope above 0 fits better.
    scores = np.array([0.2, 0.2, 0.8, 0.8])
    truth = np.array([True, False, False, True])
    slope, intercept = platt(scores, truth)
    assert slope >= 0.0
    assert np.allclose(calibrated(scores, slope, intercept), 0.5, atol=0.05)


def test_set_probability_multiplies_each_decision_by_hand() -> None:
    probabilities = np.array([[0.9, 0.2, 0.6]])
    chosen = np.array([[True, False, True]])
    identity = np.tile([1.0, 0.0], (3, 1))
    # 0.9 chosen, 0.2 left out (right with 0.8), 0.6 chosen: 0.9 * 0.8 * 0.6.
    assert np.isclose(set_probability(probabilities, chosen, identity)[0], 0.432)


def test_confident_proposals_are_right_as_often_as_they_claim() -> None:
    texts, sets = _synthetic(1200, 0)
    model = train(texts[:600], sets[:600], seed=0)
    proposals = model.propose(texts[600:])
    confidence = np.array([p.confidence for p in proposals])
    right = np.array([set(p.themes) == set(t) for p, t in zip(proposals, sets[600:], strict=True)])
    sure = confidence >= 0.8
    # Held-out answers the model never saw: among those it is at least 80% sure of, the
    # share wholly right is within 0.05 of the confidence it claimed for them.
    assert sure.sum() >= 200
    assert abs(right[sure].mean() - confidence[sure].mean()) <= 0.05
    unsure = confidence < 0.5
    assert unsure.sum() >= 10
    assert right[unsure].mean() < right[sure].mean() - 0.3


def _band_gap(confidence: np.ndarray, right: np.ndarray) -> float:
    """|mean confidence - share wholly right| in bands [0, .5), [.5, .8), [.8, 1], weighted."""
    gap = 0.0
    for low, high in ((0.0, 0.5), (0.5, 0.8), (0.8, 1.01)):
        band = (confidence >= low) & (confidence < high)
        if band.any():
            gap += band.sum() * abs(confidence[band].mean() - right[band].mean())
    return gap / len(confidence)


@pytest.mark.parametrize("draw", [0, 1, 2])
def test_with_few_codings_confidence_from_the_fold_models_is_nearer_the_truth(draw: int) -> None:
    texts, sets = _synthetic(2200, draw)
    model = train(texts[:200], sets[:200], seed=0)
    held = texts[200:]
    proposals = model.propose(held)
    confidence = np.array([p.confidence for p in proposals])
    right = np.array([set(p.themes) == set(t) for p, t in zip(proposals, sets[200:], strict=True)])
    # What the confidence was when it read the full model's probabilities: the same
    # calibration applied to the sharper probabilities of the model trained on all 200.
    chosen = np.array([[t in p.themes for t in model.themes] for p in proposals])
    full = model.confidence(model.probabilities(model.matrix(held)), chosen)
    # On 2,000 held-out answers, the full model's view claimed 0.02 to 0.04 more than was
    # right, band by band; the fold models' mean (what the calibration was fitted on) at
    # least 0.015 less, on each of three draws of the data.
    assert _band_gap(confidence, right) < _band_gap(full, right) - 0.015
    assert abs(confidence.mean() - right.mean()) < abs(full.mean() - right.mean())
    assert confidence.mean() < full.mean()


def test_the_review_queue_takes_the_least_confident_first() -> None:
    texts, sets = _synthetic(800, 1)
    model = train(texts[:400], sets[:400], seed=0)
    proposals = dict(zip(map(str, range(400)), model.propose(texts[400:]), strict=True))
    queue = review_queue(proposals, below=0.8)
    values = [proposals[i].confidence for i in queue]
    assert values == sorted(values)
    assert set(queue) == {i for i, p in proposals.items() if p.confidence < 0.8}
    truth = dict(zip(map(str, range(400)), sets[400:], strict=True))
    wrong = [set(proposals[i].themes) != set(truth[i]) for i in queue]
    # The first half of the queue holds more wrong proposals than the second.
    half = len(wrong) // 2
    assert sum(wrong[:half]) > sum(wrong[half:])


def test_untuned_settings_use_a_half_everywhere() -> None:
    texts, sets = _synthetic(200, 2)
    model = train(texts, sets, seed=0, settings=Settings(tuned_thresholds=False))
    assert set(model.thresholds.values()) == {0.5}
