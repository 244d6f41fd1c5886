"""Phones reach a room: serving on the LAN, the join link's address, the proxy's client header."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import RequestFactory, override_settings

from caseforchange.web.clientaddr import client_address
from caseforchange.web.lan import is_loopback_host, lan_addresses, own_hosts
from caseforchange.web.programmes.models import ProgrammeRecord
from caseforchange.web.workshops.codes import link_token
from caseforchange.web.workshops.views import join_url
from tests.web.test_workshop import open_session

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_run_takes_a_host() -> None:
    def dry(*args: str) -> str:
        done = subprocess.run(
            ["make", "-n", "-W", "pyproject.toml", "run", *args],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout

    # run_with_worker is runserver plus the background job worker (docs/web.md).
    assert "CASEFORCHANGE_SERVE_LAN= " in dry() and "run_with_worker 127.0.0.1:8000" in dry()
    lan = dry("HOST=0.0.0.0")
    assert "CASEFORCHANGE_SERVE_LAN=1 " in lan and "run_with_worker 0.0.0.0:8000" in lan


def test_serving_the_lan_allows_this_machines_own_addresses_only() -> None:
    env = {**os.environ, "CASEFORCHANGE_SERVE_LAN": "1", "PYTHONPATH": str(REPO / "src")}
    code = "from caseforchange.web import settings as s; print(','.join(s.ALLOWED_HOSTS))"
    out = (
        subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        .stdout.strip()
        .split(",")
    )
    assert "*" not in out and "127.0.0.1" in out
    assert set(own_hosts()) <= set(out)
    assert all(not is_loopback_host(a) for a in lan_addresses())


def test_loopback_hosts_are_recognised() -> None:
    assert is_loopback_host("127.0.0.1:8000") and is_loopback_host("localhost")
    assert is_loopback_host("[::1]:8000")
    assert not is_loopback_host("192.168.1.20:8000") and not is_loopback_host("laptop.local")


def test_the_join_link_uses_the_address_the_facilitator_used(
    as_user: Any, programme: ProgrammeRecord
) -> None:
    facilitator = as_user("facilitator")
    session = open_session(facilitator, programme.slug)
    with override_settings(ALLOWED_HOSTS=["192.168.1.20", "testserver"]):
        page = facilitator.get(f"/sessions/{session.pk}/", HTTP_HOST="192.168.1.20:8000")
    assert page.status_code == 200
    text = page.content.decode()
    assert "http://192.168.1.20:8000/join/" in text and 'id="lan-hint"' not in text
    # A host not allowed is still refused (DNS rebinding, spoofed links).
    assert facilitator.get(f"/sessions/{session.pk}/", HTTP_HOST="evil.example").status_code == 400


def test_a_public_url_wins(as_user: Any, programme: ProgrammeRecord) -> None:
    facilitator = as_user("facilitator")
    session = open_session(facilitator, programme.slug)
    with override_settings(PUBLIC_URL="https://workshop.trust.example"):
        text = facilitator.get(f"/sessions/{session.pk}/").content.decode()
    assert "https://workshop.trust.example/join/" in text


def test_loopback_warns_that_phones_cannot_reach_it(
    as_user: Any, programme: ProgrammeRecord
) -> None:
    facilitator = as_user("facilitator")
    session = open_session(facilitator, programme.slug)
    with override_settings(SERVE_LAN=False):
        text = facilitator.get(f"/sessions/{session.pk}/", HTTP_HOST="127.0.0.1:8000").content
    assert b'id="lan-hint"' in text and b"make run HOST=0.0.0.0" in text
    with override_settings(SERVE_LAN=True, ALLOWED_HOSTS=["127.0.0.1"]):
        text = facilitator.get(f"/sessions/{session.pk}/", HTTP_HOST="127.0.0.1:8000").content
    for address in lan_addresses():
        assert f"http://{address}:8000/sessions/{session.pk}/".encode() in text


def test_the_qr_link_carries_code_and_token(as_user: Any, programme: ProgrammeRecord) -> None:
    session = open_session(as_user("facilitator"), programme.slug)
    request = RequestFactory().get("/", HTTP_HOST="192.168.1.20:8000")
    with override_settings(ALLOWED_HOSTS=["192.168.1.20"]):
        link = join_url(request, session)
    token = link_token(session.pk, session.code)
    assert link == f"http://192.168.1.20:8000/join/?code={session.code}&t={token}"


@override_settings(CLIENT_IP_HEADER="X-Real-IP")
def test_client_address_from_a_trusted_header() -> None:
    factory = RequestFactory()
    assert client_address(factory.get("/", HTTP_X_REAL_IP="203.0.113.7")) == "203.0.113.7"
    assert client_address(factory.get("/")) == "127.0.0.1"  # header missing: the connection's
    with override_settings(CLIENT_IP_HEADER=""):
        assert client_address(factory.get("/", HTTP_X_REAL_IP="203.0.113.7")) == "127.0.0.1"
