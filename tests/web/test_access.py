"""Access control: each role can do exactly what it should; anonymous users only join."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from caseforchange.web.programmes.models import ProgrammeRecord
from caseforchange.web.workshops.models import WorkshopSession

ROLES = ["admin", "lead", "facilitator", "viewer", "outsider"]

#: (method, path, data, roles allowed). Others get 403; anonymous users are sent to sign in.
ROUTES: list[tuple[str, str, dict[str, str], set[str]]] = [
    ("get", "/programmes/{slug}/", {}, {"admin", "lead", "facilitator", "viewer"}),
    ("get", "/programmes/{slug}/criteria/", {}, {"admin", "lead", "facilitator", "viewer"}),
    ("get", "/programmes/{slug}/appraisal/", {}, {"admin", "lead", "facilitator", "viewer"}),
    ("get", "/programmes/{slug}/records/options/", {}, {"admin", "lead", "facilitator", "viewer"}),
    ("get", "/programmes/{slug}/history/", {}, {"admin", "lead", "facilitator", "viewer"}),
    ("get", "/programmes/{slug}/decision/", {}, {"admin", "lead", "facilitator", "viewer"}),
    ("get", "/programmes/{slug}/engagement/", {}, {"admin", "lead", "facilitator", "viewer"}),
    (
        "get",
        "/programmes/{slug}/engagement/text/",
        {},
        {"admin", "lead", "facilitator", "viewer"},
    ),
    ("get", "/programmes/{slug}/access/", {}, {"admin", "lead", "facilitator", "viewer"}),
    ("get", "/programmes/{slug}/export/folder/", {}, {"admin", "lead", "facilitator", "viewer"}),
    ("get", "/programmes/{slug}/sessions/", {}, {"admin", "lead", "facilitator", "viewer"}),
    ("get", "/programmes/{slug}/records/options/new/", {}, {"admin", "lead"}),
    ("get", "/programmes/{slug}/records/options/{option}/", {}, {"admin", "lead"}),
    ("get", "/programmes/{slug}/records/options/{option}/remove/", {}, {"admin", "lead"}),
    ("post", "/programmes/{slug}/criteria/", {}, {"admin", "lead"}),
    ("post", "/programmes/{slug}/appraisal/", {}, {"admin", "lead"}),
    ("post", "/programmes/{slug}/access/", {"username": "nobody"}, {"admin", "lead"}),
    ("get", "/programmes/new/", {}, {"admin", "lead"}),
    ("get", "/programmes/import/", {}, {"admin", "lead"}),
    (
        "post",
        "/programmes/{slug}/sessions/",
        {"panel": "workshop", "names": "named", "cap": "300"},
        {"admin", "lead", "facilitator"},
    ),
    ("get", "/sessions/{session}/", {}, {"admin", "lead", "facilitator"}),
    ("get", "/sessions/{session}/progress/", {}, {"admin", "lead", "facilitator"}),
    ("get", "/sessions/{session}/outputs/", {}, {"admin", "lead", "facilitator"}),
    ("post", "/sessions/{session}/action/", {"action": "close"}, {"admin", "lead", "facilitator"}),
    ("get", "/audit/verify/", {}, {"admin"}),
    # Editing pages for the rest of a programme, and the consultation area.
    ("get", "/programmes/{slug}/criteria/new/", {}, {"admin", "lead"}),
    ("get", "/programmes/{slug}/criteria/{criterion}/edit/", {}, {"admin", "lead"}),
    ("get", "/programmes/{slug}/criteria/{criterion}/remove/", {}, {"admin", "lead"}),
    ("get", "/programmes/{slug}/criteria/weighting/", {}, {"admin", "lead"}),
    ("get", "/programmes/{slug}/criteria/scales/", {}, {"admin", "lead", "facilitator", "viewer"}),
    ("get", "/programmes/{slug}/criteria/scales/new/", {}, {"admin", "lead"}),
    (
        "get",
        "/programmes/{slug}/appraisal/settings/",
        {},
        {"admin", "lead", "facilitator", "viewer"},
    ),
    ("post", "/programmes/{slug}/appraisal/settings/", {}, {"admin", "lead"}),
    (
        "get",
        "/programmes/{slug}/records/milestones/",
        {},
        {"admin", "lead", "facilitator", "viewer"},
    ),
    (
        "get",
        "/programmes/{slug}/records/dependencies/",
        {},
        {"admin", "lead", "facilitator", "viewer"},
    ),
    ("get", "/programmes/{slug}/records/milestones/new/", {}, {"admin", "lead"}),
    (
        "get",
        "/programmes/{slug}/records/options/{option}/configuration/",
        {},
        {"admin", "lead", "facilitator", "viewer"},
    ),
    ("post", "/programmes/{slug}/records/options/{option}/configuration/", {}, {"admin", "lead"}),
    (
        "get",
        "/programmes/{slug}/records/panels/{panel}/members/",
        {},
        {"admin", "lead", "facilitator", "viewer"},
    ),
    ("get", "/programmes/{slug}/records/panels/{panel}/members/new/", {}, {"admin", "lead"}),
    (
        "get",
        "/programmes/{slug}/engagement/responses/",
        {},
        {"admin", "lead", "facilitator", "viewer"},
    ),
    ("post", "/programmes/{slug}/engagement/responses/", {}, {"admin", "lead"}),
    ("post", "/programmes/{slug}/engagement/engagement.yaml", {}, {"admin", "lead"}),
    # Programme details, AHP comparisons.
    ("get", "/programmes/{slug}/details/", {}, {"admin", "lead"}),
    ("post", "/programmes/{slug}/details/", {}, {"admin", "lead"}),
    (
        "get",
        "/programmes/{slug}/criteria/weighting/ahp/",
        {},
        {"admin", "lead", "facilitator", "viewer"},
    ),
    (
        "get",
        "/programmes/{slug}/criteria/weighting/ahp/root/",
        {},
        {"admin", "lead", "facilitator", "viewer"},
    ),
    ("post", "/programmes/{slug}/criteria/weighting/ahp/root/", {}, {"admin", "lead"}),
    ("post", "/programmes/{slug}/criteria/move/", {}, {"admin", "lead"}),
    # The room's controls (issue 10): facilitators and above only.
    ("get", "/sessions/{session}/participants/", {}, {"admin", "lead", "facilitator"}),
    (
        "post",
        "/sessions/{session}/participants/",
        {"action": "remove", "number": "99"},
        {"admin", "lead", "facilitator"},
    ),
    ("post", "/sessions/{session}/personal-data/", {}, {"admin", "lead", "facilitator"}),
    ("get", "/sessions/{session}/export/scores.csv", {}, {"admin", "lead", "facilitator"}),
    ("get", "/sessions/{session}/export/outputs.csv", {}, {"admin", "lead", "facilitator"}),
    ("get", "/sessions/{session}/export/room.xlsx", {}, {"admin", "lead", "facilitator"}),
    # The scores grid.
    ("get", "/programmes/{slug}/scores/", {}, {"admin", "lead", "facilitator", "viewer"}),
    (
        "get",
        "/programmes/{slug}/scores/{panel}/",
        {},
        {"admin", "lead", "facilitator", "viewer"},
    ),
    ("post", "/programmes/{slug}/scores/{panel}/", {}, {"admin", "lead"}),
    # Versions: copy, archive, delete.
    ("get", "/programmes/{slug}/versions/", {}, {"admin", "lead", "facilitator", "viewer"}),
    ("get", "/programmes/archived/", {}, {"admin", "lead", "facilitator", "viewer", "outsider"}),
    ("get", "/programmes/{slug}/duplicate/", {}, {"admin", "lead"}),
    ("post", "/programmes/{slug}/duplicate/", {"id": "Bad Id"}, {"admin", "lead"}),
    ("get", "/programmes/{slug}/archive/", {}, {"admin", "lead"}),
    ("get", "/programmes/{slug}/delete/", {}, {"admin"}),
    ("post", "/programmes/{slug}/delete/", {"confirm": "not-the-id"}, {"admin"}),
    ("get", "/programmes/{slug}/signoff/", {}, {"admin", "lead"}),
    ("post", "/programmes/{slug}/signoff/", {"revision": "0"}, {"admin", "lead"}),
    # The decision file's own forms (a stale revision: refused, nothing changes).
    ("get", "/programmes/{slug}/decision/finance/{option}/", {}, {"admin", "lead"}),
    ("post", "/programmes/{slug}/decision/finance/{option}/", {"revision": "0"}, {"admin", "lead"}),
    ("get", "/programmes/{slug}/decision/equality/{option}/", {}, {"admin", "lead"}),
    (
        "post",
        "/programmes/{slug}/decision/equality/{option}/",
        {"revision": "0"},
        {"admin", "lead"},
    ),
    ("get", "/programmes/{slug}/decision/workforce/{option}/", {}, {"admin", "lead"}),
    (
        "post",
        "/programmes/{slug}/decision/workforce/{option}/",
        {"revision": "0"},
        {"admin", "lead"},
    ),
    ("get", "/programmes/{slug}/decision/settings/finance/", {}, {"admin", "lead"}),
    ("post", "/programmes/{slug}/decision/settings/risks/", {"revision": "0"}, {"admin", "lead"}),
    ("get", "/programmes/{slug}/decision/assurance/gunning/adequate-time/", {}, {"admin", "lead"}),
    (
        "post",
        "/programmes/{slug}/decision/assurance/gunning/adequate-time/",
        {"revision": "0"},
        {"admin", "lead"},
    ),
]


def _path(template: str, programme: ProgrammeRecord, session: WorkshopSession) -> str:
    document = programme.document
    return template.format(
        slug=programme.slug,
        session=session.pk,
        option=document["options"][0]["id"],
        criterion=document["framework"]["criteria"][0]["id"],
        panel=document["panels"][0]["id"],
    )


@pytest.fixture
def session(programme: ProgrammeRecord, as_user: Any) -> WorkshopSession:
    as_user("facilitator").post(
        f"/programmes/{programme.slug}/sessions/",
        {"panel": "workshop", "names": "named", "cap": "300"},
    )
    return WorkshopSession.objects.latest("id")


@pytest.mark.parametrize("role", ROLES)
def test_each_role_can_do_exactly_what_it_should(
    role: str, as_user: Any, programme: ProgrammeRecord, session: WorkshopSession
) -> None:
    client = as_user(role)
    for method, template, data, allowed in ROUTES:
        path = _path(template, programme, session)
        response = getattr(client, method)(path, data)
        if role in allowed:
            assert response.status_code in (200, 302), (role, method, path, response.status_code)
            if response.status_code == 302:
                assert "/accounts/login" not in response["Location"], (role, path)
        else:
            assert response.status_code == 403, (role, method, path, response.status_code)


def test_anonymous_users_see_only_the_join_page(
    programme: ProgrammeRecord, session: WorkshopSession
) -> None:
    client = Client()
    for method, template, data, _ in ROUTES:
        path = _path(template, programme, session)
        response = getattr(client, method)(path, data)
        assert response.status_code == 302, (path, response.status_code)
        assert response["Location"].startswith("/accounts/login"), path
    assert client.get("/").status_code == 302
    assert client.get("/").headers["Location"] == "/join/"
    assert client.get("/join/").status_code == 200
    assert client.get("/programmes/").status_code == 302
    # Participant pages need a joined session.
    assert client.get("/w/").headers["Location"] == "/join/"
    option = programme.document["options"][0]["id"]
    assert client.get(f"/w/score/{option}/").status_code == 403
    assert client.post("/w/submit/").status_code == 403


def test_outsider_sees_no_programmes(as_user: Any, programme: ProgrammeRecord) -> None:
    page = as_user("outsider").get("/programmes/").content.decode()
    assert programme.slug not in page
    assert programme.slug in as_user("viewer").get("/programmes/").content.decode()


def test_viewer_cannot_see_hidden_results(
    as_user: Any, programme: ProgrammeRecord, session: WorkshopSession
) -> None:
    assert as_user("viewer").get(f"/sessions/{session.pk}/results/").status_code == 403
    as_user("facilitator").post(f"/sessions/{session.pk}/action/", {"action": "reveal"})
    assert as_user("viewer").get(f"/sessions/{session.pk}/results/").status_code == 200


def test_csrf_is_enforced(users: dict[str, Any], programme: ProgrammeRecord) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["lead"])
    assert client.post(f"/programmes/{programme.slug}/appraisal/").status_code == 403
    assert Client(enforce_csrf_checks=True).post("/join/", {"code": "X"}).status_code == 403
