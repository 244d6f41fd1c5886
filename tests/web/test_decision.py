"""The decision file page: every part shown, read-only, for anyone who can view the programme."""

from __future__ import annotations

import re
from typing import Any

import pytest

from caseforchange.appraisal.run import appraise
from caseforchange.examples import example_path
from caseforchange.io.folder import load_programme
from caseforchange.web.accounts.models import Membership, Role
from caseforchange.web.jobs.models import ResultStatus, StoredResult
from caseforchange.web.jobs.tasks import run_result
from caseforchange.web.programmes import repository
from caseforchange.web.programmes.models import AppraisalRun, ProgrammeRecord


@pytest.fixture
def plymouth(users: dict[str, Any]) -> ProgrammeRecord:
    """The Plymouth example (it has every part of the decision file), with a lead and a viewer."""
    loaded = load_programme(example_path("plymouth-2010"))
    row = repository.create(loaded.programme, "test", loaded.file_hashes, "example loaded")
    Membership.objects.create(user=users["viewer"], programme=row, role=Role.VIEWER)
    Membership.objects.create(user=users["lead"], programme=row, role=Role.LEAD)
    return row


def test_every_part_is_shown_to_a_viewer(as_user: Any, plymouth: ProgrammeRecord) -> None:
    page = as_user("viewer").get(f"/programmes/{plymouth.slug}/decision/").content.decode()
    for heading in (
        "Finance and affordability",
        "Workforce",
        "Risk register",
        "Equality impact",
        "Assurance",
        "Competition",
        "Market review",
        "What other provider arms chose",
    ):
        assert f">{heading}</h2>" in page
    # Illustrative parts say so; the sources' facts carry their source.
    assert page.count("nhsuk-tag--yellow") >= 5
    # A risk from the example's register, the 3.5% Green Book rate, the peer survey of 83.
    assert "An Integrated Business Plan does not pass the DH assurance tests in October" in page
    assert "discounted at 3.5% a year" in page
    assert "83 provider arms" in page
    # The decision on or after January 2009 faces the merger test; the acute trust is unnamed.
    assert "2010-10-01" in page and "£35m" in page
    assert "Derriford" not in page
    # Charts come with a text alternative.
    assert re.search(
        r'<img class="cfc-chart" src="data:image/svg\+xml;base64,[^"]+" alt="[^"]+"', page
    )


def _vfm_values(page: str) -> dict[str, str]:
    """Return the value-for-money table's appraised value by option name (empty if none)."""
    table = re.search(
        r'<table class="nhsuk-table" id="value-for-money-table">.*?</table>', page, re.S
    )
    if table is None:
        return {}
    rows = re.findall(r'<th scope="row"[^>]*>(.*?)</th>\s*<td[^>]*>(.*?)</td>', table[0], re.S)
    return {re.sub(r"<[^>]+>", "", n).strip(): v.strip() for n, v in rows}


def test_without_an_appraisal_it_is_built_in_the_background(
    as_user: Any, plymouth: ProgrammeRecord, settings: Any
) -> None:
    settings.JOBS_MODE = "database"  # no worker: the job waits in the queue
    url = f"/programmes/{plymouth.slug}/decision/"
    page = as_user("viewer").get(url).content.decode()
    job = StoredResult.objects.get()
    assert job.kind == "appraisal" and job.status == ResultStatus.QUEUED
    assert "The appraisal of revision 1 is being built in the background" in page
    assert f'href="/programmes/{plymouth.slug}/appraisal/"' in page
    assert f'hx-get="/jobs/{job.pk}/?next={url}"' in page
    assert _vfm_values(page) == {}
    # The appraisal page's own view of the revision is the same job, not a second one.
    as_user("lead").get(f"/programmes/{plymouth.slug}/appraisal/")
    assert StoredResult.objects.count() == 1

    assert run_result(job.pk) == "built"  # what the worker does
    page = as_user("viewer").get(url).content.decode()
    assert 'id="appraisal-status"' not in page and StoredResult.objects.count() == 1
    # The table shows the weighted totals of an appraisal worked out here, to 3 places.
    expected = appraise(repository.to_programme(plymouth))
    names = {o.id: o.name for o in repository.to_programme(plymouth).options}
    shown = _vfm_values(page)
    worked = {names[o]: f"{v:.3f}" for o, v in expected.totals.items() if v is not None}
    assert len(shown) >= 2 and {n: worked[n] for n in shown} == shown
    # No run was recorded: the stored result alone is used.
    assert not AppraisalRun.objects.exists()


def test_a_current_recorded_run_is_used_when_nothing_is_stored(
    as_user: Any, plymouth: ProgrammeRecord, settings: Any
) -> None:
    settings.JOBS_MODE = "database"
    result = appraise(repository.to_programme(plymouth)).to_json()
    AppraisalRun.objects.create(
        programme=plymouth, revision=plymouth.revision, seed=1, samples=1, result=result
    )
    page = as_user("viewer").get(f"/programmes/{plymouth.slug}/decision/").content.decode()
    assert 'id="appraisal-status"' not in page and _vfm_values(page)
    assert not StoredResult.objects.exists()  # nothing was asked for


def test_an_appraisal_that_cannot_be_built_says_why(
    as_user: Any, plymouth: ProgrammeRecord
) -> None:
    ProgrammeRecord.objects.filter(pk=plymouth.pk).update(scores=[])
    page = as_user("viewer").get(f"/programmes/{plymouth.slug}/decision/").content.decode()
    assert "The appraisal of revision 1 cannot be built yet" in page
    assert StoredResult.objects.get().status == ResultStatus.FAILED


def test_a_programme_without_the_parts_says_what_is_missing(
    as_user: Any, programme: ProgrammeRecord
) -> None:
    document = dict(programme.document)
    for part in ("finance", "workforce", "risks", "equality", "market"):
        document.pop(part, None)
    ProgrammeRecord.objects.filter(pk=programme.pk).update(document=document)
    page = as_user("viewer").get(f"/programmes/{programme.slug}/decision/").content.decode()
    assert "No finance is recorded for this programme." in page
    assert "No risk register is recorded for this programme." in page
    assert "(not recorded)" in page
