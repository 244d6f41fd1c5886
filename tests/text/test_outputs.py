"""Theme counts with Wilson intervals, by group, stance by theme, quotes, you said we did."""

from __future__ import annotations

import pytest

from caseforchange.domain.codebook import Codebook, Theme
from caseforchange.domain.consultation import YouSaidWeDid
from caseforchange.text.ledger import Entry
from caseforchange.text.outputs import (
    quotes,
    stance_by_theme,
    theme_by_group,
    theme_counts,
    you_said_we_did,
)

BOOK = Codebook(
    question="comments",
    themes=[Theme(id="nhs", name="Staying in the NHS"), Theme(id="local", name="Local")],
)


def _entry(
    rid: str,
    group: str,
    themes: tuple[str, ...],
    stance: str | None = "for",
    campaign: str | None = None,
    person: bool = False,
    text: str = "words",
) -> Entry:
    decided = "person: analyst" if person else "model"
    return Entry(
        rid,
        group,
        "coded",
        themes,
        stance,
        decided,
        None if person else 0.5,
        None,
        campaign,
        False,
        None,
        text,
    )


def _entries() -> list[Entry]:
    # 10 themed responses: 3 raise nhs (two of them in one campaign), 7 raise local only.
    out = [_entry("n1", "staff", ("nhs",), person=True, text="Keep it NHS")]
    out += [_entry(f"c{i}", "staff", ("nhs",), campaign="campaign-1") for i in range(2)]
    out += [_entry(f"l{i}", "public", ("local",), "against") for i in range(7)]
    out.append(_entry("e", "public", (), None))
    return out


def test_counts_shares_and_wilson_intervals() -> None:
    counts = {c.theme: c for c in theme_counts(_entries(), BOOK)}
    assert [c.theme for c in theme_counts(_entries(), BOOK)] == ["local", "nhs"]
    nhs = counts["nhs"]
    assert (nhs.share.count, nhs.share.total) == (3, 10)
    # Wilson 95% for 3/10: 0.1078 to 0.6032 (closed form, z = 1.96).
    assert nhs.share.low == pytest.approx(0.1078, abs=1e-4)
    assert nhs.share.high == pytest.approx(0.6032, abs=1e-4)
    assert nhs.counting_campaigns_once == 2  # one individual, one campaign


def test_theme_by_group_cross_tab() -> None:
    tab = theme_by_group(_entries(), "nhs")
    assert tab.groups == ["public", "staff"]
    assert tab.counts == [[0, 7], [3, 0]]
    assert tab.test is not None
    # 2x2 with expected 0.9, 2.1, 2.1, 4.9: chi2 = sum (o-e)^2/e = 10.0 exactly.
    assert tab.test.statistic == pytest.approx(10.0)


def test_stance_by_theme() -> None:
    table = stance_by_theme(_entries(), BOOK)
    assert table["nhs"] == {"for": 3, "against": 0, "unclear": 0}
    assert table["local"] == {"for": 0, "against": 7, "unclear": 0}


def test_quotes_prefer_people_and_one_per_campaign() -> None:
    chosen = quotes(_entries(), "nhs", limit=3)
    assert [e.response for e in chosen] == ["n1", "c0"]


def test_you_said_we_did_links_themes_to_responses_and_actions() -> None:
    records = [YouSaidWeDid(issue="nhs", response="The trust stays in the NHS", status="done")]
    rows = {r.theme: r for r in you_said_we_did(_entries(), BOOK, records)}
    assert rows["nhs"].responses == ("n1", "c0", "c1")
    assert rows["nhs"].we_did == "The trust stays in the NHS"
    assert rows["local"].we_did == "no response recorded yet"
