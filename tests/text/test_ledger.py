"""The considered-responses ledger: every response once, precedence of decisions."""

from __future__ import annotations

import pytest

from caseforchange.domain.codebook import Coding, Reason
from caseforchange.text.campaigns import Campaign
from caseforchange.text.classify import Proposal
from caseforchange.text.ledger import Response, build_ledger, reconcile


def _proposal(themes: tuple[str, ...], confidence: float = 0.8) -> Proposal:
    return Proposal(themes, {}, confidence, "for", 0.9)


def test_precedence_and_reasons() -> None:
    responses = [
        Response("a", "public", ""),
        Response("b", "public", "Keep it NHS please, my name is Jane Smith"),
        Response("c", "staff", "template letter one"),
        Response("d", "staff", "template letter two"),
        Response("e", "staff", "pensions matter"),
        Response("f", "public", "asdf"),
        Response("g", "public", "not yet looked at"),
        Response("h", "public", "about the weather"),
    ]
    codings = {
        "b": Coding(response="b", themes=["stay-nhs"], stance="for", evidence_rich=True),
        "h": Coding(response="h", reason=Reason.OUT_OF_SCOPE, coder="amy"),
    }
    proposals = {
        "c": _proposal(("local",)),
        "e": _proposal(("pensions",), 0.42),
        "f": _proposal(()),
    }
    campaigns = [Campaign("campaign-1", ("c", "d"), "template letter one", "c")]
    entries = build_ledger(responses, codings, proposals, campaigns, {"e": "bob"})
    by_id = {e.response: e for e in entries}
    assert [e.response for e in entries] == list("abcdefgh")
    assert by_id["a"].status == "empty"
    assert by_id["b"].status == "coded"
    assert by_id["b"].decided_by == "person: analyst"
    assert by_id["b"].text == "Keep it NHS please, my name is [name]"
    assert by_id["c"].status == by_id["d"].status == "campaign member"
    assert by_id["d"].themes == ("local",)  # from the template's proposal
    assert by_id["d"].campaign == "campaign-1"
    assert by_id["e"].decided_by == "model"
    assert by_id["e"].reviewer == "bob"
    assert by_id["e"].row()[6] == "0.420"
    assert by_id["f"].status == "unclassifiable"
    assert by_id["g"].status == "not yet coded"
    assert by_id["h"].status == "out of scope"
    assert by_id["h"].decided_by == "person: amy"
    counts = reconcile(entries, 8)
    assert counts["total"] == 8
    assert counts["campaign member"] == 2


def test_reconcile_refuses_a_ledger_that_does_not_match_the_import() -> None:
    entries = build_ledger([Response("a", "", "x")], {}, {})
    with pytest.raises(ValueError, match="1 rows for 1 responses, but 2 were imported"):
        reconcile(entries, 2)


def test_repeated_response_ids_are_refused() -> None:
    with pytest.raises(ValueError, match="repeat"):
        build_ledger([Response("a", "", "x"), Response("a", "", "y")], {}, {})
