"""The built-in catalogue of organisational forms."""

from __future__ import annotations

from caseforchange.catalogue.forms import form, forms

REQUIRED = {
    "community-foundation-trust",
    "community-nhs-trust",
    "social-enterprise-cic",
    "social-enterprise-ips",
    "social-enterprise-clg",
    "employee-owned-mutual",
    "care-trust",
    "childrens-trust",
    "integrated-community-acute-trust",
    "horizontal-merger",
    "private-sector",
    "in-house",
}


def test_catalogue_has_every_form_the_sources_name() -> None:
    assert set(forms()) >= REQUIRED


def test_every_form_records_its_sources() -> None:
    assert all(f.sources for f in forms().values())


def test_properties_follow_the_sources() -> None:
    # 001: a foundation trust stays in the NHS and keeps surpluses; a social enterprise is outside.
    assert form("community-foundation-trust").inside_nhs == "yes"
    assert "surplus" in form("community-foundation-trust").surplus_retention.lower()
    assert form("social-enterprise-cic").inside_nhs == "no"
    # 000: staff feared losing NHS pensions for new staff outside the NHS: marked uncertain.
    assert form("social-enterprise-cic").nhs_pension == "uncertain"
    assert form("social-enterprise-cic").uncertain
    # 003: the Co-operation and Competition Panel's £35m threshold for provider mergers.
    assert "£35m" in form("horizontal-merger").regulator
    assert form("integrated-community-acute-trust").integration == "vertical"
