"""Thresholds, the at-least-one rule and the trained model's proposals."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from scipy.sparse import csr_matrix
from sklearn.model_selection import StratifiedKFold

from caseforchange.text.classify import NBLogistic, best_threshold, decide, train


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


def test_a_theme_every_coded_answer_has_is_proposed_for_every_answer() -> None:
    texts, themes, _ = _coded()
    model = train(texts, [[*t, "community"] for t in themes], None, seed=0)
    assert model.models["community"] is None  # nothing to tell apart: no model
    staff, other = model.propose(["the nurses were so kind", "zzz qqq"])
    assert "community" in staff.themes and "staff" in staff.themes
    assert "community" in other.themes
    assert staff.probabilities["community"] == 1.0


def test_training_is_reproducible() -> None:
    texts, themes, stances = _coded()
    a = train(texts, themes, stances, seed=4).propose(["kind nurses", "long wait"])
    b = train(texts, themes, stances, seed=4).propose(["kind nurses", "long wait"])
    assert a == b


def test_training_needs_answers() -> None:
    with pytest.raises(ValueError, match="no coded answers"):
        train([], [])


def test_naive_bayes_ratios_by_hand() -> None:
    # Columns 0-1 are TF-IDF, column 2 a dense embedding. Column 0 is in both answers with the
    # theme, column 1 in the one without. With one pseudo-count on each side:
    # with the theme (2 answers): counts [2+1, 0+1] -> shares [3/4, 1/4];
    # without (1 answer): counts [0+1, 1+1] -> shares [1/3, 2/3].
    x = csr_matrix(np.array([[0.5, 0.0, -0.2], [0.9, 0.0, 0.1], [0.0, 0.7, 0.3]]))
    y = np.array([True, True, False])
    model = NBLogistic(seed=0, scaled=2).fit(x, y)
    assert model.ratios.tolist() == pytest.approx(
        [math.log((3 / 4) / (1 / 3)), math.log((1 / 4) / (2 / 3)), 1.0]
    )
    probabilities = model.predict_proba(x)
    assert probabilities.shape == (3, 2)
    assert probabilities.sum(axis=1) == pytest.approx([1.0, 1.0, 1.0])
    assert probabilities[0, 1] > 0.5 > probabilities[2, 1]


# Clear, varied examples of three themes (as a person would code them).
FOOD = [
    "the food was cold",
    "meals were tasty and hot",
    "dinner was inedible",
    "lovely breakfast every morning",
    "no choice on the menu",
    "the sandwiches were stale",
    "good hot meals",
    "the food was awful",
    "tasty lunch",
    "breakfast came late and cold",
]
PARKING = [
    "parking was a nightmare",
    "the car park was full",
    "could not find a parking space",
    "parking charges are too high",
    "plenty of parking spaces",
    "car park too small",
    "easy parking near the entrance",
    "drove round the car park for ages",
    "no disabled parking",
    "parking was easy",
]
STAFF = [
    "the nurse was kind",
    "rude receptionist",
    "the doctor was lovely",
    "staff were friendly",
    "the nurse was rude to me",
    "kind and caring nurses",
    "unfriendly staff",
    "the receptionist was very helpful",
    "the doctor was abrupt",
    "friendly helpful nurses",
]


def _themed() -> tuple[list[str], list[list[str]]]:
    texts = FOOD + PARKING + STAFF
    themes = [["food"]] * len(FOOD) + [["parking"]] * len(PARKING) + [["staff"]] * len(STAFF)
    return texts, themes


def test_a_theme_learned_from_clear_examples_is_found_in_a_paraphrase() -> None:
    texts, themes = _themed()
    model = train(texts, themes, seed=0)
    # None of these sentences was coded; each shares words, not whole phrases, with its theme.
    food, parking, staff = model.propose(
        [
            "the hot dinner was tasty",
            "finding a space in the car park took ages",
            "a very friendly and kind receptionist",
        ]
    )
    assert food.themes == ("food",)
    assert parking.themes == ("parking",)
    assert staff.themes == ("staff",)


def test_the_fallback_is_used_when_every_coded_answer_has_a_theme() -> None:
    texts, themes = _themed()
    model = train(texts, themes, seed=0)
    # Each answer has exactly one theme: forcing the nearest theme on an empty row can only
    # help on the out-of-fold probabilities, so the model keeps the fallback on.
    assert model.at_least_one
    (proposal,) = model.propose(["zzz qqq"])
    assert proposal.forced and len(proposal.themes) == 1


def test_same_seed_gives_identical_proposals_and_thresholds() -> None:
    texts, themes = _themed()
    stances = ["negative", "positive"] * (len(texts) // 2)
    a = train(texts, themes, stances, seed=7)
    b = train(texts, themes, stances, seed=7)
    new = ["cold dinner", "car park full", "kind nurse", "nothing"]
    assert a.thresholds == b.thresholds
    assert a.propose(new) == b.propose(new)


def test_sentiment_is_vaders_compound_score_and_its_size() -> None:
    from caseforchange.text.features import sentiment

    # VADER's lexicon gives "good" 1.9; compound = s / sqrt(s^2 + 15), so 1.9 / sqrt(18.61)
    # = 0.4404. "not" before it scales it by -0.74: -1.406 / sqrt(16.9768) = -0.3412.
    # "the room" has no lexicon word (0), nor has the empty text.
    scores = sentiment(["good", "not good", "the room", ""])
    expected = [[0.4404, 0.4404], [-0.3412, 0.3412], [0.0, 0.0], [0.0, 0.0]]
    assert np.allclose(scores, expected, atol=5e-5)


def _sentiment_coded() -> tuple[list[str], list[list[str]], list[str]]:
    texts, themes, stances = [], [], []
    for i, (good, bad) in enumerate([("good", "horrible"), ("excellent", "rude"), ("kind", "bad")]):
        for j in range(4):
            texts.append(f"visit {i}{j} was {good}")
            texts.append(f"visit {i}{j} was {bad}")
            themes += [["visit"], ["visit"]]
            stances += ["positive", "negative"]
    return texts, themes, stances


def test_stance_reads_the_lexicon_for_words_no_coded_answer_used() -> None:
    from caseforchange.text.classify import Settings

    texts, themes, stances = _sentiment_coded()
    # Neither word nor any of its character 3-5 grams occurs in the coded answers, so TF-IDF
    # alone sees two empty rows; the lexicon scores "superb" 0.6249 and "dreadful" -0.4404.
    unseen = ["superb", "dreadful"]
    model = train(texts, themes, stances, seed=0)
    assert model.lexicon
    x = model.matrix(unseen)
    assert x.nnz == 0
    lexicon = model.stance_matrix(unseen, x).toarray()[:, -2:]
    assert np.allclose(lexicon, [[0.6249, 0.6249], [-0.4404, 0.4404]], atol=5e-5)
    superb, dreadful = model.propose(unseen)
    assert (superb.stance, dreadful.stance) == ("positive", "negative")
    plain = train(texts, themes, stances, seed=0, settings=Settings(lexicon=False))
    assert not plain.lexicon
    a, b = plain.propose(unseen)
    assert a.stance == b.stance and a.stance_confidence == b.stance_confidence


def test_stance_c_falls_back_to_the_default_without_two_codings_per_stance() -> None:
    from caseforchange.text.classify import STANCE_C, choose_stance_c

    x = csr_matrix(np.eye(5))
    # "neutral" is coded once: no stratified fold could hold it out.
    labels = ["positive", "positive", "negative", "negative", "neutral"]
    assert choose_stance_c(x, labels, seed=0) == STANCE_C


def test_stance_c_ties_go_to_the_default() -> None:
    from caseforchange.text.classify import STANCE_C, STANCE_GRID, choose_stance_c

    # One column says the stance outright: every C in the grid scores macro-F1 1 out of fold.
    y = ["positive", "negative"] * 10
    x = csr_matrix(np.array([[1.0 if s == "positive" else -1.0] for s in y]))
    assert len(STANCE_GRID) > 1
    assert choose_stance_c(x, y, seed=0) == STANCE_C


def _by_hand_confidence(probabilities: np.ndarray, chosen: np.ndarray, model: Any) -> np.ndarray:
    """ADR 0020's confidence written out: Platt per theme, the product, Platt once more."""
    clipped = np.clip(probabilities, 1e-4, 1 - 1e-4)
    z = model.scaling[:, 0] * np.log(clipped / (1 - clipped)) + model.scaling[:, 1]
    q = 1 / (1 + np.exp(-z))
    product = np.prod(np.where(chosen, q, 1 - q), axis=1)
    product = np.clip(product, 1e-4, 1 - 1e-4)
    slope, intercept = model.set_scaling
    return np.asarray(1 / (1 + np.exp(-(slope * np.log(product / (1 - product)) + intercept))))


def test_confidence_reads_the_mean_of_the_fold_models_refitted_by_hand() -> None:
    texts, themes = _themed()
    # "chaplaincy" is coded once (no fold can hold it out) and "noise" never.
    texts, themes = [*texts, "the chaplain visited daily"], [*themes, ["chaplaincy"]]
    codebook = ["chaplaincy", "food", "noise", "parking", "staff"]
    model = train(texts, themes, themes=codebook, seed=3)
    new = ["cold dinner in the car park", "the nurse brought breakfast", "tasty", "the chaplain"]
    proposals = model.propose(new)
    x_train, x_new = model.matrix(texts), model.matrix(new)
    full = np.array([[p.probabilities[t] for t in codebook] for p in proposals])
    chosen = np.array([[t in p.themes for t in codebook] for p in proposals])
    # The fold models again, as train() makes them: stratified, shuffled with the seed, five
    # folds (each theme here has 10 answers with it and 21 without).
    fold_mean = full.copy()
    for j, theme in enumerate(codebook):
        y = np.array([theme in s for s in themes])
        if y.sum() < 2:
            continue  # no folds: the full model's probability stands in
        splitter = StratifiedKFold(n_splits=5, shuffle=True, random_state=3)
        fold_mean[:, j] = np.mean(
            [
                NBLogistic(3, model.features.width)
                .fit(x_train[rows], y[rows])
                .predict_proba(x_new)[:, 1]
                for rows, _ in splitter.split(np.zeros(len(y)), y)
            ],
            axis=0,
        )
    expected = _by_hand_confidence(fold_mean, chosen, model)
    assert [p.confidence for p in proposals] == pytest.approx(expected.tolist(), abs=5e-5)
    assert sorted(model.folds) == ["food", "parking", "staff"]
    # The full model's sharper probabilities claim more (here, where every confidence is
    # above 0.9, by up to 0.007: far beyond the 4-decimal rounding of the proposals).
    old = _by_hand_confidence(np.round(full, 4), chosen, model)
    assert np.abs(old - expected).max() > 0.003
