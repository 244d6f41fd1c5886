"""The consultation report on the background job queue: one kind of result per format.

The report is built by :func:`caseforchange.reports.consultation.build_consultation`, the use
case ``caseforchange consultation`` calls, from the job's snapshot: the programme, its
engagement file, the imported responses and the free-text codebooks with their codings. The
snapshot's fingerprint covers all of them, so a new import or a new coding makes a new result.
"""

from __future__ import annotations

from typing import Any

from caseforchange.domain.consultation import Engagement
from caseforchange.domain.problems import InvalidInput, Problem
from caseforchange.web.consultation.repository import EngagementState
from caseforchange.web.consultation.workspace import engine_folder
from caseforchange.web.jobs.registry import Payload, Progress, register
from caseforchange.web.jobs.snapshot import Snapshot

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
