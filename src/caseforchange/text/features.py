"""Text -> features: TF-IDF on words (1-2 grams) and characters (3-5 grams within words).

Word n-grams catch phrases ("waiting time", "not listened"); character n-grams catch spelling
variants and word forms ("rude"/"rudely", "recepsionist") that short comments are full of.
Both use sublinear term frequency, so one word repeated does not dominate a comment.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
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
