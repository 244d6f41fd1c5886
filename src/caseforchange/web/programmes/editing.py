"""The editable sections of a programme: which fields each record shows and how to read a form.

Forms carry text; the domain model's validation (the same as for files) turns it into typed
values and says precisely what is wrong, so no rule is written twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.http import QueryDict

from caseforchange.catalogue.forms import forms
from caseforchange.domain.engagement import ActivityKind, DatePrecision
from caseforchange.domain.market import Contestability, ProcurementRoute
from caseforchange.domain.organisations import OrganisationKind
from caseforchange.domain.risks import RiskCategory
from caseforchange.domain.services import ClientGroup, DependencyKind, Tier
from caseforchange.domain.workforce import StaffConsultation


@dataclass(frozen=True)
class Field:
    """One form field: its name in the document, label, kind and (for selects) choices."""

    name: str
    label: str
    kind: str = "text"  # text, textarea, number, date, time, bool, list, select, multi
    choices: tuple[tuple[str, str], ...] = ()
    ref: str | None = None  # a section whose ids are the choices
    hint: str = ""
    required: bool = False
    blank: str = ""  # what a select's empty choice says, when not "Choose" or "None"


def enum_choices(kind: type[StrEnum]) -> tuple[tuple[str, str], ...]:
    """Return a select's choices for an enumeration: (value, readable label) per member."""
    return tuple((k.value, k.value.replace("_", " ").capitalize()) for k in kind)


@dataclass(frozen=True)
class Section:
    """A list of records in the programme (organisations, services, ...) and its form."""

    key: str
    title: str
    singular: str
    fields: tuple[Field, ...]
    columns: tuple[str, ...] = field(default_factory=tuple)
    path: tuple[str, ...] = ()
    """Where the list is kept: () for ``data[key]``; ("risks", "risks") inside a part."""
    id_field: str = "id"
    """The field that names a record in its list (a decision part may key by service)."""

    def where(self) -> tuple[str, ...]:
        """Return the path of the list in the programme document."""
        return self.path or (self.key,)


def records_in(
    data: dict[str, Any], spec: Section, *, create: bool = False
) -> list[dict[str, Any]]:
    """Return the section's list of records in ``data``; with ``create``, make it (and its part).

    Without ``create``, a missing part or list gives an empty list that is not stored.
    """
    node = data
    *parents, last = spec.where()
    for name in parents:
        if not isinstance(node.get(name), dict):
            if not create:
                return []
            node[name] = {}
        node = node[name]
    if create:
        found: list[dict[str, Any]] = node.setdefault(last, [])
        return found
    return list(node.get(last) or [])


def set_records(data: dict[str, Any], spec: Section, records: list[dict[str, Any]]) -> None:
    """Replace the section's list of records in ``data`` (creating its part if needed)."""
    target = records_in(data, spec, create=True)
    target[:] = records


ID = Field("id", "Id", hint="Letters, digits, hyphens: other records refer to it", required=True)

SECTIONS: dict[str, Section] = {
    s.key: s
    for s in [
        Section(
            "organisations",
            "Organisations",
            "organisation",
            (
                ID,
                Field("name", "Name", required=True),
                Field("kind", "Kind", "select", enum_choices(OrganisationKind), required=True),
                Field("short_name", "Short name"),
                Field("ods_code", "ODS code", hint="3 to 6 capital letters or digits"),
                Field("notes", "Notes", "textarea"),
            ),
            ("name", "kind", "ods_code"),
        ),
        Section(
            "services",
            "Services",
            "service",
            (
                ID,
                Field("name", "Name", required=True),
                Field(
                    "client_group",
                    "Client group",
                    "select",
                    enum_choices(ClientGroup),
                    required=True,
                ),
                Field("tier", "Tier", "select", enum_choices(Tier), required=True),
                Field("budget_gbp", "Annual budget (£)", "number"),
                Field("staff_wte", "Staff (whole-time equivalent)", "number"),
                Field(
                    "current_provider",
                    "Current provider (blank for a new function)",
                    "select",
                    ref="organisations",
                ),
                Field("localities", "Localities", "list", hint="One per line"),
                Field("description", "Description", "textarea"),
            ),
            ("name", "client_group", "tier", "budget_gbp", "staff_wte"),
        ),
        Section(
            "dependencies",
            "Service dependency rules",
            "dependency rule",
            (
                ID,
                Field(
                    "kind", "Kind of rule", "select", enum_choices(DependencyKind), required=True
                ),
                Field(
                    "services",
                    "Services the rule covers",
                    "multi",
                    ref="services",
                    hint="Keep together and prefer same destination need two or more",
                    required=True,
                ),
                Field("reason", "Reason", "textarea", required=True),
                Field("raised_by", "Raised by", hint="Who asked for the rule, and when"),
            ),
            ("kind", "services", "reason"),
        ),
        Section(
            "options",
            "Options",
            "option",
            (
                ID,
                Field("name", "Name", required=True),
                Field("form", "Organisational form", "select", required=True),
                Field("provider", "Provider", "select", ref="organisations"),
                Field("description", "Description", "textarea"),
                Field("business_as_usual", "This is the business-as-usual option", "bool"),
                Field("do_minimum", "This is the do-minimum option", "bool"),
                Field("stage_reached", "Stage reached"),
            ),
            ("name", "form", "provider"),
        ),
        Section(
            "panels",
            "Panels",
            "panel",
            (
                ID,
                Field("name", "Name", required=True),
                Field("group", "Stakeholder group", "select", ref="stakeholders"),
                Field("weight", "Weight of this panel", "number", hint="For example 1 or 2"),
            ),
            ("name", "group", "weight"),
        ),
        Section(
            "stakeholders",
            "Stakeholder groups",
            "stakeholder group",
            (
                ID,
                Field("name", "Name", required=True),
                Field("kind", "Kind"),
                Field("organisation", "Organisation", "select", ref="organisations"),
                Field("interest", "Interest (1 to 5)", "number"),
                Field("influence", "Influence (1 to 5)", "number"),
                Field("size", "Size", "number"),
            ),
            ("name", "kind", "interest", "influence"),
        ),
        Section(
            "activities",
            "Engagement activities",
            "activity",
            (
                ID,
                Field("kind", "Kind", "select", enum_choices(ActivityKind), required=True),
                Field("title", "Title", required=True),
                Field("date", "Date", "date"),
                Field(
                    "date_precision",
                    "How much of the date is known",
                    "select",
                    enum_choices(DatePrecision),
                    hint="Month: the source gives only the month; write the 1st",
                ),
                Field("end_date", "End date", "date"),
                Field("start_time", "Start time", "time"),
                Field("end_time", "End time", "time"),
                Field("venue", "Venue"),
                Field("audience", "Audience", "list", hint="Stakeholder group ids, one per line"),
                Field("capacity", "Capacity", "number"),
                Field("milestone", "Milestone", "select", ref="milestones"),
                Field("notes", "Notes", "textarea"),
            ),
            ("title", "kind", "date", "venue"),
        ),
        Section(
            "milestones",
            "Milestones",
            "milestone",
            (
                ID,
                Field("name", "Name", required=True),
                Field("date", "Date", "date"),
                Field(
                    "date_precision",
                    "How much of the date is known",
                    "select",
                    enum_choices(DatePrecision),
                    hint="Month: the source gives only the month; write the 1st",
                ),
                Field("description", "Description", "textarea"),
                Field("achieved", "This milestone has already passed", "bool"),
            ),
            ("name", "date"),
        ),
    ]
}

#: Records kept inside another record, keyed by (section, field): a panel's members.
NESTED: dict[tuple[str, str], Section] = {
    ("panels", "members"): Section(
        "members",
        "Members",
        "member",
        (
            ID,
            Field("name", "Name or role", required=True, hint="Example data names no one"),
            Field("organisation", "Organisation", "select", ref="organisations"),
            Field("role", "Role", hint="For example Clinician, Manager, Partner"),
        ),
        ("name", "organisation", "role"),
    ),
}


def record_pages(section: str, item: dict[str, Any]) -> list[tuple[str, str, tuple[str, ...]]]:
    """Return the pages kept for one record beyond its form: (link text, route, route args).

    The route args follow the programme slug: a panel's members, an option's services.
    """
    pages: list[tuple[str, str, tuple[str, ...]]] = []
    for (parent, child), spec in NESTED.items():
        if parent == section:
            count = len(item.get(child, []))
            pages.append((f"{spec.title} ({count})", "nested", (section, item["id"], child)))
    if section == "options":
        configured = len(item.get("configuration") or {})
        pages.append((f"Services ({configured} placed)", "configuration", (item["id"],)))
    return pages


def choices_for(f: Field, document: dict[str, Any]) -> list[tuple[str, str]]:
    """Return a select field's choices, from the catalogue or the programme's own records."""
    if f.name == "form":
        return [(k, v.name) for k, v in forms().items()]
    if f.ref:
        return [
            (r["id"], r.get("name") or r.get("title") or r["id"]) for r in document.get(f.ref, [])
        ]
    return list(f.choices)


def read_form(section: Section, post: QueryDict, old: dict[str, Any] | None) -> dict[str, Any]:
    """Return the record a form describes, keeping fields the form does not show.

    Blank fields are left out, so optional values become "not given" rather than "".
    """
    item: dict[str, Any] = dict(old or {})
    for f in section.fields:
        raw = post.get(f.name, "")
        item.pop(f.name, None)
        if f.kind == "multi":
            chosen = [v.strip() for v in post.getlist(f.name) if v.strip()]
            if chosen:
                item[f.name] = chosen
            continue
        if f.kind == "bool":
            if raw:
                item[f.name] = True
            continue
        text = raw.strip()
        if not text:
            continue
        if f.kind == "list":
            item[f.name] = [
                line.strip() for line in text.replace(",", "\n").splitlines() if line.strip()
            ]
        else:
            item[f.name] = text
    return item


def form_values(section: Section, item: dict[str, Any]) -> dict[str, str]:
    """Return the text each field shows for an existing record."""
    values = {}
    for f in section.fields:
        value = item.get(f.name)
        if value is None:
            values[f.name] = ""
        elif f.kind in ("list", "multi"):
            values[f.name] = "\n".join(str(v) for v in value)
        elif f.kind == "bool":
            values[f.name] = "yes" if value else ""
        else:
            values[f.name] = str(value)
    return values


def posted_values(section: Section, post: QueryDict) -> dict[str, str]:
    """Return the text each field showed when the form was sent, to show it again."""
    return {
        f.name: "\n".join(post.getlist(f.name)) if f.kind == "multi" else post.get(f.name, "")
        for f in section.fields
    }


def set_weights(criteria: list[dict[str, Any]], weights: dict[str, str]) -> None:
    """Set the weight of every criterion in a framework tree from form text (blank clears)."""
    for criterion in criteria:
        if criterion["id"] in weights:
            text = weights[criterion["id"]].strip()
            if text:
                criterion["weight"] = text
            else:
                criterion.pop("weight", None)
        set_weights(criterion.get("children", []), weights)


def walk(
    criteria: list[dict[str, Any]], depth: int = 0, prefix: str = "framework.criteria"
) -> list[tuple[int, str, dict[str, Any]]]:
    """Return every criterion of a framework tree with its depth and audit path, in order."""
    out = []
    for criterion in criteria:
        path = f"{prefix}[{criterion['id']}]"
        out.append((depth, path, criterion))
        out += walk(criterion.get("children", []), depth + 1, f"{path}.children")
    return out


RISK_FIELDS = (
    ID,
    Field("title", "Risk", required=True),
    Field("category", "Category", "select", enum_choices(RiskCategory), required=True),
    Field("likelihood", "Likelihood (1 rare to 5 almost certain)", "number", required=True),
    Field("impact", "Impact (1 negligible to 5 catastrophic)", "number", required=True),
    Field("owner", "Owner (a role)", required=True, hint="Example data names no one"),
    Field("option", "Option", "select", ref="options", blank="All options"),
    Field("mitigation", "Mitigation", "textarea"),
    Field("residual_likelihood", "Likelihood after mitigation (1 to 5)", "number"),
    Field("residual_impact", "Impact after mitigation (1 to 5)", "number"),
    Field("description", "Description", "textarea"),
)

#: Lists kept inside the decision file's parts, edited with the same forms as SECTIONS.
DECISION_SECTIONS: dict[str, Section] = {
    s.key: s
    for s in [
        Section(
            "risk-register",
            "Risk register",
            "risk",
            RISK_FIELDS,
            ("title", "category", "likelihood", "impact", "owner"),
            path=("risks", "risks"),
        ),
        Section(
            "cost-assumptions",
            "Cost assumptions",
            "cost assumption",
            (
                Field(
                    "id",
                    "Id",
                    hint="Letters, digits, hyphens: finance lines name it to be scaled by it",
                    required=True,
                ),
                Field("name", "Assumption", required=True, hint="For example Pay and prices"),
                Field(
                    "low",
                    "Low factor",
                    "number",
                    required=True,
                    hint="Multiplies the lines that name this assumption: 0.98 is 2% lower",
                ),
                Field(
                    "high",
                    "High factor",
                    "number",
                    required=True,
                    hint="At least the low factor: 1.04 is 4% higher",
                ),
                Field("note", "Note", "textarea", hint="Where the range comes from"),
            ),
            ("name", "low", "high"),
            path=("finance", "assumptions"),
        ),
        Section(
            "market-reviews",
            "Market review",
            "service line review",
            (
                Field("service", "Service", "select", ref="services", required=True),
                Field(
                    "contestability",
                    "Contestability",
                    "select",
                    enum_choices(Contestability),
                    required=True,
                ),
                Field(
                    "route",
                    "Procurement route",
                    "select",
                    enum_choices(ProcurementRoute),
                    required=True,
                ),
                Field("potential_providers", "Potential providers", "list", hint="One per line"),
                Field("rationale", "Rationale", "textarea", required=True),
            ),
            ("contestability", "route", "rationale"),
            path=("market", "reviews"),
            id_field="service",
        ),
        Section(
            "workforce-options",
            "Staff consultation by option",
            "option's staff consultation",
            (
                Field("option", "Option", "select", ref="options", required=True),
                Field(
                    "staff_consultation",
                    "Staff-side consultation",
                    "select",
                    enum_choices(StaffConsultation),
                ),
                Field("consultation_note", "Note", "textarea"),
            ),
            ("staff_consultation", "consultation_note"),
            path=("workforce", "options"),
            id_field="option",
        ),
        Section(
            "turnovers",
            "Turnover of the bodies that could merge",
            "turnover",
            (
                Field("organisation", "Organisation", "select", ref="organisations", required=True),
                Field("turnover_gbp", "Annual turnover (£)", "number", required=True),
                Field("year", "Year", hint="For example 2009/10"),
                Field("source", "Source", "textarea"),
            ),
            ("turnover_gbp", "year", "source"),
            path=("competition", "turnovers"),
            id_field="organisation",
        ),
        Section(
            "referrals",
            "Who each service refers patients to",
            "referral route",
            (
                Field("service", "Service", "select", ref="services", required=True),
                Field(
                    "refers_to",
                    "Refers patients to",
                    "multi",
                    ref="organisations",
                    required=True,
                    hint="The organisations this service's staff refer patients to: the vertical"
                    " integration check flags options that put the service under one of them",
                ),
            ),
            ("refers_to",),
            path=("competition", "referrals"),
            id_field="service",
        ),
    ]
}


def section_spec(key: str) -> Section | None:
    """Return the editable list named ``key``: a programme section or a decision-file list."""
    return SECTIONS.get(key) or DECISION_SECTIONS.get(key)
