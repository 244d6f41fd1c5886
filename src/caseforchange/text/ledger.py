"""The considered-responses ledger: every response exactly once, and who decided.

Each response carries its themes and stance or an explicit reason.

Precedence, for each response to a question:

1. no words -> ``empty``;
2. a person's coding (themes and stance, or the person's reason such as ``out of scope``);
3. a member of a campaign -> ``campaign member``, carrying the campaign's themes and stance:
   a person's coding of any member (the first in import order), else the model's proposal
   for the campaign's template;
4. the model's proposal -> ``coded`` with its confidence and, if a person accepted it, the
   reviewer; a proposal with no theme -> ``unclassifiable``;
5. otherwise ``not yet coded``.

The rows keep the import's order and all numbers are rounded and formatted here, so the same
inputs give the same rows, byte for byte, wherever they are written.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from caseforchange.domain.codebook import Coding, Reason
from caseforchange.text.redact import redact

if TYPE_CHECKING:
    # Types only: the ledger itself needs neither scikit-learn nor datasketch (the text extra).
    from caseforchange.text.campaigns import Campaign
    from caseforchange.text.classify import Proposal

CODED = "coded"
HEADER = (
    "response",
    "group",
    "status",
    "themes",
    "stance",
    "decided_by",
    "confidence",
    "reviewer",
    "campaign",
    "evidence_rich",
    "note",
    "text",
)


@dataclass(frozen=True)
class Response:
    """One imported response's answer to the question: respondent id, group and text."""

    id: str
    group: str
    text: str


@dataclass(frozen=True)
class Entry:
    """One ledger row. ``status`` is ``coded`` or a :class:`Reason` value."""

    response: str
    group: str
    status: str
    themes: tuple[str, ...]
    stance: str | None
    decided_by: str
    confidence: float | None
    reviewer: str | None
    campaign: str | None
    evidence_rich: bool
    note: str | None
    text: str

    def row(self) -> list[str]:
        """Return the row as text cells in :data:`HEADER` order (confidence to 3 places)."""
        return [
            self.response,
            self.group,
            self.status,
            ";".join(self.themes),
            self.stance or "",
            self.decided_by,
            "" if self.confidence is None else f"{self.confidence:.3f}",
            self.reviewer or "",
            self.campaign or "",
            "yes" if self.evidence_rich else "",
            self.note or "",
            self.text,
        ]


def _from_coding(response: Response, coding: Coding, status: str, campaign: str | None) -> Entry:
    if status == CODED and coding.reason is not None:
        status = coding.reason.value
    return Entry(
        response.id,
        response.group,
        status,
        tuple(coding.themes),
        coding.stance,
        f"person: {coding.coder}",
        None,
        None,
        campaign,
        coding.evidence_rich,
        coding.note,
        redact(response.text),
    )


def _from_proposal(
    response: Response,
    proposal: Proposal,
    reviewer: str | None,
    status: str | None,
    campaign: str | None,
) -> Entry:
    if status is None:
        status = CODED if proposal.themes else Reason.UNCLASSIFIABLE.value
    return Entry(
        response.id,
        response.group,
        status,
        proposal.themes,
        proposal.stance,
        "model",
        proposal.confidence,
        reviewer,
        campaign,
        False,
        None,
        redact(response.text),
    )


def build_ledger(
    responses: Sequence[Response],
    codings: Mapping[str, Coding],
    proposals: Mapping[str, Proposal],
    campaigns: Sequence[Campaign] = (),
    reviewers: Mapping[str, str] | None = None,
) -> list[Entry]:
    """Return one ledger entry per response, in the given order (see the module docstring).

    Args:
        responses: every response to the question, including those with no answer.
        codings: a person's coding by response id.
        proposals: the model's proposal by response id.
        campaigns: the campaigns found among the answers.
        reviewers: who accepted the model's proposal, by response id.

    Raises:
        ValueError: when response ids repeat.
    """
    ids = [r.id for r in responses]
    if len(set(ids)) != len(ids):
        raise ValueError("response ids repeat")
    reviewers = reviewers or {}
    campaign_of: dict[str, Campaign] = {m: c for c in campaigns for m in c.members}
    out = []
    for response in responses:
        campaign = campaign_of.get(response.id)
        campaign_id = campaign.id if campaign else None
        if not response.text.strip():
            out.append(
                Entry(
                    response.id,
                    response.group,
                    Reason.EMPTY.value,
                    (),
                    None,
                    "rule",
                    None,
                    None,
                    None,
                    False,
                    None,
                    "",
                )
            )
        elif response.id in codings:
            out.append(_from_coding(response, codings[response.id], CODED, campaign_id))
        elif campaign is not None:
            status = Reason.CAMPAIGN.value
            coded = next((codings[m] for m in campaign.members if m in codings), None)
            if coded is not None:
                out.append(_from_coding(response, coded, status, campaign_id))
            elif campaign.template_id in proposals:
                proposal = proposals[campaign.template_id]
                reviewer = reviewers.get(campaign.template_id)
                out.append(_from_proposal(response, proposal, reviewer, status, campaign_id))
            else:
                out.append(
                    Entry(
                        response.id,
                        response.group,
                        status,
                        (),
                        None,
                        "rule",
                        None,
                        None,
                        campaign_id,
                        False,
                        None,
                        redact(response.text),
                    )
                )
        elif response.id in proposals:
            out.append(
                _from_proposal(
                    response, proposals[response.id], reviewers.get(response.id), None, None
                )
            )
        else:
            out.append(
                Entry(
                    response.id,
                    response.group,
                    Reason.NOT_YET_CODED.value,
                    (),
                    None,
                    "none",
                    None,
                    None,
                    None,
                    False,
                    None,
                    redact(response.text),
                )
            )
    return out


def reconcile(entries: Sequence[Entry], imported: int) -> dict[str, int]:
    """Return the count of entries by status, with ``total``.

    Raises:
        ValueError: when the ledger does not hold exactly ``imported`` distinct responses.
    """
    distinct = len({e.response for e in entries})
    if distinct != len(entries) or len(entries) != imported:
        raise ValueError(
            f"the ledger holds {len(entries)} rows for {distinct} responses, "
            f"but {imported} were imported"
        )
    counts = dict(sorted(Counter(e.status for e in entries).items()))
    counts["total"] = len(entries)
    return counts
