"""The example programmes agree with their source documents (issue 12, "The examples").

Each test holds one fact, with the source's own words quoted beside it (short quotes), and
checks it against the example as the project's loaders read it. The sources are the seed
documents the examples were built from; the quotes are kept here so the repository stands
alone.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from caseforchange.appraisal.run import appraise
from caseforchange.catalogue.forms import forms
from caseforchange.domain.consultation import Engagement, Role
from caseforchange.domain.engagement import DatePrecision
from caseforchange.domain.programme import Programme
from caseforchange.examples import EXAMPLE_IDS, example_path
from caseforchange.io.engagement_file import load_engagement
from caseforchange.io.flow_file import load_flow_model
from caseforchange.io.folder import load_programme
from caseforchange.reports.blocks import Table
from caseforchange.reports.build import case_section
from caseforchange.reports.programme_sections import timetable

#: The Co-operation and Competition Panel's start (news digest, seed 003): the panel "started
#: work in January 2009", so no decision before then could face its merger test.
CCP_START = dt.date(2009, 1, 1)


def _programme(example_id: str) -> Programme:
    return load_programme(example_path(example_id)).programme


def _engagement(example_id: str) -> Engagement:
    return load_engagement(example_path(example_id)).engagement


# --- Hertfordshire (seed 001) -------------------------------------------------------------


def test_hertfordshire_16_september_is_for_outline_proposals_not_who_provides() -> None:
    """ "submit a briefing paper ... outlining progress to date and provider service outline
    proposals for the preferred options by 16th September 2007"; then "SHA approval will be
    given for the preferred provider model" only after robust proposals and consultation."""
    p = _programme("hertfordshire-2007")
    assert p.decision_date == dt.date(2007, 9, 16)
    assert p.decision is not None and "outline proposals" in p.decision
    paragraph = case_section(p).blocks[0]
    text = getattr(paragraph, "text", "")
    assert "outline proposals" in text and "16 September 2007" in text
    assert "who should provide" not in text
    later = [m.name for m in p.milestones if m.date is None]
    assert any("approval" in name for name in later), "the SHA approves the model later"


def test_hertfordshire_decision_predates_the_competition_panel() -> None:
    """Seed 003: the Co-operation and Competition Panel "started work in January 2009"; the
    Hertfordshire decision is "by 16th September 2007", so no panel test can apply to it."""
    p = _programme("hertfordshire-2007")
    assert p.decision_date is not None and p.decision_date < CCP_START
    text = (p.provenance.note or "") + " ".join(
        f"{c.name} {c.description or ''}" for c in p.framework.walk()
    )
    assert "Competition Panel" not in text and "£35m" not in text


def test_hertfordshire_private_sector_is_appraised_not_screened_out() -> None:
    """ "Private Sector: Private enterprise not linked to the NHS and able to make a profit" is
    one of "the following possible options"; the source gives the SHA's filter no test."""
    p = _programme("hertfordshire-2007")
    assert "private-sector" in {o.id for o in p.options}
    assert not [c for c in p.framework.walk() if c.hurdle]
    result = appraise(p, samples=200, seed=1)
    assert "private-sector" in result.screening.short_list
    leaves = [c.id for c in p.framework.walk() if not c.children]
    scored = {(s.criterion, s.panel) for s in p.scores if s.option == "private-sector"}
    assert scored == {(c, panel.id) for c in leaves for panel in p.panels}


def test_hertfordshire_care_trust_is_a_partnership_with_adult_care() -> None:
    """ "Care Trust: ... more likely to focus on an adult focused client group, working as a
    partnership organisation with Adult Care services." It is not the county council, and the
    source does not put it inside the NHS."""
    p = _programme("hertfordshire-2007")
    care = next(o for o in p.options if o.id == "care-trust")
    assert care.provider != "herts-cc"
    provider = next(o for o in p.organisations if o.id == care.provider)
    assert "partnership" in provider.name and "adult care" in provider.name
    assert care.description is not None and "NHS body" not in care.description
    assert "partnership" in care.description
    assert forms()["care-trust"].inside_nhs.value == "partly"


def test_hertfordshire_children_trust_is_a_partnership_with_the_council() -> None:
    """ "More feasibly this would be a partnership arrangement with the local authority
    provider, Children's Schools and Families arm of Hertfordshire County Council." """
    p = _programme("hertfordshire-2007")
    trust = next(o for o in p.options if o.id == "childrens-trust")
    provider = next(o for o in p.organisations if o.id == trust.provider)
    assert "partnership" in provider.name and "Children, Schools and Families" in provider.name


def test_hertfordshire_foundation_trust_capacity_keeps_its_range() -> None:
    """scores.csv: the Boards' capacity score for the foundation trust is a triangular 5-7-8,
    once lost into the rationale as "('t', 5, 7, 8)"."""
    p = _programme("hertfordshire-2007")
    [score] = [
        s
        for s in p.scores
        if (s.option, s.criterion, s.panel) == ("community-ft", "capacity", "boards")
    ]
    assert (score.low, score.value, score.high) == (5, 7, 8)
    assert score.distribution is not None and score.distribution.value == "triangular"
    assert score.rationale is not None and not score.rationale.startswith("(")


def test_hertfordshire_month_only_dates_keep_their_month() -> None:
    """ "The PCTs Boards held an away session in June"; "An open event will take place in
    early September"."""
    p = _programme("hertfordshire-2007")
    activities = {a.id: a for a in p.activities}
    away = activities["boards-away-session"]
    assert (away.date, away.date_precision) == (dt.date(2007, 6, 1), DatePrecision.MONTH)
    event = activities["open-event"]
    assert (event.date, event.date_precision) == (dt.date(2007, 9, 1), DatePrecision.MONTH)


# --- Shropshire and Telford (seed 000) ----------------------------------------------------


def test_shropshire_community_nhs_trust_was_not_available() -> None:
    """ "(At this stage, Community NHS Trust was not a nationally available option)." """
    p = _programme("shropshire-telford-2010")
    hurdle = next(c.id for c in p.framework.walk() if c.hurdle)
    [score] = [s for s in p.scores if s.option == "community-nhs-trust" and s.criterion == hurdle]
    assert score.value == 0
    assert score.rationale is not None and "not a nationally available option" in score.rationale
    option = next(o for o in p.options if o.id == "community-nhs-trust")
    assert not option.do_minimum
    assert option.description is not None and "not a nationally" in option.description


def test_shropshire_patients_evenly_balanced_between_social_enterprise_and_acute() -> None:
    """ "Patients were more evenly balanced in favour of either the social enterprise option or
    integration of both PCTs' provider services with Shrewsbury and Telford Hospital NHS
    Trust." The patient panel's totals for the two are within 0.05 of each other (0-1 scale),
    both above the undescribed Bidder C's mid-scale 0.5, and its members split two and two."""
    p = _programme("shropshire-telford-2010")
    result = appraise(p, samples=200, seed=1)
    panel = next(r for r in result.panels if r.panel == "patients")
    se, acute = panel.totals["bidder-a-social-enterprise"], panel.totals["bidder-b-sath"]
    assert se is not None and acute is not None
    assert abs(se - acute) < 0.05
    assert min(se, acute) > (panel.totals["bidder-c"] or 0.0)

    # Each member's own weighted total, from the values the model computes.
    weights = {c.id: c for c in p.framework.walk()}
    leaf = {
        "innovation-quality": 0.45 * 0.4,
        "joined-up": 0.45 * 0.35,
        "change-management": 0.45 * 0.25,
        "nhs-membership": 0.35 * 0.5,
        "pensions": 0.35 * 0.5,
        "local-with-gps": 0.2,
    }
    assert set(leaf) <= set(weights)
    prefers: Counter[str] = Counter()
    for member in ("link-telford", "ppg-telford", "link-shropshire", "ppg-shropshire"):
        totals = {}
        for option in ("bidder-a-social-enterprise", "bidder-b-sath"):
            totals[option] = sum(
                leaf[s.criterion] * ((s.value or 0) - 1) / 4
                for s in p.scores
                if s.option == option and s.member == member and s.criterion in leaf
            )
        prefers[max(totals, key=lambda o: totals[o])] += 1
    assert prefers == Counter({"bidder-a-social-enterprise": 2, "bidder-b-sath": 2})


def test_shropshire_ballot_offers_only_routes_that_existed() -> None:
    """ "three of the four interested organisations were invited to ... continue"; the staff
    ballot came in that second stage, before "the new option of Staff Membership Community
    Foundation Trusts was made available by the new Coalition Government"."""
    engagement = _engagement("shropshire-telford-2010")
    [ballot] = engagement.ballots
    options = {c.option for c in ballot.choices}
    assert options == {"bidder-a-social-enterprise", "bidder-b-sath", "bidder-c"}
    assert "community-ft" not in options and "community-nhs-trust" not in options
    links = next(r for r in ballot.results if r.group == "links").counts
    assert abs(links["social-enterprise"] - links["acute-integration"]) <= 1  # evenly balanced
    assert ballot.illustrative and ballot.note


def test_shropshire_staff_concern_about_social_enterprise_greater_in_shropshire() -> None:
    """ "These concerns were shared by a larger number of Shropshire County employees than NHS
    Telford and Wrekin employees." """
    [ballot] = _engagement("shropshire-telford-2010").ballots
    share = {
        r.group: r.counts["social-enterprise"] / sum(r.counts.values()) for r in ballot.results
    }
    assert share["staff-shropshire"] < share["staff-telford"]


def test_shropshire_2010_events_already_passed_are_not_next_steps() -> None:
    """ "In early spring 2010, four organisations ... presented"; the foundation trust route
    "was made available by the new Coalition Government" (2010). Both had happened when the
    paper was written, so neither is a next step."""
    p = _programme("shropshire-telford-2010")
    done = {m.id for m in p.milestones if m.achieved}
    assert {"shortlist", "cft-route-offered"} <= done
    tables = {t.caption: t for t in timetable(p).blocks if isinstance(t, Table)}
    done = " ".join(str(r[1]) for r in tables["Done (recorded as achieved)"].rows)
    assert "invited to continue" in done and "becomes available" in done
    steps = " ".join(str(r[1]) for r in tables["Not recorded as achieved"].rows)
    assert "invited to continue" not in steps and "becomes available" not in steps
    assert "Launch of the written consultation" in steps


def test_shropshire_you_said_we_did_is_recorded() -> None:
    """ "Some staff expressed concerns about the social enterprise option ... outside the NHS
    and raised questions about pensions"; "The views expressed, especially by staff,
    influenced the direction taken" to a staff-membership foundation trust, "overcoming staff
    concerns by being part of the NHS"."""
    engagement = _engagement("shropshire-telford-2010")
    [record] = engagement.you_said_we_did
    assert record.issue is None and record.said is not None
    assert "outside the NHS" in record.said and "pensions" in record.said
    assert record.option == "community-ft" and record.activity == "staff-focus-groups"
    assert "part of the NHS" in record.response


# --- Leicester (seed 002) -----------------------------------------------------------------


def test_leicester_variation_moves_all_therapists_and_specialist_health_visitors() -> None:
    """ "all therapists and Specialist Health Visitors should be integrated together alongside
    the Paediatric Medical and Nursing Teams"."""
    p = _programme("leicester-children-2010")
    variation = next(o for o in p.options if o.id == "split-therapists-with-paediatrics")
    assert variation.configuration is not None
    moved = {
        "physiotherapy",
        "speech-language-therapy",
        "occupational-therapy",
        "specialist-health-visitors",
        "paediatric-medical-team",
        "diana-team",
    }
    assert {variation.configuration[s] for s in moved} == {"uhl"}
    proposal = next(o for o in p.options if o.id == "proposed-split")
    assert proposal.configuration is not None
    assert proposal.configuration["specialist-health-visitors"] == "community-partnership-trust"
    together = next(d for d in p.dependencies if d.id == "paediatrics-nurses-therapists")
    assert moved <= set(together.services)


def test_leicester_paper_updates_the_children_and_young_peoples_executive() -> None:
    """ "The aim of this paper is to update the Children and Young Peoples Executive on the
    outputs from the children's stakeholder event." """
    p = _programme("leicester-children-2010")
    assert p.decision_body == "the Children and Young People's Executive"
    text = getattr(case_section(p).blocks[0], "text", "")
    assert "Children and Young People's Executive" in text and "the Board" not in text


def test_leicester_camhs_is_present() -> None:
    """ "By creating a major NHS provider of children's health services, including CAMHS"."""
    p = _programme("leicester-children-2010")
    assert any("CAMHS" in c for c in p.characteristics)
    trust = next(o for o in p.organisations if o.id == "community-partnership-trust")
    assert trust.notes is not None and "CAMHS" in trust.notes


def test_leicester_all_seven_whole_systems_fit_advantages() -> None:
    """Appendix Three lists seven under "Whole Systems Fit", the last "Ensures the
    sustainability of services"."""
    [workshop] = _engagement("leicester-children-2010").workshops
    fit = [
        o.text
        for o in workshop.outputs
        if o.category == "whole-systems-fit" and o.kind.value == "advantage"
    ]
    assert len(fit) == 7
    assert any("sustainable" in t for t in fit)


def test_leicester_facilitators_and_scribes_agree_between_files() -> None:
    """ "Each of the tables had an appointed facilitator and a scribe"; on the seating plan
    table three holds one NHS Leicester City attendee and one consultant, so the two cannot
    both be from NHS Leicester City."""
    p = _programme("leicester-children-2010")
    [workshop] = _engagement("leicester-children-2010").workshops
    for table in workshop.tables:
        roles = Counter(x.role for x in workshop.participants if x.table == table)
        assert roles[Role.FACILITATOR] == 1 and roles[Role.SCRIBE] == 1, table
    event = next(a for a in p.activities if a.id == "stakeholder-workshop")
    assert event.notes is not None
    assert "facilitator and" in event.notes and "from NHS Leicester City" not in event.notes
    assert event.capacity == len(workshop.participants) == 42


# --- Plymouth (seed 004) ------------------------------------------------------------------


def test_plymouth_board_decides_in_october_2010_on_the_ibps() -> None:
    """ "A final decision will be made by NHS Plymouth Board through appraisal of the
    Integrated Business Plan(s) in October using the assurance tests published by DH in
    February 2010." """
    p = _programme("plymouth-2010")
    assert (p.decision_date, p.decision_date_precision) == (
        dt.date(2010, 10, 1),
        DatePrecision.MONTH,
    )
    assert p.decision is not None
    assert "Integrated Business Plan" in p.decision and "February 2010" in p.decision
    text = getattr(case_section(p).blocks[0], "text", "")
    assert "in October 2010" in text and "NHS Plymouth Board" in text
    board = next(m for m in p.milestones if m.id == "board-decision")
    assert (board.date, board.date_precision) == (dt.date(2010, 10, 1), DatePrecision.MONTH)


def test_plymouth_system_control_is_new_and_builds_on_sentinel() -> None:
    """ "the proposed model builds upon the elective work of Sentinel CIC and expands this
    model to cover the whole health system ... as a 'System Control' function"."""
    p = _programme("plymouth-2010")
    control = next(s for s in p.services if s.id == "system-control")
    assert control.current_provider is None
    assert control.budget_gbp is None and control.staff_wte is None
    assert control.description is not None
    assert "new function" in control.description and "Sentinel CIC" in control.description


def test_plymouth_qipp_rationale_is_present() -> None:
    """ "if it is to achieve the ambitious challenges set out in its QIPP plan then this will
    require a 'transformation' of community services rather than simply a 'transfer'"."""
    p = _programme("plymouth-2010")
    assert "QIPP" in p.scope and "transformation" in p.scope and "transfer" in p.scope


def test_plymouth_acute_trust_is_unnamed_everywhere() -> None:
    """Seed 004 names no acute trust ("secondary health care" partners only), so neither the
    programme nor the patient-flow model names one."""
    p = _programme("plymouth-2010")
    acute = next(o for o in p.organisations if o.kind.value == "acute_trust")
    assert "not named in the source" in acute.name
    model = load_flow_model(example_path("plymouth-2010") / "flow.yaml")
    sources = " ".join(a.source for a in model.arrivals)
    assert "Derriford" not in sources
    assert "not named in the source" in sources


# --- All four ------------------------------------------------------------------------------


@pytest.mark.parametrize("example_id", EXAMPLE_IDS)
def test_no_rationale_is_a_stray_python_value(example_id: str) -> None:
    """A rationale is a sentence; a tuple such as "('t', 5, 7, 8)" is a lost score range."""
    p = _programme(example_id)
    stray = [s for s in p.scores if s.rationale and s.rationale.lstrip().startswith(("(", "["))]
    assert not stray
