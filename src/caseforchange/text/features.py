"""Text -> features: TF-IDF on words (1-2 grams) and characters (3-5 grams within words).

Word n-grams catch phrases ("waiting time", "not listened"); character n-grams catch spelling
variants and word forms ("rude"/"rudely", "recepsionist") that short comments are full of.
Both use sublinear term frequency, so one word repeated does not dominate a comment.

For stance, :func:`sentiment` adds two dense columns from the VADER sentiment lexicon and rules
(the ``vaderSentiment`` package, which ships its lexicon; nothing is downloaded): the compound
score in [-1, 1] and its absolute value. The compound score carries what TF-IDF learns slowly
from a few hundred codings (that "excellent" is positive and "not good" negative, words the
coded answers may never have used); its absolute value lets a linear model tell "no strong
feeling" (neutral, unclear) from both ends, which the signed score alone cannot.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer

_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Return ``text`` lower-cased with runs of white space made one space. Never raises."""
    return _SPACE.sub(" ", text.lower()).strip()


#: Character n-gram lengths, and the most character n-grams kept (the most frequent).
CHAR_RANGE = (3, 5)
MAX_CHAR_FEATURES = 150_000


class TextFeatures:
    """A fitted pair of TF-IDF vectorisers (words and characters), stacked side by side."""

    def __init__(self, max_char_features: int | None = None, characters: bool = True) -> None:
        #: False leaves out the character n-grams (words only; the benchmark's ablation).
        self.characters = characters
        self.words = TfidfVectorizer(
            ngram_range=(1, 2),
            sublinear_tf=True,
            min_df=1,
            token_pattern=r"(?u)\b\w+\b",
            strip_accents="unicode",
            dtype=np.float64,
        )
        self.chars = TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=CHAR_RANGE,
            sublinear_tf=True,
            min_df=2,
            max_features=max_char_features or MAX_CHAR_FEATURES,
            strip_accents="unicode",
            dtype=np.float64,
        )

    def fit(self, texts: Sequence[str]) -> TextFeatures:
        """Learn both vocabularies from ``texts``; returns self. Raises ValueError if all empty."""
        docs = [normalise(t) for t in texts]
        self.words.fit(docs)
        if not self.characters:
            return self
        # min_df=2 needs at least two documents; a tiny corpus keeps every character n-gram.
        if len(docs) < 4:
            self.chars.set_params(min_df=1)
        self.chars.fit(docs)
        return self

    @property
    def width(self) -> int:
        """Return the number of feature columns (words plus characters) once fitted."""
        chars = len(self.chars.vocabulary_) if self.characters else 0
        return len(self.words.vocabulary_) + chars

    def transform(self, texts: Sequence[str]) -> csr_matrix:
        """Return the stacked TF-IDF rows of ``texts`` (rows are L2-normalised per block)."""
        docs = [normalise(t) for t in texts]
        if not self.characters:
            return csr_matrix(self.words.transform(docs))
        stacked = hstack([self.words.transform(docs), self.chars.transform(docs)])
        return csr_matrix(stacked)


@cache
def _analyser() -> Any:
    """Return VADER's analyser (its lexicon read once from the package), or None if absent."""
    try:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    except ImportError:
        return None
    return SentimentIntensityAnalyzer()


def sentiment_available() -> bool:
    """Return True when the ``vaderSentiment`` package (the ``text`` extra) is installed."""
    return _analyser() is not None


def sentiment(texts: Sequence[str]) -> NDArray[np.float64]:
    """Return a (texts x 2) array: per text VADER's compound score and its absolute value.

    The raw text is scored (VADER reads capitals and exclamation marks as emphasis). An empty
    text scores 0.

    Raises:
        RuntimeError: when ``vaderSentiment`` is not installed (see :func:`sentiment_available`).
    """
    analyser = _analyser()
    if analyser is None:
        raise RuntimeError("the sentiment lexicon needs the vaderSentiment package (text extra)")
    out = np.zeros((len(texts), 2))
    for i, text in enumerate(texts):
        compound = float(analyser.polarity_scores(text)["compound"])
        out[i] = (compound, abs(compound))
    return out
