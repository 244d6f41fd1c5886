"""The peer picture: what other provider arms chose, beside this programme's recommendation."""

from __future__ import annotations

from dataclasses import dataclass

from caseforchange.domain.reference import PeerPicture, Share


@dataclass(frozen=True)
class PeerComparison:
    """The survey share matching the recommended form, or None when the survey has no match."""

    form: str | None
    share: Share | None
    other_percent: float


def compare(picture: PeerPicture, recommended_form: str | None) -> PeerComparison:
    """Return the survey answer that matches ``recommended_form`` and the share not listed.

    ``other_percent`` is 100 less the listed shares: answers the report of the survey did not
    break down (other forms and undecided).
    """
    match = next((s for s in picture.shares if recommended_form in s.forms), None)
    other = 100.0 - sum(s.percent for s in picture.shares)
    return PeerComparison(recommended_form, match, other)
