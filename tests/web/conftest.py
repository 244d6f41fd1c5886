"""Fixtures for the web app: Django settings, one example programme, a user per role."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caseforchange.web.settings")
# Jobs run inside the request that asks for them, unless a test starts a real worker.
os.environ.setdefault("CASEFORCHANGE_JOBS", "immediate")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from caseforchange.examples import example_path  # noqa: E402
from caseforchange.io.folder import load_programme  # noqa: E402
from caseforchange.web.accounts.dev_users import leads_group  # noqa: E402
from caseforchange.web.accounts.models import Membership, Role  # noqa: E402
from caseforchange.web.audit import triggers  # noqa: E402
from caseforchange.web.programmes import repository  # noqa: E402
from caseforchange.web.programmes.models import ProgrammeRecord  # noqa: E402

EXAMPLE = "leicester-children-2010"
PASSWORD = "a-test-password-123"


def pytest_configure(config: pytest.Config) -> None:
    """Register the marker of the real-browser tests."""
    config.addinivalue_line("markers", "browser: end-to-end test in Debian's Chromium")


@pytest.fixture
def flushable_audit(transactional_db: Any) -> Iterator[None]:
    """Let a transactional test's flush empty the append-only audit table, then re-arm it.

    Django empties every table after a transactional (live server) test; the triggers that
    refuse deletes are dropped for that flush and reinstalled by ``audit_triggers``.
    """
    yield
    triggers.remove(connection)


@pytest.fixture
def audit_triggers(db: Any) -> None:
    """Make sure the append-only triggers are in place (a flushing test may have dropped them)."""
    triggers.install(connection)


@pytest.fixture
def programme(db: Any) -> ProgrammeRecord:
    """The Leicester example, stored as the web app stores it."""
    loaded = load_programme(example_path(EXAMPLE))
    return repository.create(loaded.programme, "test", loaded.file_hashes, "example loaded")


@pytest.fixture
def users(programme: ProgrammeRecord) -> dict[str, Any]:
    """One user per role on the programme, an administrator and an outsider with no role."""
    model = get_user_model()
    made: dict[str, Any] = {}
    for name in ("admin", "lead", "facilitator", "viewer", "outsider"):
        user = model.objects.create_user(name, password=PASSWORD)
        if name == "admin":
            user.is_superuser = user.is_staff = True
            user.save()
        made[name] = user
    made["lead"].groups.add(leads_group())
    for name, role in (
        ("lead", Role.LEAD),
        ("facilitator", Role.FACILITATOR),
        ("viewer", Role.VIEWER),
    ):
        Membership.objects.create(user=made[name], programme=programme, role=role)
    return made


@pytest.fixture
def as_user(users: dict[str, Any]) -> Any:
    """Return a function giving a test client signed in as the named user."""

    def client_for(name: str) -> Client:
        client = Client()
        client.force_login(users[name])
        return client

    return client_for


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Debian Chromium per test module (skipped when it or axe-core is missing)."""
    from .browser import chromium  # here, not on top: browser.py reads PASSWORD from this module

    with chromium() as launched:
        yield launched
