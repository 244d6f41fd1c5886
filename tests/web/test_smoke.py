"""Every page renders for an administrator."""

from __future__ import annotations

from typing import Any

from caseforchange.web.programmes.models import ProgrammeRecord


def test_pages_render(as_user: Any, programme: ProgrammeRecord) -> None:
    client = as_user("admin")
    slug = programme.slug
    for path in [
        "/programmes/",
        f"/programmes/{slug}/",
        f"/programmes/{slug}/criteria/",
        f"/programmes/{slug}/appraisal/",
        f"/programmes/{slug}/records/options/",
        f"/programmes/{slug}/records/services/",
        f"/programmes/{slug}/records/options/new/",
        f"/programmes/{slug}/access/",
        f"/programmes/{slug}/history/",
        f"/programmes/{slug}/engagement/",
        f"/programmes/{slug}/sessions/",
        "/programmes/new/",
        "/programmes/import/",
        "/audit/verify/",
    ]:
        response = client.get(path)
        assert response.status_code == 200, (path, response.content[:2000])


def test_load_examples_is_idempotent(db: Any) -> None:
    from io import StringIO

    from django.core.management import call_command

    from caseforchange.examples import EXAMPLE_IDS
    from caseforchange.web.audit.chain import verify

    call_command("load_examples", stdout=StringIO())
    out = StringIO()
    call_command("load_examples", stdout=out)
    assert ProgrammeRecord.objects.count() == len(EXAMPLE_IDS)
    assert out.getvalue().count("already loaded") == len(EXAMPLE_IDS)
    call_command("create_dev_users", stdout=StringIO())
    assert verify().ok
