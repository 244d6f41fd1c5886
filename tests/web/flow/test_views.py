"""The flow pages: who sees and changes what, edits saved with their audit, bad edits refused.

Figures are checked against the Plymouth flow.yaml as written and against sums done by hand.
"""

from __future__ import annotations

from typing import Any

import pytest

from caseforchange.web.audit.models import AuditEntry
from caseforchange.web.flow.models import FlowRecord, FlowRun
from caseforchange.web.programmes.models import ProgrammeRecord

BASE = "/programmes/plymouth-2010/flow/"
EDIT_PAGES = (
    "teams/base/nursing-north/",
    "teams/system-control/acute/",
    "demand/",
    "costs/",
    "settings/",
)


def _record(row: ProgrammeRecord) -> FlowRecord:
    return FlowRecord.objects.get(programme=row)


def test_a_viewer_sees_every_table_and_no_way_to_change_them(
    as_user: Any, plymouth_flow: ProgrammeRecord
) -> None:
    page = as_user("viewer").get(BASE).content.decode()
    for table in ("teams-base", "teams-integrated", "beds", "demand", "routes", "costs", "loads"):
        assert f'id="{table}-table"' in page
    # The base model's north nursing team: 8 staff x 12 patients each = 96 places.
    assert "District nursing (north)" in page and ">96<" in page
    # Bed pools of the System Control scenario, and the unit costs as written.
    assert ">60<" in page and "£320" in page and "£1,900" in page
    assert "Illustrative figures" in page
    assert ">Change<" not in page and "Run the model" not in page and "Upload" not in page


@pytest.mark.parametrize("page", EDIT_PAGES)
def test_a_viewer_may_not_open_an_edit_page(
    as_user: Any, plymouth_flow: ProgrammeRecord, page: str
) -> None:
    viewer = as_user("viewer")
    assert viewer.get(BASE + page).status_code == 403
    assert viewer.post(BASE + page, {"revision": 1}).status_code == 403
    assert viewer.post(BASE + "runs/", {"scenarios": ["separate"]}).status_code == 403
    assert _record(plymouth_flow).revision == 1


def test_an_outsider_sees_nothing(as_user: Any, plymouth_flow: ProgrammeRecord) -> None:
    outsider = as_user("outsider")
    assert outsider.get(BASE).status_code == 403
    assert outsider.get(BASE + "flow.yaml").status_code == 403


@pytest.mark.parametrize("page", EDIT_PAGES)
def test_a_lead_opens_every_edit_page_with_the_stored_figures(
    as_user: Any, plymouth_flow: ProgrammeRecord, page: str
) -> None:
    form = as_user("lead").get(BASE + page).content.decode()
    expected = {
        "teams/base/nursing-north/": 'name="staff" type="text" value="8"',
        "teams/system-control/acute/": 'name="beds" type="text" value="60"',
        "demand/": 'name="arrival-1-per_week" type="text" value="30"',
        "costs/": 'name="per_bed_day-acute" type="text" value="320"',
        "settings/": 'name="horizon_days" type="text" value="728"',
    }[page]
    assert expected in form


def test_a_lead_changes_a_teams_staff_and_the_audit_trail_records_it(
    as_user: Any, plymouth_flow: ProgrammeRecord
) -> None:
    lead = as_user("lead")
    url = BASE + "teams/base/nursing-north/"
    post = {
        "revision": "1",
        "staff": "10",
        "caseload_per_staff": "12",
        "service-mean": "28",
        "service-sd": "20",
        "queue_limit": "",
        "hours_per_week": "",
        "contacts_per_week": "",
    }
    response = lead.post(url, post)
    assert response.status_code == 302 and response["Location"].endswith("#teams-base")
    record = _record(plymouth_flow)
    assert record.revision == 2
    assert record.document["teams"][0]["staff"] == 10
    entry = AuditEntry.objects.get(action="flow team edited")
    assert entry.target == "plymouth-2010:flow.teams[nursing-north].staff"
    assert (entry.before, entry.after, entry.actor) == (8, 10, "user lead")
    # 10 staff x 12 patients = 120 places now shown.
    assert ">120<" in lead.get(BASE).content.decode()


@pytest.mark.parametrize(
    ("field", "text", "message"),
    [
        ("staff", "many", "Staff: &#39;many&#39; is not a whole number"),
        ("staff", "-3", "-3 is too small: it must be 0 or more"),
        ("service-sd", "0", "0 is too small: it must be more than 0"),
        ("service-mean", "", "is missing: a value is required"),
        ("staff", "<script>x</script>", "is not a whole number"),
    ],
)
def test_a_bad_team_edit_is_shown_at_its_field_and_nothing_is_saved(
    as_user: Any, plymouth_flow: ProgrammeRecord, field: str, text: str, message: str
) -> None:
    post = {"revision": "1", "staff": "8", "caseload_per_staff": "12"}
    post |= {"service-mean": "28", "service-sd": "20", field: text}
    response = as_user("lead").post(BASE + "teams/base/nursing-north/", post)
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and message in page
    # The summary links to the field; the message sits on it.
    field_html = field.replace("_", "-")
    assert f'href="#f-{field_html}"' in page and f'id="f-{field_html}-error"' in page
    assert "<script>x</script>" not in page
    assert _record(plymouth_flow).revision == 1
    assert _record(plymouth_flow).document["teams"][0]["staff"] == 8
    assert not AuditEntry.objects.filter(action="flow team edited").exists()


def test_a_team_left_without_staff_is_refused_at_the_staff_field(
    as_user: Any, plymouth_flow: ProgrammeRecord
) -> None:
    post = {"revision": "1", "staff": "0", "caseload_per_staff": "12"}
    post |= {"service-mean": "28", "service-sd": "20"}
    page = as_user("lead").post(BASE + "teams/base/nursing-north/", post).content.decode()
    assert "has no staff" in page and 'href="#f-staff"' in page
    assert _record(plymouth_flow).revision == 1


def test_a_triangular_length_of_stay_out_of_order_is_located(
    as_user: Any, small_flow: ProgrammeRecord
) -> None:
    url = f"/programmes/{small_flow.slug}/flow/teams/base/beds/"
    post = {"revision": "1", "beds": "4", "service-low": "5", "service-mode": "2"}
    post |= {"service-high": "4"}
    page = as_user("lead").post(url, post).content.decode()
    assert "need low &lt;= mode &lt;= high" in page
    assert 'href="#f-service-low"' in page
    assert _record(small_flow).document["teams"][1]["service"]["low"] == 1


def test_an_edit_begun_before_someone_elses_save_is_refused(
    as_user: Any, plymouth_flow: ProgrammeRecord
) -> None:
    lead = as_user("lead")
    post = {"revision": "1", "arrival-0-per_week": "100", "arrival-1-per_week": "30"}
    post |= {"arrival-2-per_week": "15", "amplitude": "0.15", "peak_week": "2"}
    assert lead.post(BASE + "demand/", post).status_code == 302
    again = lead.post(BASE + "demand/", post | {"arrival-0-per_week": "120"})
    assert "the flow model changed (revision 2)" in again.content.decode()
    assert _record(plymouth_flow).document["arrivals"][0]["per_week"] == 100


def test_costs_are_changed_and_a_blank_cost_is_removed(
    as_user: Any, plymouth_flow: ProgrammeRecord
) -> None:
    lead = as_user("lead")
    post = {
        "revision": "1",
        "per_admission": "2000",
        "per_staff_hour-default": "30",
        "per_staff_hour-spa": "",
        "per_contact-default": "6",
        "per_bed_day-default": "",
        "per_bed_day-acute": "320",
        "per_bed_day-community-hospital": "190",
        "per_bed_day-step-up": "160",
        "illustrative": "yes",
    }
    assert lead.post(BASE + "costs/", post).status_code == 302
    costs = _record(plymouth_flow).document["costs"]
    assert costs["per_admission"] == 2000 and costs["per_staff_hour"] == {"default": 30}
    assert "default" not in costs["per_bed_day"]
    bad = lead.post(BASE + "costs/", post | {"revision": "2", "per_admission": "1e12"})
    assert "1e12 is too large: it must be 1000000000 or less" in bad.content.decode()


def test_run_settings_refuse_a_warm_up_longer_than_the_run(
    as_user: Any, plymouth_flow: ProgrammeRecord
) -> None:
    post = {"revision": "1", "horizon_days": "100", "warmup_days": "200"}
    page = as_user("lead").post(BASE + "settings/", post).content.decode()
    assert "must be shorter than horizon_days" in page
    assert _record(plymouth_flow).document["run"]["horizon_days"] == 728


def test_unknown_teams_and_scopes_are_not_found(
    as_user: Any, plymouth_flow: ProgrammeRecord
) -> None:
    lead = as_user("lead")
    assert lead.get(BASE + "teams/base/nobody/").status_code == 404
    assert lead.get(BASE + "teams/separate/nursing-north/").status_code == 404
    assert lead.get(BASE + "runs/999/").status_code == 404


def test_a_programme_without_a_flow_model_says_so(as_user: Any, programme: ProgrammeRecord) -> None:
    lead = as_user("lead")
    page = lead.get(f"/programmes/{programme.slug}/flow/").content.decode()
    assert "has no flow model yet" in page and 'id="f-flow"' in page
    assert lead.get(f"/programmes/{programme.slug}/flow/demand/").status_code == 404
    assert lead.get(f"/programmes/{programme.slug}/flow/flow.yaml").status_code == 404


def test_an_uploaded_flow_file_is_checked_and_stored(
    as_user: Any, programme: ProgrammeRecord
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .conftest import SMALL

    lead = as_user("lead")
    url = f"/programmes/{programme.slug}/flow/flow.yaml"
    bad = SMALL.replace("per_week: 63", "per_week: lots")
    page = lead.post(url, {"flow": SimpleUploadedFile("mine.yaml", bad.encode())})
    assert (
        "mine.yaml:4" in page.content.decode()
        and "&#39;lots&#39; is not a number" in page.content.decode()
    )
    assert not FlowRecord.objects.filter(programme=programme).exists()
    good = lead.post(url, {"flow": SimpleUploadedFile("mine.yaml", SMALL.encode())})
    assert good.status_code == 302
    assert _record(programme).document["teams"][0]["staff"] == 10
    assert AuditEntry.objects.filter(action="flow model stored").exists()
    # A viewer downloads it and cannot replace it.
    viewer = as_user("viewer")
    assert b"nursing" in viewer.get(url).content
    again = viewer.post(url, {"flow": SimpleUploadedFile("x.yaml", SMALL.encode())})
    assert again.status_code == 403


def test_a_run_shows_results_charts_and_tables(as_user: Any, small_flow: ProgrammeRecord) -> None:
    lead = as_user("lead")
    base = f"/programmes/{small_flow.slug}/flow/"
    response = lead.post(base + "runs/", {"scenarios": ["now", "more"], "replications": "2"})
    run = FlowRun.objects.get()
    assert response["Location"] == f"{base}runs/{run.pk}/"
    assert run.status == FlowRun.DONE and run.scenarios == ["now", "more"]
    page = as_user("viewer").get(response["Location"]).content.decode()
    assert 'id="results-table"' in page
    for title in ("Scenarios compared", "Cost per year by scenario", "Patients in the system"):
        assert f">{title}</figcaption>" in page
    # Every chart has its data table beside it.
    assert page.count("The data in this chart") == 3
    # Two more staff for a year: 2 x 37.5 hours a week x £30 x 365 / 7 = £117,321.43,
    # the same in every replication (staff cost does not depend on the patients).
    assert "117,321 [117,321, 117,321]" in page
    status = lead.get(f"{base}runs/{run.pk}/status/")
    assert status["HX-Refresh"] == "true"
    assert f"Run {run.pk}" in lead.get(base).content.decode()


def test_a_run_needs_a_scenario_and_a_sensible_number_of_replications(
    as_user: Any, small_flow: ProgrammeRecord
) -> None:
    lead = as_user("lead")
    base = f"/programmes/{small_flow.slug}/flow/"
    page = lead.post(base + "runs/", {"replications": "1000"}).content.decode()
    assert "Choose at least one scenario" in page and "from 2 to 30" in page
    assert 'href="#f-scenarios"' in page and 'href="#f-replications"' in page
    assert not FlowRun.objects.exists()


def test_a_run_sets_an_options_simulated_cost_beside_its_recorded_costs(
    as_user: Any, small_flow: ProgrammeRecord
) -> None:
    document = small_flow.document
    document["finance"]["options"][0]["flow_scenario"] = "more"  # proposed-split
    small_flow.save()
    base = f"/programmes/{small_flow.slug}/flow/"
    url = as_user("lead").post(base + "runs/", {"scenarios": ["now", "more"]})["Location"]
    page = as_user("viewer").get(url).content.decode()
    assert 'id="finance-table"' in page and "Proposed split" in page
    simulated = FlowRun.objects.get().result["scenarios"][1]["metrics"]["cost_per_year"]["mean"]
    # Recorded: the running costs of the first year, £27,600,000 (transition costs left out).
    assert "£27,600,000" in page
    assert f"−£{27_600_000 - simulated:,.0f}" in page


def test_anonymous_users_are_sent_to_sign_in(client: Any, plymouth_flow: ProgrammeRecord) -> None:
    for page in ("", "flow.yaml", "runs/1/", *EDIT_PAGES):
        response = client.get(BASE + page)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.post(BASE + "runs/", {"scenarios": ["separate"]}).status_code == 302
    assert not FlowRun.objects.exists()


def test_the_programme_page_links_to_the_flow_model(
    as_user: Any, plymouth_flow: ProgrammeRecord
) -> None:
    page = as_user("viewer").get("/programmes/plymouth-2010/").content.decode()
    assert f'href="{BASE}"' in page and "Patient flow" in page
