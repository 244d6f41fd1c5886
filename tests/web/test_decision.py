"""The decision file page: every part shown, read-only, for anyone who can view the programme."""

from __future__ import annotations

import re
from typing import Any

import pytest

from caseforchange.examples import example_path
from caseforchange.io.folder import load_programme
from caseforchange.web.accounts.models import Membership, Role
from caseforchange.web.programmes import repository
from caseforchange.web.programmes.models import ProgrammeRecord


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


def test_without_a_current_run_the_page_says_so(as_user: Any, plymouth: ProgrammeRecord) -> None:
    page = as_user("viewer").get(f"/programmes/{plymouth.slug}/decision/").content.decode()
    assert "The appraisal has not been run" in page


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
