"""The appraisal page in Debian's Chromium while its result is built, and when it is ready.

The queue has no worker here: the test moves the job on as a worker would (progress, then the
build), and the page's progress panel, polled by HTMX, follows it and then shows the result.
Screenshots go to ``out/screenshots/`` for a person to look at; axe-core checks each state.
"""

from __future__ import annotations

from typing import Any

import pytest

from caseforchange.web.jobs.models import ResultStatus, StoredResult
from caseforchange.web.jobs.tasks import run_result
from caseforchange.web.programmes.models import ProgrammeRecord

from ..browser import check_axe, new_context, sign_in

pytestmark = [pytest.mark.browser]


@pytest.mark.parametrize(("name", "width"), [("desktop", 1280), ("phone", 390)])
def test_appraisal_page_shows_progress_then_the_result(
    browser: Any,
    live_server: Any,
    flushable_audit: None,
    users: dict[str, Any],
    programme: ProgrammeRecord,
    settings: Any,
    name: str,
    width: int,
) -> None:
    # Jobs wait in the queue: this test moves them on as the worker would.
    settings.JOBS_MODE = "database"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    base = live_server.url
    context = new_context(browser, viewport={"width": width, "height": 900})
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    sign_in(page, base, "viewer")
    page.goto(f"{base}/programmes/{programme.slug}/appraisal/")
    page.wait_for_selector(".cfc-job[data-status='queued']")
    check_axe(page, f"appraisal-queued-{name}")

    job = StoredResult.objects.get(kind="appraisal")
    StoredResult.objects.filter(pk=job.pk).update(
        status=ResultStatus.RUNNING, progress=40, message="Appraising the options"
    )
    page.wait_for_selector(".cfc-job[data-status='running']", timeout=10_000)
    assert "Appraising the options: 40% done" in page.inner_text(".cfc-job")
    check_axe(page, f"appraisal-building-{name}")

    assert run_result(job.pk) == "built"
    page.wait_for_selector("#ranking", timeout=45_000)  # built in the background: slow under -n 2
    assert page.url == f"{base}/programmes/{programme.slug}/appraisal/"
    assert page.locator("#ranking tbody tr").count() == 4  # Leicester's four options
    assert page.locator("img.cfc-chart").count() > 0
    check_axe(page, f"appraisal-ready-{name}")
    assert not [m for m in console if "Loading the font" not in m], console


def test_decision_page_shows_the_appraisal_being_built_then_its_values(
    browser: Any,
    live_server: Any,
    flushable_audit: None,
    users: dict[str, Any],
    programme: ProgrammeRecord,
    settings: Any,
) -> None:
    settings.JOBS_MODE = "database"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    base = live_server.url
    context = new_context(browser, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, base, "viewer")
    page.goto(f"{base}/programmes/{programme.slug}/decision/")
    page.wait_for_selector(".cfc-job[data-status='queued']")
    assert "is being built in the background" in page.inner_text("#appraisal-status")
    check_axe(page, "decision-appraisal-queued")

    job = StoredResult.objects.get(kind="appraisal")
    assert run_result(job.pk) == "built"
    page.wait_for_selector("#value-for-money-table", timeout=45_000)  # reloaded when built
    assert page.locator("#appraisal-status").count() == 0
    check_axe(page, "decision-appraisal-built")
    context.close()


def test_consultation_report_waits_then_downloads(
    browser: Any,
    live_server: Any,
    flushable_audit: None,
    users: dict[str, Any],
    programme: ProgrammeRecord,
    settings: Any,
) -> None:
    settings.JOBS_MODE = "database"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    base = live_server.url
    context = new_context(browser, viewport={"width": 390, "height": 900})
    page = context.new_page()
    sign_in(page, base, "viewer")
    url = f"{base}/programmes/{programme.slug}/engagement/consultation-report.docx"
    page.goto(url)
    page.wait_for_selector(".cfc-job[data-status='queued']")
    assert "Consultation report (Word)" in page.inner_text("h1")
    check_axe(page, "consultation-report-queued")
    job = StoredResult.objects.get(kind="consultation.docx")
    with page.expect_download(timeout=15_000) as download:
        assert run_result(job.pk) == "built"
    assert download.value.suggested_filename == f"{programme.slug}-consultation-report.docx"
    context.close()
