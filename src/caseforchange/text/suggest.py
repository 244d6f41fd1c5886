"""Candidate themes from the data, for a person to adopt, rename, merge or ignore.

Answers are turned into TF-IDF word vectors (common English words left out), reduced with a
truncated SVD (latent semantic analysis, so that answers sharing related words are near each
other), and grouped with k-means. Each group is described by its distinctive words (those
whose mean weight in the group most exceeds their mean weight overall) and the answers nearest
its centre. A candidate is only a suggestion: it becomes a theme only when a person adds it
to the codebook.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.cluster import KMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from caseforchange.text.features import normalise


@dataclass(frozen=True)
class CandidateTheme:
    """A cluster of answers: its size, distinctive words, example answers and members."""

    id: str
    size: int
    words: tuple[str, ...]
    examples: tuple[str, ...]
    members: tuple[str, ...]


def default_clusters(answers: int) -> int:
    """Return the default number of candidates for this many answers: about sqrt(n/2), 2..15."""
    return max(2, min(15, round(math.sqrt(answers / 2))))


def suggest_themes(
    answers: Sequence[tuple[str, str]],
    clusters: int | None = None,
    seed: int = 0,
    words: int = 8,
    examples: int = 3,
) -> list[CandidateTheme]:
    """Return candidate themes among (id, text) answers, largest first.

    Raises:
        ValueError: when there are fewer than 4 answers with words, or ``clusters`` < 2.
    """
    usable = [(i, t) for i, t in answers if t.strip()]
    if len(usable) < 4:
        raise ValueError("at least 4 answers with words are needed to suggest themes")
    k = default_clusters(len(usable)) if clusters is None else clusters
    if k < 2:
        raise ValueError("ask for at least 2 candidate themes")
    k = min(k, len(usable) - 1)
    vectoriser = TfidfVectorizer(
        stop_words="english",
        ngram_range=(1, 2),
        min_df=2 if len(usable) >= 20 else 1,
        sublinear_tf=True,
        strip_accents="unicode",
    )
    x = vectoriser.fit_transform([normalise(t) for _, t in usable])
    dims = min(100, x.shape[1] - 1, len(usable) - 1)
    reduced = (
        normalize(TruncatedSVD(n_components=dims, random_state=seed).fit_transform(x))
        if dims >= 2
        else x.toarray()
    )
    labels = KMeans(n_clusters=k, n_init=10, random_state=seed).fit_predict(reduced)
    vocabulary = np.array(vectoriser.get_feature_names_out())
    overall = np.asarray(x.mean(axis=0)).ravel()
    out = []
    for c in range(k):
        rows = np.flatnonzero(labels == c)
        if not len(rows):
            continue
        lift = np.asarray(x[rows].mean(axis=0)).ravel() - overall
        top = [str(w) for w in vocabulary[np.argsort(-lift, kind="stable")[:words]]]
        centre = reduced[rows].mean(axis=0)
        nearest = rows[np.argsort(-(reduced[rows] @ centre), kind="stable")[:examples]]
        out.append((rows, top, nearest))
    out.sort(key=lambda item: (-len(item[0]), int(item[0][0])))
    return [
        CandidateTheme(
            id=f"candidate-{n}",
            size=len(rows),
            words=tuple(top),
            examples=tuple(usable[int(i)][1] for i in nearest),
            members=tuple(usable[int(i)][0] for i in rows),
        )
        for n, (rows, top, nearest) in enumerate(out, start=1)
    ]
