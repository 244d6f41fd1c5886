"""The built-in kinds of result: the appraisal page's data and the Board paper's downloads.

All of them go through :func:`caseforchange.reports.case.build_case_for_change`, the use case
``caseforchange report`` calls, so the web's paper is the command line's paper. The report of
the latest snapshot is kept in the worker's memory, so the paper's formats share one build.
"""

from __future__ import annotations

import base64
import hashlib
import json
import threading
from typing import Any

from caseforchange.appraisal.run import appraise
from caseforchange.chartstyle import Chart
from caseforchange.reports.blocks import Report
from caseforchange.reports.case import build_case_for_change
from caseforchange.web.jobs.registry import Payload, Progress, register
from caseforchange.web.jobs.snapshot import Snapshot

#: Kind -> report format, content type and label of each download of the paper.
PAPERS: dict[str, tuple[str, str, str]] = {
    "paper.html": ("html", "text/html; charset=utf-8", "Web page (HTML)"),
    "paper.pdf": ("pdf", "application/pdf", "PDF"),
    "paper.docx": (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "Word Board paper",
    ),
    "workbook.xlsx": (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Excel tables",
    ),
}
#: What a signed-off version keeps: the appraisal and every download of its paper.
SIGNOFF_KINDS = ["appraisal", *PAPERS]

_cache_lock = threading.Lock()
_cache: dict[str, Any] = {}


def case_report(snapshot: Snapshot, progress: Progress) -> Report:
    """Return the Board paper of the snapshot, built once per snapshot in this process.

    Raises:
        InvalidInput: when the programme cannot be appraised.
    """
    text = json.dumps(snapshot.to_json(), sort_keys=True, default=str)
    key = hashlib.sha256(text.encode("utf-8")).hexdigest()
    with _cache_lock:
        if _cache.get("key") == key:
            report: Report = _cache["report"]
            return report
    progress(10, "Appraising the options and building the paper")
    loaded = snapshot.loaded()
    with snapshot.engaged(loaded) as engaged:
        report = build_case_for_change(loaded, engaged=engaged)
    with _cache_lock:
        _cache.clear()
        _cache.update(key=key, report=report)
    return report


def figures_of(report: Report) -> list[dict[str, str]]:
    """Return the paper's charts as ``{caption, alt, src}`` with the SVG as a data URL."""
    found = []
    for section in report.sections:
        for block in section.blocks:
            if isinstance(block, Chart):
                data = base64.b64encode(block.svg.encode("utf-8")).decode("ascii")
                found.append(
                    {
                        "caption": block.title,
                        "alt": block.alt,
                        "src": f"data:image/svg+xml;base64,{data}",
                    }
                )
    return found


@register("appraisal", label="Appraisal")
def build_appraisal(snapshot: Snapshot, params: dict[str, Any], progress: Progress) -> Payload:
    """Return the appraisal's result (ranking, totals, SMAA) and the paper's charts as JSON.

    Raises:
        InvalidInput: when the programme cannot be appraised.
    """
    loaded = snapshot.loaded()
    progress(5, "Appraising the options")
    result = appraise(loaded.programme, file_hashes=loaded.file_hashes)
    report = case_report(snapshot, progress)
    progress(90, "Drawing the charts")
    return {"result": result.to_json(), "figures": figures_of(report)}


def _paper(kind: str) -> None:
    fmt, content_type, label = PAPERS[kind]

    @register(kind, content_type=content_type, label=label)
    def build(snapshot: Snapshot, params: dict[str, Any], progress: Progress) -> Payload:
        from caseforchange.reports.render import render

        report = case_report(snapshot, progress)
        progress(60, f"Writing the {label}")
        return render(report, fmt)


for _kind in PAPERS:
    _paper(_kind)
