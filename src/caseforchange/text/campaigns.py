"""Organised campaigns: template and near-duplicate responses, found with MinHash LSH.

Each answer long enough to be a campaign letter is cut into overlapping character shingles of
its normalised text (lower case, letters and digits only, one space between words), so that
changed names, punctuation, an added or dropped sentence or a new order of sentences change
only a part of the shingles. MinHash LSH (datasketch) finds candidate pairs quickly; each pair
is then confirmed on the exact shingle sets, by Jaccard similarity or by containment (most of
the shorter answer inside the longer, as when sentences are dropped). Confirmed pairs are
joined into groups; a group of at least ``min_size`` answers is a campaign.

Short or generic answers ("nothing to add", "no comment") are never considered: they fall
below the minimum number of distinct content words, however many people wrote them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash, MinHashLSH
from numpy.typing import NDArray

from caseforchange.text.features import normalise

#: Character shingle length: long enough that two unrelated answers share few.
SHINGLE = 6
NUM_PERM = 64
#: LSH threshold (Jaccard) for candidate pairs; confirmed below on the exact sets.
LSH_THRESHOLD = 0.3
JACCARD = 0.4
CONTAINMENT = 0.8
#: Answers with fewer distinct content words than this are never part of a campaign.
MIN_CONTENT_WORDS = 8
MIN_SIZE = 3
#: Indexed members per group; later members are matched against these, not indexed.
MAX_INDEXED = 50

_NON_WORD = re.compile(r"[^a-z0-9 ]+")
_STOP = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "for",
        "from",
        "has",
        "have",
        "i",
        "i'm",
        "in",
        "is",
        "it",
        "its",
        "me",
        "my",
        "no",
        "not",
        "of",
        "on",
        "or",
        "our",
        "so",
        "that",
        "the",
        "their",
        "there",
        "this",
        "to",
        "was",
        "we",
        "were",
        "will",
        "with",
        "you",
        "your",
        "nothing",
        "else",
        "add",
        "comment",
        "comments",
        "thanks",
        "thank",
    ]
)


def clean(text: str) -> str:
    """Return ``text`` lower-cased, without punctuation, with single spaces. Never raises."""
    return " ".join(_NON_WORD.sub(" ", normalise(text)).split())


def shingles(text: str, size: int = SHINGLE) -> set[str]:
    """Return the set of character shingles of the cleaned ``text`` (empty if too short)."""
    cleaned = clean(text)
    return {cleaned[i : i + size] for i in range(len(cleaned) - size + 1)}


def eligible(text: str) -> bool:
    """Return True when ``text`` has enough distinct content words to be a campaign letter."""
    return len({w for w in clean(text).split() if w not in _STOP}) >= MIN_CONTENT_WORDS


@dataclass(frozen=True)
class Campaign:
    """A group of template or near-duplicate answers: its members and a template text.

    ``template`` is the member most like the others (the medoid), redacted by the caller if
    it is shown.
    """

    id: str
    members: tuple[str, ...]
    template: str
    template_id: str

    @property
    def size(self) -> int:
        """The number of responses in the campaign."""
        return len(self.members)


def shingle_values(text: str, size: int = SHINGLE) -> NDArray[np.uint64]:
    """Return the text's distinct shingles, each packed exactly into one integer, sorted.

    The cleaned text is ASCII (letters, digits, spaces), so a shingle of up to 8 characters
    packs into 64 bits without loss; numpy does it for all shingles at once.
    """
    data = np.frombuffer(clean(text).encode("ascii", "ignore"), dtype=np.uint8)
    if len(data) < size:
        return np.zeros(0, dtype=np.uint64)
    wide = data.astype(np.uint64)
    count = len(data) - size + 1
    packed = wide[:count].copy()
    for k in range(1, size):
        packed |= wide[k : k + count] << np.uint64(8 * k)
    return np.unique(packed)


#: Multiply-shift hash functions for the MinHash signatures (fixed, so runs agree).
_GENERATOR = np.random.default_rng(1)
_MULTIPLY = _GENERATOR.integers(1, 2**63, NUM_PERM, dtype=np.uint64) | np.uint64(1)
_ADD = _GENERATOR.integers(0, 2**63, NUM_PERM, dtype=np.uint64)


def signature(values: NDArray[np.uint64]) -> NDArray[np.uint64]:
    """Return the MinHash signature of a set of packed shingles (NUM_PERM 32-bit minima)."""
    if not len(values):
        return np.full(NUM_PERM, 2**32 - 1, dtype=np.uint64)
    with np.errstate(over="ignore"):
        hashed = (values[:, None] * _MULTIPLY + _ADD) >> np.uint64(32)
    return np.asarray(hashed.min(axis=0), dtype=np.uint64)


def similarity(a: NDArray[np.uint64], b: NDArray[np.uint64]) -> tuple[float, float]:
    """Return (Jaccard, containment of the smaller in the larger) of two shingle sets."""
    if not len(a) or not len(b):
        return 0.0, 0.0
    common = len(np.intersect1d(a, b, assume_unique=True))
    return common / (len(a) + len(b) - common), common / min(len(a), len(b))


def _similar(a: NDArray[np.uint64], b: NDArray[np.uint64]) -> bool:
    jaccard, containment = similarity(a, b)
    return jaccard >= JACCARD or containment >= CONTAINMENT


def _find(parent: list[int], i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def find_campaigns(
    answers: Sequence[tuple[str, str]],
    min_size: int = MIN_SIZE,
    progress: Callable[[int], None] | None = None,
) -> list[Campaign]:
    """Return the campaigns among (id, text) answers, largest first, then by first member.

    Campaign ids are ``campaign-1``, ``campaign-2``... in that order; members keep the input
    order. The result depends only on the input, so it is the same on every run.

    Answers are taken in order: each is compared with the indexed answers LSH offers as
    candidates, joined to the groups it is similar to, and indexed itself while its group has
    fewer than :data:`MAX_INDEXED` indexed members, so that a campaign of thousands costs
    about as much to match as one of fifty.

    Args:
        answers: (response id, text) pairs; ids must be unique.
        min_size: the fewest answers that make a campaign.
        progress: called with 1 for each answer processed.

    Raises:
        ValueError: when response ids repeat.
    """
    ids = [a for a, _ in answers]
    if len(set(ids)) != len(ids):
        raise ValueError("response ids repeat")
    index = [i for i, (_, text) in enumerate(answers) if eligible(text)]
    hashes: dict[int, NDArray[np.uint64]] = {}
    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    # The signature is computed here with numpy (all shingles at once) and carried in a
    # datasketch MinHash, which the LSH index bands; one blank MinHash is copied per answer.
    blank = MinHash(num_perm=NUM_PERM, seed=1)
    parent = list(range(len(answers)))
    indexed = [0] * len(answers)
    for i in index:
        h = shingle_values(answers[i][1])
        hashes[i] = h
        m = blank.copy()
        m.hashvalues = signature(h).astype(blank.hashvalues.dtype)
        for j in sorted(lsh.query(m)):
            ri, rj = _find(parent, i), _find(parent, j)
            if ri != rj and _similar(h, hashes[j]):
                low, high = min(ri, rj), max(ri, rj)
                parent[high] = low
                indexed[low] += indexed[high]
        root = _find(parent, i)
        if indexed[root] < MAX_INDEXED:
            lsh.insert(i, m)
            indexed[root] += 1
        if progress is not None:
            progress(1)
    groups: dict[int, list[int]] = {}
    for i in index:
        groups.setdefault(_find(parent, i), []).append(i)
    found = [sorted(g) for g in groups.values() if len(g) >= min_size]
    found.sort(key=lambda g: (-len(g), g[0]))
    out = []
    for n, g in enumerate(found, start=1):
        medoid = _medoid(g, hashes)
        members = tuple(ids[i] for i in g)
        out.append(Campaign(f"campaign-{n}", members, answers[medoid][1], ids[medoid]))
    return out


def _medoid(group: list[int], hashes: dict[int, NDArray[np.uint64]], limit: int = 60) -> int:
    """Return the member with the highest mean Jaccard similarity to (up to ``limit``) others."""
    sample = group[:limit]
    best, best_score = sample[0], -1.0
    for i in sample:
        score = float(np.mean([similarity(hashes[i], hashes[j])[0] for j in sample]))
        if score > best_score:
            best, best_score = i, score
    return best
