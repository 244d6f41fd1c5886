"""How well the model agrees with people: F1 for themes and stance, and a learning curve.

The split is seeded and keeps identical texts together.

Macro-F1 averages over the labels that occur in the held-out people's codings or in the
model's proposals for them (a label proposed but never given scores 0; a label neither given
nor proposed is left out, as it says nothing). Stance is scored only on rows a person gave a
stance.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from caseforchange.text.classify import Embedder, Proposal, Settings, train
from caseforchange.text.features import normalise

#: The learning-curve sizes the issue asks for (numbers of coded answers used for training).
CURVE_SIZES: tuple[int, ...] = (250, 500, 1000, 2000)


@dataclass(frozen=True)
class LabelledAnswer:
    """One answer a person coded: its id, text, themes and (optional) stance."""

    id: str
    text: str
    themes: tuple[str, ...]
    stance: str | None = None


def _f1(tp: int, fp: int, fn: int) -> float:
    denominator = 2 * tp + fp + fn
    return 2 * tp / denominator if denominator else 0.0


def multilabel_f1(
    gold: Sequence[Sequence[str]], predicted: Sequence[Sequence[str]]
) -> tuple[float, float, dict[str, float]]:
    """Return (micro-F1, macro-F1, F1 per label) of predicted label sets against gold ones.

    Micro-F1 pools true and false positives over labels; macro-F1 is the mean of per-label F1
    over labels given or predicted. Both are 0 when no label is given or predicted.

    Raises:
        ValueError: when the two sequences differ in length.
    """
    if len(gold) != len(predicted):
        raise ValueError("gold and predicted differ in length")
    counts: dict[str, list[int]] = {}
    for g, p in zip(gold, predicted, strict=True):
        gs, ps = set(g), set(p)
        for label in gs | ps:
            c = counts.setdefault(label, [0, 0, 0])
            c[0] += label in gs and label in ps
            c[1] += label in ps and label not in gs
            c[2] += label in gs and label not in ps
    per_label = {label: _f1(*c) for label, c in sorted(counts.items())}
    tp, fp, fn = (sum(c[i] for c in counts.values()) for i in range(3))
    micro = _f1(tp, fp, fn)
    macro = sum(per_label.values()) / len(per_label) if per_label else 0.0
    return micro, macro, per_label


def macro_f1(gold: Sequence[str], predicted: Sequence[str]) -> float:
    """Return the macro-F1 of single-label predictions (labels given or predicted).

    Raises:
        ValueError: when the two sequences differ in length.
    """
    return multilabel_f1([(g,) for g in gold], [(p,) for p in predicted])[1]


def group_split(
    answers: Sequence[LabelledAnswer], train_fraction: float, seed: int
) -> tuple[list[LabelledAnswer], list[LabelledAnswer]]:
    """Return (train, test), a seeded split that keeps identical texts together.

    Groups of identical texts (after normalising case and spaces) are shuffled with ``seed``
    and filled into training until ``train_fraction`` of the rows.

    Raises:
        ValueError: when ``train_fraction`` is not strictly between 0 and 1.
    """
    if not 0 < train_fraction < 1:
        raise ValueError(f"train fraction must lie strictly between 0 and 1, not {train_fraction}")
    groups: dict[str, list[LabelledAnswer]] = {}
    for answer in answers:
        groups.setdefault(normalise(answer.text), []).append(answer)
    keys = sorted(groups)
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(keys))
    target = train_fraction * len(answers)
    train_rows: list[LabelledAnswer] = []
    test_rows: list[LabelledAnswer] = []
    for index in order:
        members = groups[keys[int(index)]]
        (train_rows if len(train_rows) < target else test_rows).extend(members)
    return train_rows, test_rows


@dataclass
class Scores:
    """F1 of one trained model on the held-out answers."""

    train_size: int
    micro_f1: float
    macro_f1: float
    stance_macro_f1: float | None
    per_theme: dict[str, float] = field(default_factory=dict)


def score_model(
    train_rows: Sequence[LabelledAnswer],
    test_rows: Sequence[LabelledAnswer],
    seed: int,
    progress: Callable[[str], None] | None = None,
    embedder: Embedder | None = None,
    settings: Settings | None = None,
) -> tuple[Scores, list[Proposal]]:
    """Train on ``train_rows``, propose for ``test_rows``; return the F1 scores and proposals.

    ``settings`` chooses the model's refinements (all on by default; the quality benchmark
    turns them off one by one).

    Raises:
        ValueError: when there are no training rows.
    """
    has_stance = any(a.stance for a in train_rows)
    model = train(
        [a.text for a in train_rows],
        [a.themes for a in train_rows],
        [a.stance for a in train_rows] if has_stance else None,
        seed=seed,
        progress=progress,
        embedder=embedder,
        settings=settings,
    )
    proposals = model.propose([a.text for a in test_rows])
    micro, macro, per_theme = multilabel_f1(
        [a.themes for a in test_rows], [p.themes for p in proposals]
    )
    stance_f1 = None
    scored = [(a.stance, p.stance) for a, p in zip(test_rows, proposals, strict=True) if a.stance]
    if scored and model.stance_model is not None:
        stance_f1 = macro_f1([g for g, _ in scored], [p or "" for _, p in scored])
    return Scores(len(train_rows), micro, macro, stance_f1, per_theme), proposals


@dataclass
class Evaluation:
    """The evaluation of the model: the full split's scores and the learning curve."""

    rows: int
    train_rows: int
    test_rows: int
    seed: int
    scores: Scores
    curve: list[Scores]

    def as_json(self) -> dict[str, object]:
        """Return the result as the JSON object ``text evaluate --json`` writes."""

        def r(value: float | None) -> float | None:
            return None if value is None else round(value, 4)

        return {
            "rows": self.rows,
            "train_rows": self.train_rows,
            "test_rows": self.test_rows,
            "seed": self.seed,
            "micro_f1": r(self.scores.micro_f1),
            "macro_f1": r(self.scores.macro_f1),
            "stance_macro_f1": r(self.scores.stance_macro_f1),
            "per_theme_f1": {k: r(v) for k, v in self.scores.per_theme.items()},
            "learning_curve": [
                {
                    "train_size": s.train_size,
                    "micro_f1": r(s.micro_f1),
                    "macro_f1": r(s.macro_f1),
                    "stance_macro_f1": r(s.stance_macro_f1),
                }
                for s in self.curve
            ],
        }


def evaluate(
    answers: Sequence[LabelledAnswer],
    train_fraction: float = 0.8,
    seed: int = 0,
    sizes: Sequence[int] = CURVE_SIZES,
    progress: Callable[[str], None] | None = None,
    embedder: Embedder | None = None,
) -> Evaluation:
    """Split, train and score, then build the learning curve.

    For each curve size smaller than the training side, train and score again on the first n
    training rows (in the seeded order, so a larger size contains a smaller).

    Raises:
        ValueError: for a bad fraction, or when either side of the split is empty.
    """
    train_rows, test_rows = group_split(answers, train_fraction, seed)
    if not train_rows or not test_rows:
        raise ValueError("the split left no rows on one side; add more labelled answers")
    scores, _ = score_model(train_rows, test_rows, seed, progress, embedder)
    curve = []
    for size in sizes:
        if size < len(train_rows):
            if progress is not None:
                progress(f"learning curve at {size}")
            curve.append(score_model(train_rows[:size], test_rows, seed, embedder=embedder)[0])
    curve.append(scores)
    return Evaluation(len(answers), len(train_rows), len(test_rows), seed, scores, curve)
