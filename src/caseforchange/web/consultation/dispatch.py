"""The consultation report on the background job queue: one kind of result per format.

The report is built by :func:`caseforchange.reports.consultation.build_consultation`, the use
case ``caseforchange consultation`` calls, from the job's snapshot: the programme, its
engagement file, the imported responses and the free-text codebooks with their codings. The
snapshot's fingerprint covers all of them, so a new import or a new coding makes a new result.

The free-text codebook page's candidate themes are a kind of result too (``text.candidates``):
k-means over the answers takes seconds, so it is built in the background, once per import.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from caseforchange.domain.consultation import Engagement
from caseforchange.domain.problems import InvalidInput, Problem
from caseforchange.io.cells import csv_text_back
from caseforchange.text.campaigns import find_campaigns
from caseforchange.text.suggest import CandidateTheme, suggest_themes
from caseforchange.web.consultation.repository import EngagementState
from caseforchange.web.consultation.workspace import engine_folder
from caseforchange.web.jobs.models import ResultStatus, StoredResult
from caseforchange.web.jobs.registry import Payload, Progress, register
from caseforchange.web.jobs.service import request_result
from caseforchange.web.jobs.snapshot import Snapshot
from caseforchange.web.programmes.models import ProgrammeRecord

#: Report format -> its kind of result, content type and label.
REPORTS: dict[str, tuple[str, str, str]] = {
    "html": ("consultation.html", "text/html; charset=utf-8", "Consultation report (HTML)"),
    "docx": (
        "consultation.docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "Consultation report (Word)",
    ),
}


def build_report(snapshot: Snapshot, fmt: str, progress: Progress) -> bytes:
    """Return the consultation report of the snapshot in ``fmt`` (``html`` or ``docx``).

    With no engagement file stored the report is of an empty plan, as the page shows it.

    Raises:
        InvalidInput: when the programme no longer validates, or its engagement file no
            longer matches it, or a codebook or coding is refused.
    """
    from caseforchange.reports.consultation import build_consultation
    from caseforchange.reports.render import render

    progress(5, "Reading the engagement data")
    loaded = snapshot.loaded()
    if snapshot.engagement is None:  # no engagement file: the report of an empty plan
        empty = EngagementState(None, Engagement())
        with engine_folder(loaded.programme, empty, loaded.file_hashes) as engaged:
            built = build_consultation(engaged)
    else:
        with snapshot.engaged(loaded) as maybe:
            if maybe is None:
                raise InvalidInput(
                    [
                        Problem(
                            (),
                            "the engagement file no longer matches the programme, "
                            "so the consultation report cannot be built",
                        )
                    ]
                )
            progress(20, "Analysing the responses")
            built = build_consultation(maybe)
    progress(70, "Writing the report")
    return render(built, fmt)


def _register(fmt: str) -> None:
    kind, content_type, label = REPORTS[fmt]

    @register(kind, content_type=content_type, label=label)
    def build(snapshot: Snapshot, params: dict[str, Any], progress: Progress) -> Payload:
        return build_report(snapshot, fmt, progress)


for _fmt in REPORTS:
    _register(_fmt)


#: The kind of result holding a question's candidate themes.
CANDIDATES = "text.candidates"
#: The seed of the candidate themes (the command line's default, as ``coding.SEED``).
CANDIDATES_SEED = 0


@register(CANDIDATES, label="Candidate themes")
def build_candidates(snapshot: Snapshot, params: dict[str, Any], progress: Progress) -> Payload:
    """Return the candidate themes of one open question's imported answers, as JSON.

    A campaign counts once (its template), as on the codebook page; too few answers give an
    empty list.

    Returns:
        ``{"candidates": [{"id", "size", "words", "examples", "members"}, ...]}``.
    """
    progress(5, "Reading the answers")
    stored = dict((snapshot.engagement or {}).get("responses") or {})
    text = stored.get(str(params["questionnaire"]), "")
    question = str(params["question"])
    texts: dict[str, str] = {}
    for row in csv.DictReader(io.StringIO(text, newline="")):
        answer = csv_text_back(row.get(question) or "")
        if answer.strip():
            texts[csv_text_back(row["respondent"])] = answer
    campaigns = find_campaigns(list(texts.items()))
    copies = {m for c in campaigns for m in c.members} - {c.template_id for c in campaigns}
    progress(30, "Grouping similar answers")
    try:
        found = suggest_themes(
            [(i, t) for i, t in texts.items() if i not in copies], seed=CANDIDATES_SEED
        )
    except ValueError:
        found = []
    return {
        "candidates": [
            {
                "id": c.id,
                "size": c.size,
                "words": list(c.words),
                "examples": list(c.examples),
                "members": list(c.members),
            }
            for c in found
        ]
    }


def candidates_params(questionnaire: str, question: str, file_sha256: str) -> dict[str, Any]:
    """Return the parameters of a question's candidates: the question and its import's hash."""
    return {"questionnaire": questionnaire, "question": question, "responses": file_sha256}


def candidates_result(row: ProgrammeRecord, params: dict[str, Any]) -> StoredResult:
    """Return the built candidates of these answers, else the result asked for (maybe queued).

    The jobs fingerprint changes with every codebook change, but the candidates depend only on
    the imported answers (named by their hash in ``params``), so one built for the same answers
    is reused rather than built again after each theme is adopted.
    """
    built = StoredResult.objects.filter(
        programme=row, kind=CANDIDATES, params=params, status=ResultStatus.DONE
    ).first()
    return built if built is not None else request_result(row, CANDIDATES, params)


def stored_candidates(result: StoredResult) -> list[CandidateTheme]:
    """Return the candidate themes of a built ``text.candidates`` result."""
    data = result.payload_json if isinstance(result.payload_json, dict) else {}
    return [
        CandidateTheme(
            str(c["id"]),
            int(c["size"]),
            tuple(c["words"]),
            tuple(c["examples"]),
            tuple(c["members"]),
        )
        for c in data.get("candidates", [])
    ]
