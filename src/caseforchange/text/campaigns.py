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

from caseforchange.text.features import normalise

#: Character shingle length: long enough that two unrelated answers share few.
SHINGLE = 6
NUM_PERM = 128
#: LSH threshold (Jaccard) for candidate pairs; confirmed below on the exact sets.
LSH_THRESHOLD = 0.3
JACCARD = 0.4
CONTAINMENT = 0.7
#: Answers with fewer distinct content words than this are never part of a campaign.
MIN_CONTENT_WORDS = 8
MIN_SIZE = 3

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


def _similar(a: set[str], b: set[str]) -> bool:
    common = len(a & b)
    if not common:
        return False
    return common / len(a | b) >= JACCARD or common / min(len(a), len(b)) >= CONTAINMENT


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
    sets: dict[int, set[str]] = {}
    hashes: dict[int, MinHash] = {}
    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    for i in index:
        s = shingles(answers[i][1])
        sets[i] = s
        m = MinHash(num_perm=NUM_PERM, seed=1)
        m.update_batch([x.encode("utf-8") for x in sorted(s)])
        hashes[i] = m
        lsh.insert(i, m)
        if progress is not None:
            progress(1)
    parent = list(range(len(answers)))
    for i in index:
        for j in sorted(lsh.query(hashes[i])):
            if j > i and _find(parent, i) != _find(parent, j) and _similar(sets[i], sets[j]):
                parent[_find(parent, j)] = _find(parent, i)
    groups: dict[int, list[int]] = {}
    for i in index:
        groups.setdefault(_find(parent, i), []).append(i)
    found = [sorted(g) for g in groups.values() if len(g) >= min_size]
    found.sort(key=lambda g: (-len(g), g[0]))
    out = []
    for n, g in enumerate(found, start=1):
        medoid = _medoid(g, sets)
        out.append(
            Campaign(f"campaign-{n}", tuple(ids[i] for i in g), answers[medoid][1], ids[medoid])
        )
    return out


def _medoid(group: list[int], sets: dict[int, set[str]], limit: int = 200) -> int:
    """Return the member with the highest mean Jaccard similarity to (up to ``limit``) others."""
    sample = group[:limit]
    best, best_score = sample[0], -1.0
    for i in sample:
        score = float(np.mean([len(sets[i] & sets[j]) / len(sets[i] | sets[j]) for j in sample]))
        if score > best_score:
            best, best_score = i, score
    return best
