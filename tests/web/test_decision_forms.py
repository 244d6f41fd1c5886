"""The decision file's own forms: finance, equality, staff moves, assurance items, part settings.

Each form: a good save changes the stored document, is audited and shows on the decision page
with figures worked out by hand; a bad one puts the message on its field and changes nothing.
"""

from __future__ import annotations

from typing import Any

import pytest

from caseforchange.catalogue.reference import decision_catalogue
from caseforchange.decision.view import part_json
from caseforchange.examples import example_path
from caseforchange.io.folder import load_programme
from caseforchange.web.accounts.models import Membership, Role
from caseforchange.web.audit.models import AuditEntry
from caseforchange.web.decision_file.views import build
from caseforchange.web.programmes import repository
from caseforchange.web.programmes.models import ProgrammeRecord

from .test_decision import plymouth  # noqa: F401  (fixture)


@pytest.fixture(autouse=True)
def _no_worker(settings: Any) -> None:
    """Leave the decision page's appraisal queued: these tests are about the parts, not it."""
    settings.JOBS_MODE = "database"


def _stored(row: ProgrammeRecord) -> ProgrammeRecord:
    return ProgrammeRecord.objects.get(pk=row.pk)


def _unchanged(row: ProgrammeRecord) -> None:
    now = _stored(row)
    assert now.revision == row.revision and now.document == row.document


def _npc(row: ProgrammeRecord, option: str) -> float:
    d, _ = build(_stored(row))
    finance = part_json(d, "finance", decision_catalogue())["finance"]
    return float(next(o for o in finance["options"] if o["option"] == option)["npc_gbp"])


def test_finance_of_an_option_gives_the_hand_worked_npc(
    as_user: Any,
    plymouth: ProgrammeRecord,  # noqa: F811
) -> None:
    lead = as_user("lead")
    url = f"/programmes/{plymouth.slug}/decision/finance/vertical-integration/"
    form = lead.get(url).content.decode()
    assert "Systems migration to the acute trust" in form and 'name="line-7-kind"' in form
    # Every existing line is replaced by one cost of £1m in each of two years.
    post = {
        "revision": plymouth.revision,
        "line-0-kind": "cost",
        "line-0-label": "Running costs",
        "line-0-amounts": "1000000 1000000",
    }
    assert lead.post(url, post).status_code == 302
    saved = _stored(plymouth)
    option = next(o for o in saved.document["finance"]["options"])
    assert option["lines"] == [
        {"kind": "cost", "label": "Running costs", "amounts_gbp": [1000000.0, 1000000.0]}
    ]
    assert AuditEntry.objects.filter(action="option finance edited").exists()
    # At 3.5%: 1,000,000 + 1,000,000 / 1.035 = 1,966,183.57.
    assert _npc(saved, "vertical-integration") == pytest.approx(1_966_183.57, abs=0.01)
    page = lead.get(f"/programmes/{plymouth.slug}/decision/").content.decode()
    assert "£1,966,184" in page  # whole pounds, as in the Board paper
    # At 10% set on the part's settings form: 1,000,000 + 1,000,000 / 1.1 = 1,909,090.91.
    settings = f"/programmes/{plymouth.slug}/decision/settings/finance/"
    values = {
        "revision": saved.revision,
        "first_year": "2011",
        "discount_rate": "0.10",
        "envelope_gbp": "61000000",
        "illustrative": "yes",
        "note": "Illustrative costs.",
    }
    assert lead.post(settings, values).status_code == 302
    assert _npc(plymouth, "vertical-integration") == pytest.approx(1_909_090.91, abs=0.01)
    assert "£1,909,091" in lead.get(f"/programmes/{plymouth.slug}/decision/").content.decode()


def test_a_bad_finance_line_is_refused_on_its_field(
    as_user: Any,
    plymouth: ProgrammeRecord,  # noqa: F811
) -> None:
    lead = as_user("lead")
    url = f"/programmes/{plymouth.slug}/decision/finance/vertical-integration/"
    post = {
        "revision": plymouth.revision,
        "line-0-kind": "cost",
        "line-0-label": "Running costs",
        "line-0-amounts": "1,000,000",
        "line-1-kind": "transition",
        "line-1-label": "Legal",
        "line-1-amounts": "5000",
    }
    page = lead.post(url, post).content.decode()
    assert "There is a problem" in page
    assert 'href="#f-line-0-amounts"' in page and 'href="#f-line-1-category"' in page
    assert "1,000,000" in page  # what was typed is shown again
    _unchanged(plymouth)


def test_settings_need_a_note_when_illustrative(
    as_user: Any,
    plymouth: ProgrammeRecord,  # noqa: F811
) -> None:
    lead = as_user("lead")
    url = f"/programmes/{plymouth.slug}/decision/settings/equality/"
    form = lead.get(url).content.decode()
    assert "public sector equality duty" in form
    page = lead.post(
        url, {"revision": plymouth.revision, "illustrative": "yes", "note": ""}
    ).content.decode()
    assert 'href="#f-note"' in page and "needs a note" in page
    _unchanged(plymouth)
    assert (
        lead.post(url, {"revision": plymouth.revision, "psed_statement": "Considered."}).status_code
        == 302
    )
    equality = _stored(plymouth).document["equality"]
    assert equality["psed_statement"] == "Considered." and "illustrative" not in equality
    page = lead.get(f"/programmes/{plymouth.slug}/decision/").content.decode()
    assert "Considered." in page


def test_equality_impact_by_characteristic(
    as_user: Any,
    plymouth: ProgrammeRecord,  # noqa: F811
) -> None:
    lead = as_user("lead")
    url = f"/programmes/{plymouth.slug}/decision/equality/in-house/"
    assert "Gender reassignment" in lead.get(url).content.decode()
    bad = {"revision": plymouth.revision, "age-evidence": "Older people use most services"}
    page = lead.post(url, bad).content.decode()
    assert 'href="#f-age-impact"' in page
    _unchanged(plymouth)
    good = {
        "revision": plymouth.revision,
        "age-impact": "negative",
        "age-evidence": "Older people use most services",
        "disability-impact": "positive",
        "disability-mitigation": "<script>x</script>",
    }
    assert lead.post(url, good).status_code == 302
    options = _stored(plymouth).document["equality"]["options"]
    mine = next(o for o in options if o["option"] == "in-house")
    assert [f["characteristic"] for f in mine["findings"]] == ["age", "disability"]
    page = lead.get(f"/programmes/{plymouth.slug}/decision/").content.decode()
    assert "<script>x</script>" not in page
    # One positive, one negative (age, without mitigation); eight of the ten not assessed.
    d, _ = build(_stored(plymouth))
    equality = part_json(d, "equality", decision_catalogue())["equality"]
    row = next(o for o in equality["options"] if o["option"] == "in-house")
    assert (row["counts"].get("positive"), row["counts"].get("negative")) == (1, 1)
    assert row["negative_without_mitigation"] == ["age"] and len(row["not_assessed"]) == 8


def test_staff_moves_override_needs_a_reason(
    as_user: Any,
    plymouth: ProgrammeRecord,  # noqa: F811
) -> None:
    lead = as_user("lead")
    form = lead.get(f"/programmes/{plymouth.slug}/decision/workforce/vertical-integration/")
    # Moving to the acute trust changes employer: TUPE applies unless overridden.
    assert "Derived now: yes" in form.content.decode()
    url = f"/programmes/{plymouth.slug}/decision/workforce/in-house/"
    move = {
        "revision": plymouth.revision,
        "move-0-service": "locality-teams",
        "move-0-destination": "plymouth-provider",
        "move-0-wte": "100",
        "move-0-headcount": "120",
        "move-0-nhs_pension": "no",
    }
    page = lead.post(url, move).content.decode()
    assert 'href="#f-move-0-pension-reason"' in page
    _unchanged(plymouth)
    assert (
        lead.post(url, {**move, "move-0-pension_reason": "Checked with NHS Pensions"}).status_code
        == 302
    )
    stored = _stored(plymouth).document["workforce"]["options"]
    mine = next(o for o in stored if o["option"] == "in-house")
    assert mine["moves"][0]["wte"] == 100 and mine["moves"][0]["nhs_pension"] == "no"
    page = lead.get(f"/programmes/{plymouth.slug}/decision/").content.decode()
    assert "overridden: Checked with NHS Pensions" in page


def test_assurance_item_status_evidence_owner_date(
    as_user: Any,
    plymouth: ProgrammeRecord,  # noqa: F811
) -> None:
    lead = as_user("lead")
    url = f"/programmes/{plymouth.slug}/decision/assurance/dh-tcs-assurance-2010/ibp-appraised/"
    form = lead.get(url).content.decode()
    assert "Director of Commissioning" in form and "board-decision" in form
    bad = {
        "revision": plymouth.revision,
        "status": "met",
        "owner": "Director of Commissioning",
        "date": "2010-13-40",
        "evidence-0-kind": "milestone",
        "evidence-0-ref": "no-such-milestone",
    }
    page = lead.post(url, bad).content.decode()
    assert 'href="#f-date"' in page and "2010-13-40" in page
    # References are checked once the record reads: an unknown milestone is refused too.
    unknown = {**bad, "date": "2010-10-28"}
    assert 'href="#f-evidence-0-ref"' in lead.post(url, unknown).content.decode()
    _unchanged(plymouth)
    good = {**bad, "date": "2010-10-28", "evidence-0-ref": "board-decision"}
    assert lead.post(url, good).status_code == 302
    item = _stored(plymouth).document["assurance"]["items"][0]
    assert (item["status"], item["date"]) == ("met", "2010-10-28")
    assert item["evidence"] == [{"kind": "milestone", "ref": "board-decision"}]


@pytest.fixture
def shropshire(users: dict[str, Any]) -> ProgrammeRecord:
    """The Shropshire example: it has a written consultation, so data decides some items."""
    loaded = load_programme(example_path("shropshire-telford-2010"))
    row = repository.create(loaded.programme, "test", loaded.file_hashes, "example loaded")
    Membership.objects.create(user=users["lead"], programme=row, role=Role.LEAD)
    return row


def test_an_item_decided_by_data_is_not_overridden_silently(
    as_user: Any, shropshire: ProgrammeRecord
) -> None:
    lead = as_user("lead")
    url = f"/programmes/{shropshire.slug}/decision/assurance/gunning/adequate-time/"
    form = lead.get(url).content.decode()
    assert "Decided from data:" in form
    decided = "met" if "Decided from data: met" in form else "not_met"
    other = "not_met" if decided == "met" else "met"
    page = lead.post(url, {"revision": shropshire.revision, "status": other}).content.decode()
    assert 'href="#f-status"' in page and "say in the note why" in page
    _unchanged(shropshire)
    post = {"revision": shropshire.revision, "status": other, "note": "Board view differs"}
    assert lead.post(url, post).status_code == 302
    # The decision page shows both: the engine's status and the one recorded, with the note.
    page = lead.get(f"/programmes/{shropshire.slug}/decision/").content.decode()
    words = other.replace("_", " ")
    assert f"(from data); recorded as {words}" in page and "Board view differs" in page


def test_viewers_cannot_open_the_forms(as_user: Any, plymouth: ProgrammeRecord) -> None:  # noqa: F811
    viewer = as_user("viewer")
    page = viewer.get(f"/programmes/{plymouth.slug}/decision/").content.decode()
    assert "/decision/finance/" not in page
    for tail in (
        "finance/in-house/",
        "equality/in-house/",
        "workforce/in-house/",
        "settings/finance/",
        "assurance/gunning/adequate-time/",
    ):
        url = f"/programmes/{plymouth.slug}/decision/{tail}"
        assert viewer.get(url).status_code == 403
        assert viewer.post(url, {"revision": plymouth.revision}).status_code == 403
    _unchanged(plymouth)
    lead_page = as_user("lead").get(f"/programmes/{plymouth.slug}/decision/").content.decode()
    assert f"/programmes/{plymouth.slug}/decision/finance/in-house/" in lead_page
    assert f"/programmes/{plymouth.slug}/decision/settings/market/" in lead_page


def test_a_stale_edit_is_refused(as_user: Any, plymouth: ProgrammeRecord) -> None:  # noqa: F811
    lead = as_user("lead")
    url = f"/programmes/{plymouth.slug}/decision/settings/risks/"
    first = {"revision": plymouth.revision, "illustrative": "yes", "note": "First editor"}
    assert lead.post(url, first).status_code == 302
    saved = _stored(plymouth)
    second = {"revision": plymouth.revision, "note": "Second editor, from the old page"}
    page = lead.post(url, second).content.decode()
    assert "reload the page" in page
    now = _stored(plymouth)
    assert now.revision == saved.revision and now.document["risks"]["note"] == "First editor"


def test_assurance_settings_choose_the_checklists(
    as_user: Any,
    plymouth: ProgrammeRecord,  # noqa: F811
) -> None:
    lead = as_user("lead")
    url = f"/programmes/{plymouth.slug}/decision/settings/assurance/"
    form = lead.get(url).content.decode()
    # Plymouth uses four of the five built-in checklists; the SHA's 2007 criteria are not ticked.
    assert (
        'value="gunning" checked' in form and 'value="sha-east-of-england-2007" checked' not in form
    )
    note = plymouth.document["assurance"]["note"]
    post = {
        "revision": plymouth.revision,
        "checklists": ["gunning", "four-tests-2010"],
        "illustrative": "yes",
        "note": note,
    }
    assert lead.post(url, post).status_code == 302
    saved = _stored(plymouth)
    assert saved.document["assurance"]["checklists"] == ["gunning", "four-tests-2010"]
    assert AuditEntry.objects.filter(action="assurance settings edited").exists()
    d, _ = build(saved)
    assert set(d.readiness.counts) == {"gunning", "four-tests-2010"}
