"""F1 scores worked out by hand, the group-aware split and the learning curve."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

import caseforchange.text.evaluate as evaluate_module
from caseforchange.text import classify
from caseforchange.text.classify import ThemeModel
from caseforchange.text.evaluate import (
    LabelledAnswer,
    evaluate,
    group_split,
    macro_f1,
    multilabel_f1,
)


def test_multilabel_f1_on_a_tiny_confusion() -> None:
    gold = [("a",), ("a", "b"), ("b",)]
    predicted = [("a",), ("a",), ("a", "b")]
    micro, macro, per_label = multilabel_f1(gold, predicted)
    # a: tp 2, fp 1, fn 0 -> 4/5; b: tp 1, fp 0, fn 1 -> 2/3; pooled tp 3, fp 1, fn 1 -> 6/8.
    assert per_label == pytest.approx({"a": 0.8, "b": 2 / 3})
    assert micro == pytest.approx(0.75)
    assert macro == pytest.approx((0.8 + 2 / 3) / 2)


def test_a_label_only_predicted_scores_zero_and_counts_in_macro() -> None:
    micro, macro, per_label = multilabel_f1([("a",), ()], [("a",), ("c",)])
    assert per_label == {"a": 1.0, "c": 0.0}
    assert macro == pytest.approx(0.5)
    # tp 1, fp 1, fn 0 -> 2/3.
    assert micro == pytest.approx(2 / 3)


def test_stance_macro_f1() -> None:
    gold = ["for", "for", "against", "unclear"]
    predicted = ["for", "against", "against", "for"]
    # for: tp1 fp1 fn1 -> 1/2; against: tp1 fp1 fn0 -> 2/3; unclear: tp0 fp0 fn1 -> 0.
    assert macro_f1(gold, predicted) == pytest.approx((0.5 + 2 / 3 + 0) / 3)


def test_lengths_must_match() -> None:
    with pytest.raises(ValueError, match="length"):
        multilabel_f1([("a",)], [])


def _answers() -> list[LabelledAnswer]:
    rows = [LabelledAnswer(f"r{i}", f"text number {i}", ("x",)) for i in range(20)]
    rows += [LabelledAnswer(f"d{i}", "Same words  here", ("y",)) for i in range(5)]
    return rows


def test_split_keeps_identical_texts_together_and_is_seeded() -> None:
    train, test = group_split(_answers(), 0.8, seed=3)
    duplicates_in_train = sum(a.id.startswith("d") for a in train)
    assert duplicates_in_train in (0, 5)
    assert len(train) + len(test) == 25
    again = group_split(_answers(), 0.8, seed=3)
    assert [a.id for a in again[0]] == [a.id for a in train]


def test_split_rejects_a_bad_fraction() -> None:
    with pytest.raises(ValueError, match="strictly between"):
        group_split(_answers(), 1.0, 0)


def _clear_cases() -> list[LabelledAnswer]:
    staff = ["the nurse was kind", "lovely caring staff", "rude receptionist", "staff were kind"]
    wait = ["waited three hours", "long wait to be seen", "seen on time no wait", "short wait"]
    out = []
    for i in range(60):
        if i % 2:
            out.append(LabelledAnswer(f"s{i}", f"{staff[i % 4]} visit {i}", ("staff",), "positive"))
        else:
            out.append(LabelledAnswer(f"w{i}", f"{wait[i % 4]} visit {i}", ("wait",), "negative"))
    return out


def test_evaluate_learns_a_clear_pattern_and_reports_the_curve() -> None:
    result = evaluate(_clear_cases(), 0.8, seed=0, sizes=(20, 1000))
    assert result.scores.micro_f1 == pytest.approx(1.0)
    assert result.scores.stance_macro_f1 == pytest.approx(1.0)
    # 20 is below the 48 training rows, 1000 is not: the curve has 20 and the full size.
    assert [s.train_size for s in result.curve] == [20, result.train_rows]
    data = result.as_json()
    assert {"micro_f1", "macro_f1", "stance_macro_f1", "learning_curve"} <= set(data)


def test_training_and_threshold_tuning_never_see_the_held_out_rows(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    answers = _clear_cases()
    # Every text gets a word of its own, so a fitted vocabulary shows which rows it saw.
    answers = [LabelledAnswer(a.id, f"{a.text} uniq{a.id}", a.themes, a.stance) for a in answers]
    seen: list[list[str]] = []
    vocabularies: list[set[str]] = []

    def spy(texts: Sequence[str], *args: Any, **kwargs: Any) -> ThemeModel:
        seen.append(list(texts))
        model = classify.train(texts, *args, **kwargs)
        vocabularies.append(set(model.features.words.vocabulary_))
        return model

    monkeypatch.setattr(evaluate_module, "train", spy)
    result = evaluate(answers, 0.8, seed=3, sizes=(20,))
    train_rows, test_rows = group_split(answers, 0.8, 3)
    held_out = {a.text for a in test_rows}
    # The full training side, then the curve point at 20 (its first 20 rows).
    assert [len(texts) for texts in seen] == [len(train_rows), 20]
    assert set(seen[0]) == {a.text for a in train_rows}
    for texts, vocabulary in zip(seen, vocabularies, strict=True):
        assert not held_out & set(texts)
        # Features (and so the thresholds tuned on them) come from training rows only.
        assert not {f"uniq{a.id}".lower() for a in test_rows} & vocabulary
    assert result.test_rows == len(test_rows)


def test_the_same_seed_gives_the_same_evaluation() -> None:
    a = evaluate(_clear_cases(), 0.8, seed=5, sizes=(20,)).as_json()
    b = evaluate(_clear_cases(), 0.8, seed=5, sizes=(20,)).as_json()
    assert a == b
