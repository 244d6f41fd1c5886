"""Every example's Board paper: a front sheet of at most two pages and a main body of at most
twelve A4 pages, measured from the laid-out PDF."""

from __future__ import annotations

import pytest

from caseforchange.appraisal.run import appraise
from caseforchange.examples import EXAMPLE_IDS, example_path
from caseforchange.io.folder import load_programme
from caseforchange.reports.build import build_report
from caseforchange.reports.case import engagement_of
from caseforchange.reports.pdf import anchor_pages, layout_pdf


@pytest.mark.parametrize("example", EXAMPLE_IDS)
def test_front_sheet_and_main_body_fit_their_pages(example: str) -> None:
    loaded = load_programme(example_path(example))
    result = appraise(loaded.programme, samples=300, seed=5, file_hashes=loaded.file_hashes)
    report = build_report(loaded, result, engaged=engagement_of(loaded))
    pages = anchor_pages(layout_pdf(report))
    body = report.part("body")
    appendices = report.part("appendix")
    assert pages["contents"] <= 3  # the front sheet takes at most two pages
    assert pages[appendices[0].key] - pages[body[0].key] <= 12
    # Headings in order: each section starts no earlier than the one before.
    starts = [pages[s.key] for s in report.sections]
    assert starts == sorted(starts)
