"""A report built once for the tests of its renderers: the Leicester example, appraised."""

from __future__ import annotations

import pytest

from caseforchange.appraisal.result import AppraisalResult
from caseforchange.appraisal.run import appraise
from caseforchange.examples import example_path
from caseforchange.io.folder import LoadedProgramme, load_programme
from caseforchange.reports.blocks import Report
from caseforchange.reports.build import build_report
from caseforchange.reports.case import engagement_of


@pytest.fixture(scope="session")
def leicester() -> tuple[LoadedProgramme, AppraisalResult, Report]:
    """Return the Leicester example, its appraisal (2,000 samples) and its Board paper."""
    loaded = load_programme(example_path("leicester-children-2010"))
    result = appraise(loaded.programme, samples=2000, seed=11, file_hashes=loaded.file_hashes)
    return loaded, result, build_report(loaded, result, engaged=engagement_of(loaded))
