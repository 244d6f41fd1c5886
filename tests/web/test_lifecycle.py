"""Duplicating, archiving, restoring and deleting a programme: audited, confirmed, by role."""

from __future__ import annotations

from typing import Any

from caseforchange.web.accounts.models import Membership
from caseforchange.web.audit.chain import verify
from caseforchange.web.audit.models import AuditEntry
from caseforchange.web.consultation.models import EngagementRecord, ResponseSet
from caseforchange.web.programmes import repository
from caseforchange.web.programmes.models import ProgrammeRecord


def test_duplicate_copies_inputs_under_a_new_id(as_user: Any, programme: ProgrammeRecord) -> None:
    engagement = EngagementRecord.objects.create(
        programme=programme, document={"plan": "as uploaded"}, source_text="plan: x\n"
    )
    ResponseSet.objects.create(
        engagement=engagement,
        questionnaire="q1",
        csv_text="id,answer\n1,yes\n",
        rows=1,
        file_name="q1.csv",
        file_sha256="0" * 64,
        mapping="",
    )
    url = f"/programmes/{programme.slug}/duplicate/"
    assert "Copy this programme" in as_user("lead").get(url).content.decode()
    response = as_user("lead").post(url, {"id": "leicester-2011", "title": "Scenario B"})
    assert response.status_code == 302 and response["Location"] == "/programmes/leicester-2011/"
    copy = ProgrammeRecord.objects.get(slug="leicester-2011")
    assert copy.title == "Scenario B" and copy.document["id"] == "leicester-2011"
    assert copy.scores == programme.scores and len(copy.scores) == 168
    assert copy.file_hashes == programme.file_hashes
    assert {k: v for k, v in copy.document.items() if k not in ("id", "title")} == {
        k: v for k, v in programme.document.items() if k not in ("id", "title")
    }
    copied = EngagementRecord.objects.get(programme=copy)
    assert copied.source_text == "plan: x\n" and copied.salt == engagement.salt
    assert ResponseSet.objects.get(engagement=copied).csv_text == "id,answer\n1,yes\n"
    assert Membership.objects.filter(programme=copy).count() == 3
    # The original is untouched, and the copy is its own programme.
    assert ProgrammeRecord.objects.get(slug=programme.slug).title == programme.title
    entry = AuditEntry.objects.get(action="programme duplicated", before__isnull=False)
    assert entry.before == {"from": programme.slug, "revision": 1}
    assert verify().ok


def test_duplicate_refuses_a_taken_or_bad_id(as_user: Any, programme: ProgrammeRecord) -> None:
    url = f"/programmes/{programme.slug}/duplicate/"
    page = as_user("lead").post(url, {"id": programme.slug, "title": "x"}).content.decode()
    assert "already exists" in page and 'id="f-id-error"' in page
    page = as_user("lead").post(url, {"id": "Not An Id!", "title": "x"}).content.decode()
    assert "There is a problem" in page
    assert ProgrammeRecord.objects.count() == 1
    assert as_user("viewer").post(url, {"id": "v-copy", "title": "x"}).status_code == 403
    assert as_user("facilitator").get(url).status_code == 403


def test_archive_hides_freezes_and_restores(as_user: Any, programme: ProgrammeRecord) -> None:
    lead = as_user("lead")
    slug = programme.slug
    assert lead.post(f"/programmes/{slug}/archive/").status_code == 302
    assert slug not in lead.get("/programmes/").content.decode()
    assert slug in lead.get("/programmes/archived/").content.decode()
    # Still readable by everyone with access; read-only for everyone, admins included.
    assert as_user("viewer").get(f"/programmes/{slug}/").status_code == 200
    assert "archived on" in lead.get(f"/programmes/{slug}/").content.decode()
    assert as_user("admin").get(f"/programmes/{slug}/details/").status_code == 403
    assert lead.post(f"/programmes/{slug}/scores/commissioners/", {}).status_code == 403
    page = lead.get(f"/programmes/{slug}/scores/commissioners/").content.decode()
    assert "Save scores" not in page
    assert "Restore this programme" in lead.get(f"/programmes/{slug}/archive/").content.decode()
    assert as_user("viewer").post(f"/programmes/{slug}/archive/").status_code == 403
    assert lead.post(f"/programmes/{slug}/archive/").status_code == 302
    assert slug in lead.get("/programmes/").content.decode()
    assert lead.get(f"/programmes/{slug}/details/").status_code == 200
    actions = list(AuditEntry.objects.filter(programme=slug).values_list("action", flat=True))
    assert actions[-2:] == ["programme archived", "programme restored"]


def test_an_archived_programme_refuses_saves_below_the_views(programme: ProgrammeRecord) -> None:
    from caseforchange.web.services.lifecycle import set_archived

    set_archived(programme, True, "test")
    edited = repository.to_programme(programme).model_copy(update={"title": "Changed"})
    try:
        repository.save(programme, edited, "test", "title changed", programme.revision)
    except repository.StaleEdit as error:
        assert "archived" in str(error)
    else:
        raise AssertionError("an archived programme was changed")


def test_delete_needs_the_id_and_keeps_the_audit_chain(
    as_user: Any, programme: ProgrammeRecord
) -> None:
    slug = programme.slug
    url = f"/programmes/{slug}/delete/"
    assert as_user("lead").get(url).status_code == 403
    assert as_user("lead").post(url, {"confirm": slug}).status_code == 403
    admin = as_user("admin")
    page = admin.post(url, {"confirm": "wrong"}).content.decode()
    assert "There is a problem" in page and 'id="f-confirm-error"' in page
    assert ProgrammeRecord.objects.filter(slug=slug).exists()
    before = AuditEntry.objects.filter(programme=slug).count()
    response = admin.post(url, {"confirm": slug})
    assert response.status_code == 302 and response["Location"] == "/programmes/"
    assert not ProgrammeRecord.objects.filter(slug=slug).exists()
    assert not Membership.objects.filter(programme__slug=slug).exists()
    entries = AuditEntry.objects.filter(programme=slug)
    assert entries.count() == before + 1
    last = entries.last()
    assert last is not None and last.action == "programme deleted"
    assert last.before["title"] == programme.title and last.before["scores"] == 168
    assert verify().ok
    assert admin.get("/audit/verify/").status_code == 200
    assert admin.get(f"/programmes/{slug}/").status_code == 404
