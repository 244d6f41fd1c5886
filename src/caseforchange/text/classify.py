"""A classifier that learns themes and stance from the answers people have coded.

One logistic regression per theme on TF-IDF features (:mod:`caseforchange.text.features`)
scaled by the theme's naive-Bayes log-count ratios (NB-LR: a word seen mostly in the theme's
answers weighs more, which helps on short answers and few codings), each with its own
decision threshold chosen on out-of-fold probabilities of the training data
(cross-validated, so the threshold is tuned on answers the model did not see). When the
training codings give nearly every answer a theme, an answer whose themes all fall below their
thresholds gets the one it is closest to (decided on the same out-of-fold probabilities);
otherwise it is left without a theme and the ledger says it is unclassifiable. Stance is one
multi-class (one-vs-rest) logistic regression on the same features plus two from a sentiment
lexicon (VADER's compound score and its absolute value, see
:func:`caseforchange.text.features.sentiment`), its regularisation chosen by cross-validation on
the training codings (:func:`choose_stance_c`); on the three illustrative sets the two raised
stance macro-F1 by 1 to 7 points. Everything is seeded, so the same inputs give the same model.

Confidence is the estimated probability that the proposed set of themes is exactly right (no
theme missing, none extra), fitted on the same out-of-fold predictions: each theme's
probability is calibrated (Platt scaling of its out-of-fold probabilities against the codings),
the calibrated probabilities of the proposal's choices are multiplied (the chance that every
theme is decided right, were the themes independent), and that product is calibrated once more
against whether each out-of-fold proposal was in fact wholly right, which corrects for the
themes not being independent. The model trained on all the codings decides the themes, but the
confidence reads the mean probability of the fold models that made the out-of-fold predictions
(kept in the model as :class:`FoldMean`): the calibration was fitted on their probabilities,
and the full model's are sharper, so reading those made the confidence run high. Stance has
its own confidence, the stance model's probability.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_matrix, diags, hstack
from scipy.special import expit, logit
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold
from sklearn.multiclass import OneVsRestClassifier

from caseforchange.text.features import TextFeatures, sentiment, sentiment_available

#: Inverse regularisation of the theme models (tuned on the shipped sets).
THEME_C = 1.0
#: The stance model's inverse regularisation is picked from STANCE_GRID by cross-validated
#: macro-F1 on the training codings (:func:`choose_stance_c`); STANCE_C when the codings are
#: too few to cross-validate, and on ties.
STANCE_C = 4.0
STANCE_GRID = (1.0, 4.0, 16.0)
#: Answers proposed for at a time (bounds the memory of the feature rows).
CHUNK = 2000
#: Smoothing of the naive-Bayes counts (one pseudo-answer with every feature on each side).
NB_ALPHA = 1.0
#: Pseudo-positives at the pooled threshold (the one best for all themes together) mixed into
#: a theme's tuned threshold: a theme coded n times gets (n * tuned + SHRINK * pooled) /
#: (n + SHRINK). Off: on our sets it changed F1 by less than the seeds' spread (see
#: ``bench_text.py quality``), so the tuned thresholds stand as they are.
SHRINK = 0.0
#: Probabilities are kept this far from 0 and 1 before taking logits (finite calibration).
_EPS = 1e-4
#: Thresholds are picked from this grid of probabilities.
_GRID = np.round(np.arange(0.05, 0.951, 0.01), 2)

#: Turns texts into dense vectors (e.g. sentence embeddings) added beside the TF-IDF features.
Embedder = Callable[[Sequence[str]], NDArray[np.float64]]
Matrix = NDArray[np.float64]


@dataclass(frozen=True)
class Proposal:
    """The model's proposal for one answer.

    ``confidence`` is the estimated probability that ``themes`` is exactly the set a person
    would give (see the module's description); ``probabilities`` are each theme's own
    probability from the model trained on all the codings (what the thresholds decide on),
    before calibration. ``forced`` says the answer's only theme was given because
    none passed its threshold.
    """

    themes: tuple[str, ...]
    probabilities: dict[str, float]
    confidence: float
    stance: str | None = None
    stance_confidence: float | None = None
    forced: bool = False


@dataclass(frozen=True)
class Settings:
    """Which refinements the model uses; all on by default.

    The benchmark turns them off one at a time to show what each is worth.
    """

    #: Character n-grams beside the word n-grams.
    characters: bool = True
    #: Naive-Bayes log-count ratio scaling of the TF-IDF features.
    naive_bayes: bool = True
    #: Per-theme thresholds tuned on out-of-fold probabilities (else 0.5 for every theme).
    tuned_thresholds: bool = True
    #: Pseudo-positives pulling a tuned threshold toward the pooled one (0: none).
    shrinkage: float = SHRINK
    #: Give an answer with no theme its nearest one when that helped out of fold.
    at_least_one: bool = True
    #: Sentiment-lexicon scores beside the stance model's features (when vaderSentiment is
    #: installed).
    lexicon: bool = True
    #: Pick the stance model's C from STANCE_GRID by cross-validation (else STANCE_C).
    stance_search: bool = True


class NBLogistic:
    """Logistic regression on features scaled by naive-Bayes log-count ratios (NB-LR).

    For a theme, each of the first ``scaled`` feature columns (the TF-IDF ones) is multiplied
    by r = log((p_on + a) / |p + a| / ((q_on + a) / |q + a|)), where p_on and q_on count the
    answers with and without the theme that have the feature at all. Later columns (dense
    sentence embeddings) keep weight 1. Then a class-weighted logistic regression is fitted.
    """

    def __init__(self, seed: int, scaled: int | None = None, naive_bayes: bool = True) -> None:
        self.seed = seed
        self.scaled = scaled
        self.naive_bayes = naive_bayes
        self.ratios: Matrix = np.zeros(0)
        self.model = LogisticRegression(
            C=THEME_C,
            class_weight="balanced",
            solver="liblinear",
            dual=True,
            max_iter=2000,
            random_state=seed,
        )

    def fit(self, x: csr_matrix, y: NDArray[np.bool_]) -> NBLogistic:
        """Learn the ratios and the regression from rows ``x`` and truth ``y``; returns self."""
        width = x.shape[1] if self.scaled is None else self.scaled
        present = csr_matrix(x[:, :width] > 0, dtype=np.float64)
        on = np.asarray(present[y].sum(axis=0)).ravel() + NB_ALPHA
        off = np.asarray(present[~y].sum(axis=0)).ravel() + NB_ALPHA
        ratios = np.ones(x.shape[1])
        if self.naive_bayes:
            ratios[:width] = np.log((on / on.sum()) / (off / off.sum()))
        self.ratios = ratios
        self.model.fit(self._scale(x), y)
        return self

    def _scale(self, x: csr_matrix) -> csr_matrix:
        return csr_matrix(x @ diags(self.ratios))

    def predict_proba(self, x: csr_matrix) -> Matrix:
        """Return the (rows x 2) probabilities of [not the theme, the theme].

        The ratios are folded into the weights (w . (r * x) = (w * r) . x), so the rows are
        not copied.
        """
        weights = self.model.coef_.ravel() * self.ratios
        z = np.asarray(x @ weights).ravel() + float(self.model.intercept_[0])
        p = expit(z)
        return np.column_stack([1.0 - p, p])


def _theme_model(seed: int, scaled: int | None, settings: Settings) -> NBLogistic:
    return NBLogistic(seed, scaled, settings.naive_bayes)


def _stance_model(seed: int, c: float = STANCE_C) -> OneVsRestClassifier:
    # One-vs-rest with liblinear: as good as the multinomial fit here and many times faster
    # on wide TF-IDF features; predict_proba normalises the per-class probabilities.
    return OneVsRestClassifier(
        LogisticRegression(
            C=c,
            class_weight="balanced",
            solver="liblinear",
            dual=True,
            max_iter=2000,
            random_state=seed,
        )
    )


def choose_stance_c(x: csr_matrix, labels: Sequence[str], seed: int, folds: int = 5) -> float:
    """Return the C in STANCE_GRID whose stance model scores the best out-of-fold macro-F1.

    The folds are stratified and seeded; ties go to the C nearest STANCE_C (on a log scale).
    Returns STANCE_C when the rarest stance has fewer than two codings (no fold could hold
    one out). Never raises for two or more distinct labels.
    """
    y = np.asarray(labels, dtype=object)
    _, counts = np.unique(y, return_counts=True)
    k = min(folds, int(counts.min()))
    if k < 2 or len(counts) < 2:
        return STANCE_C
    splitter = StratifiedKFold(n_splits=k, shuffle=True, random_state=seed)
    splits = list(splitter.split(np.zeros(len(y)), y))
    scores = []
    for c in STANCE_GRID:
        predicted = np.empty(len(y), dtype=object)
        for fit_rows, held_rows in splits:
            model = _stance_model(seed, c).fit(x[fit_rows], y[fit_rows])
            predicted[held_rows] = model.predict(x[held_rows])
        scores.append(f1_score(y, predicted, average="macro", zero_division=0.0))
    best = max(scores)
    tied = [c for c, f in zip(STANCE_GRID, scores, strict=True) if np.isclose(f, best)]
    return min(tied, key=lambda c: abs(np.log(c / STANCE_C)))


def best_threshold(probabilities: Matrix, truth: NDArray[np.bool_]) -> float:
    """Return the grid threshold that maximises F1 of ``probabilities >= t`` against ``truth``.

    Ties go to the threshold nearest 0.5, so that a flat stretch does not push it to an end.
    Returns 0.5 when ``truth`` has no positives. Never raises.
    """
    positives = int(truth.sum())
    if positives == 0:
        return 0.5
    predicted = probabilities[None, :] >= _GRID[:, None]
    tp = (predicted & truth[None, :]).sum(axis=1)
    f1 = 2 * tp / (predicted.sum(axis=1) + positives)
    best = f1.max()
    candidates = _GRID[np.isclose(f1, best)]
    return float(candidates[np.argmin(np.abs(candidates - 0.5))])


def shrink_threshold(
    tuned: float, positives: int, strength: float = SHRINK, toward: float = 0.5
) -> float:
    """Return ``tuned`` pulled toward ``toward`` as if ``strength`` extra positives chose it.

    With many positives the tuned threshold stands; with few it is mostly ``toward``.
    Never raises.
    """
    if positives + strength <= 0:
        return tuned
    return (positives * tuned + strength * toward) / (positives + strength)


def platt(scores: Matrix, truth: NDArray[np.bool_]) -> tuple[float, float]:
    """Return (slope, intercept) mapping logit(score) to a calibrated logit of ``truth``.

    A one-feature logistic regression (lightly regularised, so a handful of rows give a
    tempered fit). The slope is kept at 0 or above, so calibration never reverses an order.
    With one class only in ``truth``, returns (1, 0): the scores as they are. Never raises.
    """
    if truth.all() or not truth.any():
        return 1.0, 0.0
    z = logit(np.clip(scores, _EPS, 1 - _EPS))[:, None]
    fit = LogisticRegression(C=1.0, solver="lbfgs", max_iter=1000).fit(z, truth)
    slope = max(float(fit.coef_[0, 0]), 0.0)
    if slope == 0.0:
        # No order to keep: every row gets the base rate.
        rate = float(np.clip(truth.mean(), _EPS, 1 - _EPS))
        return 0.0, float(logit(rate))
    return slope, float(fit.intercept_[0])


def calibrated(scores: Matrix, slope: float | Matrix, intercept: float | Matrix) -> Matrix:
    """Return ``expit(slope * logit(scores) + intercept)`` (scores kept off 0 and 1)."""
    return np.asarray(expit(slope * logit(np.clip(scores, _EPS, 1 - _EPS)) + intercept))


def set_probability(probabilities: Matrix, chosen: NDArray[np.bool_], scaling: Matrix) -> Matrix:
    """Return, per row, the product over themes of P(the theme's decision is right).

    ``probabilities`` are the raw per-theme probabilities and ``scaling`` their (themes x 2)
    Platt (slope, intercept); a chosen theme is right with its calibrated probability q, a
    theme left out with 1 - q.
    """
    q = calibrated(probabilities, scaling[:, 0][None, :], scaling[:, 1][None, :])
    right = np.where(chosen, q, 1.0 - q)
    return np.asarray(np.exp(np.log(np.clip(right, _EPS, 1.0)).sum(axis=1)))


def decide(
    probabilities: Matrix, thresholds: Matrix, at_least_one: bool
) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
    """Return (chosen themes, forced rows) for an (answers x themes) matrix of probabilities.

    A theme is chosen when its probability reaches its threshold; with ``at_least_one`` a row
    with none chosen gets the theme with the highest probability relative to its threshold.
    """
    chosen = probabilities >= thresholds[None, :]
    forced = np.zeros(len(probabilities), dtype=bool)
    if at_least_one and probabilities.shape[1]:
        empty = ~chosen.any(axis=1)
        best = np.argmax(probabilities / thresholds[None, :], axis=1)
        chosen[np.flatnonzero(empty), best[empty]] = True
        forced = np.asarray(empty, dtype=bool)
    return chosen, forced


def _micro_f1(chosen: NDArray[np.bool_], truth: NDArray[np.bool_]) -> float:
    tp = int((chosen & truth).sum())
    denominator = int(chosen.sum() + truth.sum())
    return 2 * tp / denominator if denominator else 1.0


@dataclass(frozen=True)
class FoldMean:
    """One theme's fold models, kept for the confidence: each reduced to its folded weights.

    Row k of ``weights`` is fold model k's coefficients times its naive-Bayes ratios and
    ``intercepts[k]`` its intercept, so fold k's probability for rows ``x`` is
    ``expit(x @ weights[k] + intercepts[k])``, as :meth:`NBLogistic.predict_proba` computes it.
    """

    weights: Matrix
    intercepts: Matrix

    @classmethod
    def of(cls, models: Sequence[NBLogistic]) -> FoldMean:
        """Return the fold models ``models`` reduced to their weights and intercepts."""
        return cls(
            np.vstack([m.model.coef_.ravel() * m.ratios for m in models]),
            np.array([float(m.model.intercept_[0]) for m in models]),
        )

    def probability(self, x: csr_matrix) -> Matrix:
        """Return, per row of ``x``, the mean of the fold models' probabilities of the theme."""
        z = np.asarray(x @ self.weights.T) + self.intercepts[None, :]
        return np.asarray(expit(z).mean(axis=1))


@dataclass
class ThemeModel:
    """A fitted theme and stance model; :meth:`propose` gives a :class:`Proposal` per text."""

    features: TextFeatures
    themes: list[str]
    models: dict[str, NBLogistic | None]
    thresholds: dict[str, float]
    at_least_one: bool
    stance_model: OneVsRestClassifier | None = None
    embedder: Embedder | None = field(default=None, repr=False)
    #: Per theme (in ``themes`` order) the Platt (slope, intercept) of its probabilities.
    scaling: Matrix = field(default_factory=lambda: np.zeros((0, 2)))
    #: Platt (slope, intercept) turning the product of theme decisions into the confidence.
    set_scaling: tuple[float, float] = (1.0, 0.0)
    #: The stance model also reads the sentiment-lexicon scores (:func:`stance_matrix`).
    lexicon: bool = False
    #: Per theme, the fold models whose out-of-fold probabilities tuned its threshold and its
    #: calibration; the confidence reads their mean (:meth:`calibration_probabilities`). A
    #: theme too rarely coded for folds has none.
    folds: dict[str, FoldMean] = field(default_factory=dict, repr=False)
    #: Themes every coded answer has: no model, probability 1 for every answer.
    always: frozenset[str] = frozenset()

    def confidence(self, probabilities: Matrix, chosen: NDArray[np.bool_]) -> Matrix:
        """Return, per row, the estimated probability that the chosen theme set is right.

        ``probabilities`` are what the calibration was fitted on: those of
        :meth:`calibration_probabilities`, not the full model's.
        """
        if not self.themes:
            return np.zeros(len(probabilities))
        scaling = self.scaling if len(self.scaling) else np.tile([1.0, 0.0], (len(self.themes), 1))
        joint = set_probability(probabilities, chosen, scaling)
        return calibrated(joint, *self.set_scaling)

    def matrix(self, texts: Sequence[str]) -> csr_matrix:
        """Return the feature rows of ``texts`` (TF-IDF, plus embeddings when configured)."""
        return _features(self.features, texts, self.embedder)

    def stance_matrix(self, texts: Sequence[str], x: csr_matrix) -> csr_matrix:
        """Return the stance model's rows: ``x`` (the rows of ``texts``) plus the lexicon's."""
        return _with_lexicon(x, texts) if self.lexicon else x

    def probabilities(self, x: csr_matrix) -> Matrix:
        """Return the (rows x themes) probabilities.

        A theme with no model gets 0 when it was never coded, 1 when every answer had it.
        """
        out = np.zeros((x.shape[0], len(self.themes)))
        for j, theme in enumerate(self.themes):
            model = self.models[theme]
            if model is not None:
                out[:, j] = model.predict_proba(x)[:, 1]
            elif theme in self.always:
                out[:, j] = 1.0
        return out

    def calibration_probabilities(self, x: csr_matrix, probabilities: Matrix) -> Matrix:
        """Return the (rows x themes) probabilities the confidence reads, for rows ``x``.

        A theme with fold models gets the mean of their probabilities, like the out-of-fold
        ones its calibration was fitted on; any other keeps its column of ``probabilities``
        (the full model's, which is what stood in for its out-of-fold view in training).
        """
        out = probabilities.copy()
        for j, theme in enumerate(self.themes):
            folds = self.folds.get(theme)
            if folds is not None:
                out[:, j] = folds.probability(x)
        return out

    def propose(self, texts: Sequence[str]) -> list[Proposal]:
        """Return the proposal (themes, stance, confidences) for each text, in order.

        Texts are taken :data:`CHUNK` at a time, so memory stays bounded however many there are.
        """
        out: list[Proposal] = []
        for start in range(0, len(texts), CHUNK):
            out += self._propose(texts[start : start + CHUNK])
        return out

    def _propose(self, texts: Sequence[str]) -> list[Proposal]:
        if not texts:
            return []
        x = self.matrix(texts)
        probs = self.probabilities(x)
        thresholds = np.array([self.thresholds[t] for t in self.themes])
        chosen, forced = decide(probs, thresholds, self.at_least_one)
        # The full model decides; the confidence reads the fold models' mean, which its
        # calibration was fitted on (the full model's sharper probabilities made it run high).
        certainty = self.confidence(self.calibration_probabilities(x, probs), chosen)
        stance_probs = (
            self.stance_model.predict_proba(self.stance_matrix(texts, x))
            if self.stance_model is not None
            else None
        )
        out = []
        for i in range(len(texts)):
            confidence = float(certainty[i])
            stance, stance_conf = None, None
            if stance_probs is not None and self.stance_model is not None:
                k = int(np.argmax(stance_probs[i]))
                stance = str(self.stance_model.classes_[k])
                stance_conf = round(float(stance_probs[i, k]), 4)
            out.append(
                Proposal(
                    themes=tuple(t for t, c in zip(self.themes, chosen[i], strict=True) if c),
                    probabilities={
                        t: round(float(p), 4) for t, p in zip(self.themes, probs[i], strict=True)
                    },
                    confidence=round(confidence, 4),
                    stance=stance,
                    stance_confidence=stance_conf,
                    forced=bool(forced[i]),
                )
            )
        return out


def _features(
    features: TextFeatures, texts: Sequence[str], embedder: Embedder | None
) -> csr_matrix:
    x = features.transform(texts)
    if embedder is None:
        return x
    return csr_matrix(hstack([x, csr_matrix(embedder(texts))]))


def _with_lexicon(x: csr_matrix, texts: Sequence[str]) -> csr_matrix:
    # The two scores lie in [-1, 1] and [0, 1], on the scale of the L2-normalised TF-IDF
    # blocks, so the one regularisation suits both (weighting them 2 or 3 times did worse).
    return csr_matrix(hstack([x, csr_matrix(sentiment(texts))]))


def train(
    texts: Sequence[str],
    theme_sets: Sequence[Sequence[str]],
    stances: Sequence[str | None] | None = None,
    themes: Sequence[str] | None = None,
    *,
    seed: int = 0,
    folds: int = 5,
    embedder: Embedder | None = None,
    progress: Callable[[str], None] | None = None,
    settings: Settings | None = None,
) -> ThemeModel:
    """Return a model trained on coded answers.

    Args:
        texts: the coded answers.
        theme_sets: the themes a person gave each answer (may be empty).
        stances: the stance a person gave each answer, or None where not coded.
        themes: the codebook's theme ids (default: every theme seen, sorted).
        seed: seeds the folds and the solvers.
        folds: cross-validation folds for the thresholds and the calibration; each theme's
            fold models are kept in the model, for the confidence.
        embedder: optional dense features (sentence embeddings) beside TF-IDF.
        progress: called with the name of each step as it starts.
        settings: which refinements to use (default: all).

    Raises:
        ValueError: when there are no texts or the lengths differ.
    """
    if not texts:
        raise ValueError("no coded answers to learn from")
    if len(theme_sets) != len(texts) or (stances is not None and len(stances) != len(texts)):
        raise ValueError("texts, themes and stances must have the same length")
    settings = settings or Settings()
    order = sorted({t for s in theme_sets for t in s}) if themes is None else list(themes)
    features = TextFeatures(characters=settings.characters).fit(texts)
    x = _features(features, texts, embedder)
    truth = np.array([[t in set(s) for t in order] for s in theme_sets], dtype=bool).reshape(
        len(texts), len(order)
    )
    models: dict[str, NBLogistic | None] = {}
    scaled = features.width
    thresholds: dict[str, float] = {}
    oof = np.zeros(truth.shape)
    scaling = np.tile([1.0, 0.0], (len(order), 1))
    tuned: list[int] = []
    kept: dict[str, FoldMean] = {}
    always: set[str] = set()
    for j, theme in enumerate(order):
        if progress is not None:
            progress(f"theme {theme}")
        y = truth[:, j]
        positives, negatives = int(y.sum()), int((~y).sum())
        thresholds[theme] = 0.5
        if positives == 0 or negatives == 0:
            # Nothing to tell apart: never propose a theme no one used; always one everyone did.
            models[theme] = None
            oof[:, j] = 1.0 if negatives == 0 else 0.0
            if negatives == 0:
                always.add(theme)
            continue
        models[theme] = _theme_model(seed, scaled, settings).fit(x, y)
        k = min(folds, positives, negatives)
        if k < 2:
            # One positive (or negative): no fold could hold it out, so no out-of-fold view;
            # the full model's own probabilities stand in (in-sample, so optimistic).
            oof[:, j] = models[theme].predict_proba(x)[:, 1]  # type: ignore[union-attr]
            continue
        splitter = StratifiedKFold(n_splits=k, shuffle=True, random_state=seed)
        fold_models = []
        for fit_rows, held_rows in splitter.split(np.zeros(len(y)), y):
            fold_model = _theme_model(seed, scaled, settings).fit(x[fit_rows], y[fit_rows])
            oof[held_rows, j] = fold_model.predict_proba(x[held_rows])[:, 1]
            fold_models.append(fold_model)
        kept[theme] = FoldMean.of(fold_models)
        if settings.tuned_thresholds:
            thresholds[theme] = best_threshold(oof[:, j], y)
            tuned.append(j)
        scaling[j] = platt(oof[:, j], y)
    if tuned:
        # A rare theme's optimum rests on a few positives: pull it toward the one threshold
        # that suits all tuned themes together (their out-of-fold probabilities pooled).
        pooled = best_threshold(oof[:, tuned].ravel(), truth[:, tuned].ravel())
        for j in tuned:
            theme = order[j]
            thresholds[theme] = shrink_threshold(
                thresholds[theme], int(truth[:, j].sum()), settings.shrinkage, pooled
            )
    vector = np.array([thresholds[t] for t in order])
    without, _ = decide(oof, vector, at_least_one=False)
    with_one, _ = decide(oof, vector, at_least_one=True)
    at_least_one = (
        settings.at_least_one
        and bool(order)
        and _micro_f1(with_one, truth) > _micro_f1(without, truth)
    )
    # The confidence's last step: how often an out-of-fold proposal with a given product of
    # per-theme probabilities was wholly right.
    proposed = with_one if at_least_one else without
    right = (proposed == truth).all(axis=1)
    set_scaling = platt(set_probability(oof, proposed, scaling), right) if order else (1.0, 0.0)
    stance_model = None
    lexicon = False
    if stances is not None:
        if progress is not None:
            progress("stance")
        rows = [i for i, s in enumerate(stances) if s]
        labels = [str(stances[i]) for i in rows]
        if len(set(labels)) >= 2:
            lexicon = settings.lexicon and sentiment_available()
            coded = x[rows]
            if lexicon:
                coded = _with_lexicon(coded, [texts[i] for i in rows])
            c = choose_stance_c(coded, labels, seed, folds) if settings.stance_search else STANCE_C
            stance_model = _stance_model(seed, c).fit(coded, labels)
    return ThemeModel(
        features,
        order,
        models,
        thresholds,
        at_least_one,
        stance_model,
        embedder,
        scaling,
        set_scaling,
        lexicon,
        kept,
        frozenset(always),
    )
