"""The whole analysis of one question: deterministic, every response once."""

from __future__ import annotations

from caseforchange.domain.codebook import Codebook, Coding, Theme
from caseforchange.text.ledger import Response
from caseforchange.text.pipeline import analyse

BOOK = Codebook(
    question="q",
    themes=[Theme(id="staff", name="Staff"), Theme(id="wait", name="Waiting")],
)


def _responses() -> list[Response]:
    out = []
    for i in range(15):
        out.append(Response(f"s{i}", "public", f"the nurses were kind and caring, visit {i}"))
        out.append(Response(f"w{i}", "staff", f"we waited hours to be seen, visit {i}"))
    out.append(Response("empty", "public", "   "))
    return out


def _codings() -> dict[str, Coding]:
    out = {}
    for i in range(6):
        out[f"s{i}"] = Coding(response=f"s{i}", themes=["staff"], stance="for")
        out[f"w{i}"] = Coding(response=f"w{i}", themes=["wait"], stance="against")
    return out


def test_analysis_codes_the_rest_and_reconciles() -> None:
    result = analyse(_responses(), BOOK, _codings(), seed=0)
    assert result.model is not None
    assert len(result.proposals) == 18  # 30 answers with words, 12 coded by a person
    assert result.counts["total"] == 31
    assert result.counts["empty"] == 1
    by_id = {e.response: e for e in result.ledger}
    assert by_id["s10"].themes == ("staff",)
    assert by_id["w10"].themes == ("wait",)


def test_same_inputs_same_ledger() -> None:
    a = analyse(_responses(), BOOK, _codings(), seed=1)
    b = analyse(_responses(), BOOK, _codings(), seed=1)
    assert [e.row() for e in a.ledger] == [e.row() for e in b.ledger]


def test_too_few_codings_leave_answers_not_yet_coded() -> None:
    result = analyse(_responses(), BOOK, {}, seed=0)
    assert result.model is None
    assert result.counts["not yet coded"] == 30


def test_proposals_made_in_chunks_equal_those_made_at_once(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from caseforchange.text import pipeline

    chunks: list[int] = []

    def chunk_map(fn, shared, items):  # type: ignore[no-untyped-def]
        for item in items:
            chunks.append(len(item))
            yield fn(shared, item)

    monkeypatch.setattr(pipeline, "PROPOSE_CHUNK", 5)
    whole = analyse(_responses(), BOOK, _codings(), seed=0)
    parts = analyse(_responses(), BOOK, _codings(), seed=0, chunk_map=chunk_map)
    assert chunks == [5, 5, 5, 3]  # 18 answers to propose, in chunks of 5
    assert parts.proposals == whole.proposals
    assert [e.row() for e in parts.ledger] == [e.row() for e in whole.ledger]


def test_proposing_reports_how_many_answers_are_done(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from caseforchange.text import pipeline

    monkeypatch.setattr(pipeline, "PROPOSE_CHUNK", 5)
    steps: list[str] = []
    chunked = analyse(_responses(), BOOK, _codings(), seed=0, progress=steps.append)
    # 18 answers to propose in chunks of 5: reported before each chunk.
    assert steps == [
        "campaigns",
        "training",
        "proposing",
        "proposing 0 of 18",
        "proposing 5 of 18",
        "proposing 10 of 18",
        "proposing 15 of 18",
        "ledger",
    ]
    assert chunked.proposals == analyse(_responses(), BOOK, _codings(), seed=0).proposals
