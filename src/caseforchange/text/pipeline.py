"""One question's free-text analysis end to end.

Campaigns, a model trained on the person's codings, proposals for the rest, and the ledger.

Pure: the caller reads the files and writes the results.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from caseforchange.chunks import ChunkMap
from caseforchange.domain.codebook import Codebook, Coding
from caseforchange.text.active import code_next, review_queue
from caseforchange.text.campaigns import Campaign, find_campaigns
from caseforchange.text.classify import Embedder, Proposal, ThemeModel, train
from caseforchange.text.ledger import Entry, Response, build_ledger, reconcile

#: The fewest coded answers (with at least one theme) before a model is trained.
MIN_CODED = 10
#: Answers per chunk when proposals run through a chunk map (a cluster).
PROPOSE_CHUNK = 2_000


def propose_chunk(model: ThemeModel, texts: list[str]) -> list[Proposal]:
    """Return the model's proposals for one chunk of answers (a chunk map's function).

    Each answer's features and probabilities depend on that answer alone, so proposals made
    chunk by chunk equal those made all at once.
    """
    return model.propose(texts)


def propose_all(
    model: ThemeModel,
    texts: list[str],
    chunk_map: ChunkMap | None = None,
    progress: Callable[[str], None] | None = None,
) -> list[Proposal]:
    """Return proposals for every text, in order: here or via ``chunk_map``, by chunks.

    Chunks hold :data:`PROPOSE_CHUNK` texts. Here, ``progress`` hears how many texts are done
    after each chunk (with sentence embeddings this is the long step). Via ``chunk_map`` the
    fitted model is sent to each worker once and each chunk sends its texts.
    """
    chunks = [texts[i : i + PROPOSE_CHUNK] for i in range(0, len(texts), PROPOSE_CHUNK)]
    if chunk_map is not None:
        return [p for part in chunk_map(propose_chunk, model, chunks) for p in part]
    out: list[Proposal] = []
    for chunk in chunks:
        if progress is not None:
            progress(f"proposing {len(out):,} of {len(texts):,}")
        out += model.propose(chunk)
    return out


@dataclass
class Analysis:
    """The results for one question."""

    campaigns: list[Campaign]
    model: ThemeModel | None
    proposals: dict[str, Proposal]
    ledger: list[Entry]
    counts: dict[str, int]
    next_to_code: list[str]
    review: list[str]


def analyse(
    responses: Sequence[Response],
    codebook: Codebook,
    codings: Mapping[str, Coding],
    *,
    seed: int = 0,
    reviewers: Mapping[str, str] | None = None,
    embedder: Embedder | None = None,
    next_count: int = 20,
    progress: Callable[[str], None] | None = None,
    chunk_map: ChunkMap | None = None,
) -> Analysis:
    """Return campaigns, proposals and the ledger of one question's responses.

    A model is trained when at least :data:`MIN_CODED` answers have a person's themes; it
    proposes themes and stance for every other answer with words (campaign members are
    covered by their campaign's template). ``chunk_map`` makes the proposals chunk by chunk
    elsewhere (a cluster), with the same result; campaigns and training stay here.

    Raises:
        ValueError: when response ids repeat, or the ledger fails to reconcile.
    """
    texts = {r.id: r.text for r in responses if r.text.strip()}
    if progress is not None:
        progress("campaigns")
    campaigns = find_campaigns(list(texts.items()))
    coded = [(texts[i], c) for i, c in codings.items() if i in texts and c.themes]
    model = None
    proposals: dict[str, Proposal] = {}
    if len(coded) >= MIN_CODED:
        if progress is not None:
            progress("training")
        stances = [c.stance for _, c in coded]
        model = train(
            [t for t, _ in coded],
            [c.themes for _, c in coded],
            stances if any(stances) else None,
            codebook.theme_ids(),
            seed=seed,
            embedder=embedder,
        )
        members = {m for c in campaigns for m in c.members} - {c.template_id for c in campaigns}
        todo = [i for i in texts if i not in codings and i not in members]
        if progress is not None:
            progress("proposing")
        proposed = propose_all(model, [texts[i] for i in todo], chunk_map, progress)
        proposals = dict(zip(todo, proposed, strict=True))
    if progress is not None:
        progress("ledger")
    ledger = build_ledger(responses, codings, proposals, campaigns, reviewers)
    counts = reconcile(ledger, len(responses))
    return Analysis(
        campaigns,
        model,
        proposals,
        ledger,
        counts,
        code_next(proposals, {i: texts[i] for i in proposals}, next_count),
        review_queue(proposals),
    )
