"""Which answers a person should code next, and which proposals need a person's review.

Uncertainty sampling: the answers the model is least sure of (lowest confidence: the least
estimated chance that the proposed themes are exactly right) teach it most when a person codes
them. Exact duplicates are offered once, so a person never codes the same words twice in one
batch.

Both orders read the proposal's own confidence (calibrated on, and read from, the fold models:
:mod:`caseforchange.text.classify`), not the full model's sharper probabilities, so the order
matches the figure a person is shown and the review bar sits on a calibrated estimate; on the
hand-written sets the least confident fifth is nearly the same answers either way
(docs/text.md, "Confidence against the truth").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from caseforchange.text.classify import Proposal
from caseforchange.text.features import normalise

#: Proposals below this confidence wait in the review queue: by the model's own estimate they
#: are more likely wrong than right.
REVIEW_BELOW = 0.5


def _order(proposals: Mapping[str, Proposal], ids: Sequence[str]) -> list[str]:
    position = {i: n for n, i in enumerate(ids)}
    return sorted(ids, key=lambda i: (proposals[i].confidence, position[i]))


def code_next(
    proposals: Mapping[str, Proposal], texts: Mapping[str, str], count: int = 20
) -> list[str]:
    """Return up to ``count`` response ids to code next, least confident first.

    Only ids in both ``proposals`` and ``texts`` are considered, in ``texts`` order for ties.
    """
    ids = [i for i in texts if i in proposals]
    chosen: list[str] = []
    seen: set[str] = set()
    for i in _order(proposals, ids):
        key = normalise(texts[i])
        if key in seen:
            continue
        seen.add(key)
        chosen.append(i)
        if len(chosen) == count:
            break
    return chosen


def review_queue(proposals: Mapping[str, Proposal], below: float = REVIEW_BELOW) -> list[str]:
    """Return the ids of proposals with confidence below ``below``, least confident first.

    Ties keep the mapping's order.
    """
    ids = [i for i, p in proposals.items() if p.confidence < below]
    return _order(proposals, ids)
