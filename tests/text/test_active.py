"""Which answers to code next (least confident first, no duplicates) and the review queue."""

from __future__ import annotations

from caseforchange.text.active import code_next, review_queue
from caseforchange.text.classify import Proposal


def _p(confidence: float) -> Proposal:
    return Proposal(("x",), {"x": 0.5}, confidence)


PROPOSALS = {"a": _p(0.9), "b": _p(0.1), "c": _p(0.3), "d": _p(0.1), "e": _p(0.6)}
TEXTS = {"a": "one", "b": "two", "c": "three", "d": "Two", "e": "four"}


def test_code_next_is_least_confident_first_without_repeated_words() -> None:
    # b and d tie at 0.1 with the same words (case aside): only b, the first, is offered.
    assert code_next(PROPOSALS, TEXTS, 3) == ["b", "c", "e"]


def test_review_queue_holds_proposals_below_the_bar() -> None:
    assert review_queue(PROPOSALS) == ["b", "d", "c"]
    assert review_queue(PROPOSALS, below=0.7) == ["b", "d", "c", "e"]
