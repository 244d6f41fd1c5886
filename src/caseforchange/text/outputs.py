"""What the ledger says: theme counts and shares, stance, quotes, "you said, we did".

Themes by count and share and by group, stance by theme, quotes, and the "you said, we did"
table.

Shares are of the responses that carry at least one theme (answers may raise several themes,
so shares do not add to 100%), each with its 95% Wilson interval. Campaigns are counted both
ways: every member as a response, and each campaign once. For each theme, whether it was raised
is cross-tabulated by respondent group with Pearson's chi-square test (the engagement
statistics), since raising a theme or not is one exclusive answer per response.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from caseforchange.domain.codebook import Codebook
from caseforchange.domain.consultation import YouSaidWeDid
from caseforchange.engagement.statistics import CrossTab, Share, cross_tab, wilson_interval
from caseforchange.text.ledger import Entry

RAISED, NOT_RAISED = "raised", "not raised"
#: Quotes longer than this many words are passed over when shorter ones exist.
QUOTE_WORDS = 60


@dataclass(frozen=True)
class ThemeCount:
    """A theme's count and share of themed responses, and its count with campaigns as one."""

    theme: str
    name: str
    share: Share
    counting_campaigns_once: int


def themed(entries: Sequence[Entry]) -> list[Entry]:
    """Return the entries that carry at least one theme."""
    return [e for e in entries if e.themes]


def theme_counts(entries: Sequence[Entry], codebook: Codebook) -> list[ThemeCount]:
    """Return each codebook theme's count and share with its Wilson interval, largest first.

    Ties keep the codebook order.
    """
    rows = themed(entries)
    total = len(rows)
    out = []
    for theme in codebook.themes:
        count = sum(theme.id in e.themes for e in rows)
        campaigns = {e.campaign for e in rows if theme.id in e.themes and e.campaign}
        individual = sum(theme.id in e.themes and not e.campaign for e in rows)
        share = Share(theme.id, count, total, *wilson_interval(count, total))
        out.append(ThemeCount(theme.id, theme.name, share, individual + len(campaigns)))
    order = {t.id: i for i, t in enumerate(codebook.themes)}
    return sorted(out, key=lambda c: (-c.share.count, order[c.theme]))


def theme_by_group(entries: Sequence[Entry], theme: str) -> CrossTab:
    """Return the cross-tab of groups by whether they raised ``theme``, with chi-square."""
    counts: dict[str, dict[str, int]] = {}
    for e in themed(entries):
        by = counts.setdefault(e.group or "(no group)", {})
        key = RAISED if theme in e.themes else NOT_RAISED
        by[key] = by.get(key, 0) + 1
    return cross_tab(theme, counts, [RAISED, NOT_RAISED])


def stance_by_theme(entries: Sequence[Entry], codebook: Codebook) -> dict[str, dict[str, int]]:
    """Return ``counts[theme][stance]`` over themed entries that carry a stance."""
    out: dict[str, dict[str, int]] = {
        t.id: {s: 0 for s in codebook.stances} for t in codebook.themes
    }
    for e in themed(entries):
        if not e.stance:
            continue
        for theme in e.themes:
            if theme in out:
                out[theme][e.stance] = out[theme].get(e.stance, 0) + 1
    return out


def quotes(entries: Sequence[Entry], theme: str, limit: int = 3) -> list[Entry]:
    """Return up to ``limit`` representative (already redacted) answers for ``theme``.

    A person's evidence-rich codings come first, then a person's codings, then the model's
    most confident; within those, answers of at most :data:`QUOTE_WORDS` words, then import
    order. One quote per campaign at most.
    """
    seen_campaigns: set[str] = set()
    candidates = []
    for position, e in enumerate(entries):
        if theme not in e.themes or not e.text:
            continue
        if e.campaign:
            if e.campaign in seen_campaigns:
                continue
            seen_campaigns.add(e.campaign)
        person = e.decided_by.startswith("person")
        key = (
            not e.evidence_rich,
            not person,
            -(e.confidence or 0.0),
            len(e.text.split()) > QUOTE_WORDS,
            position,
        )
        candidates.append((key, e))
    candidates.sort(key=lambda item: item[0])
    return [e for _, e in candidates[:limit]]


@dataclass(frozen=True)
class YouSaidRow:
    """A theme, how many raised it, the responses that did, and what the programme did."""

    theme: str
    name: str
    count: int
    responses: tuple[str, ...]
    we_did: str
    status: str


def you_said_we_did(
    entries: Sequence[Entry], codebook: Codebook, records: Sequence[YouSaidWeDid]
) -> list[YouSaidRow]:
    """Return one row per theme linking it to its responses and the recorded answer.

    A record answers a theme when its ``issue`` is the theme id; a theme with none says
    "no response recorded yet".
    """
    answer: Mapping[str, YouSaidWeDid] = {r.issue: r for r in records if r.issue}
    out = []
    for count in theme_counts(entries, codebook):
        record = answer.get(count.theme)
        out.append(
            YouSaidRow(
                count.theme,
                count.name,
                count.share.count,
                tuple(e.response for e in entries if count.theme in e.themes),
                record.response if record else "no response recorded yet",
                (record.status or "") if record else "",
            )
        )
    return out
