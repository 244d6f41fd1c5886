"""Competition checks by date and turnover: the panel's merger test and vertical integration.

The Co-operation and Competition Panel started work in January 2009 (seed 003); its merger
review looked at the combined turnover of the bodies that would merge, with a £35m threshold
for community service providers. Both rules come from ``catalogue/competition.json``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from caseforchange.domain.options import Option
from caseforchange.domain.programme import Programme
from caseforchange.domain.reference import CompetitionRules

#: The form whose very purpose is vertical integration of community and acute services.
VERTICAL_FORM = "integrated-community-acute-trust"


class MergerStatus(StrEnum):
    """What the merger test says about one option."""

    NOT_IN_FORCE = "not_in_force"
    REVIEW_REQUIRED = "review_required"
    BELOW_THRESHOLD = "below_threshold"
    NO_MERGER = "no_merger"
    TURNOVER_UNKNOWN = "turnover_unknown"
    DATE_UNKNOWN = "date_unknown"


@dataclass(frozen=True)
class Combination:
    """What one destination would gather: services from their current providers.

    ``bodies`` are the existing organisations that would combine: every current provider
    sending services, and the destination itself unless it is a new body (turnover 0).
    ``turnover_gbp`` is their combined turnover, None when one is not recorded.
    """

    destination: str
    sources: tuple[str, ...]
    services: tuple[str, ...]
    bodies: tuple[str, ...]
    turnover_gbp: float | None

    @property
    def merges(self) -> bool:
        """True when two or more existing bodies would combine."""
        return len(self.bodies) >= 2


@dataclass
class MergerCheck:
    """The merger test for one option, with the reason in words."""

    option: str
    status: MergerStatus
    reason: str
    combinations: list[Combination] = field(default_factory=list)


@dataclass(frozen=True)
class VerticalFlag:
    """An option that puts services under a body they refer patients to (or may)."""

    option: str
    destination: str
    services: tuple[str, ...]
    certain: bool
    reason: str
    question: str
    in_force: bool | None = None


def destinations(programme: Programme, option: Option) -> dict[str, list[str]]:
    """Return each service's destination organisations under ``option``.

    A configuration names them; otherwise every service goes to the option's provider (or
    stays with its current provider when the option names none).
    """
    out: dict[str, list[str]] = {}
    for service in programme.services:
        dest = (option.configuration or {}).get(service.id)
        if dest is None:
            dest = option.provider or service.current_provider
        if dest is None:
            # A new function (no current provider) that the option does not place goes nowhere.
            out[service.id] = []
            continue
        out[service.id] = [dest] if isinstance(dest, str) else list(dest)
    return out


def turnovers(programme: Programme) -> dict[str, float | None]:
    """Return each organisation's turnover: the competition record, else its own field."""
    out = {o.id: o.turnover_gbp for o in programme.organisations}
    if programme.competition is not None:
        out |= {t.organisation: t.turnover_gbp for t in programme.competition.turnovers}
    return out


def decision_day(programme: Programme) -> tuple[dt.date | None, str]:
    """Return the date the tests are applied on, and what that date is.

    It is the decision date, else the end of the timetable.
    """
    if programme.decision_date is not None:
        return programme.decision_date, "the decision"
    return programme.timetable.end, "the end of the timetable"


def combinations(programme: Programme, option: Option) -> list[Combination]:
    """Return, per destination, the services that would move to it and the bodies combining."""
    turnover = turnovers(programme)
    current = {s.id: s.current_provider for s in programme.services}
    moving: dict[str, list[str]] = {}
    for sid, dests in destinations(programme, option).items():
        for dest in dests:
            if dest != current[sid]:
                moving.setdefault(dest, []).append(sid)
    out = []
    for dest, sids in moving.items():
        # A new function has no current provider: nothing merges in from it.
        sources = tuple(dict.fromkeys(p for s in sids if (p := current[s]) is not None))
        bodies = sources + (() if turnover.get(dest) == 0.0 else (dest,))
        amounts = [turnover.get(b) for b in bodies]
        combined = None if any(a is None for a in amounts) else sum(a or 0.0 for a in amounts)
        out.append(Combination(dest, sources, tuple(sids), bodies, combined))
    return out


def merger_check(
    programme: Programme, option: Option, rules: CompetitionRules, when: dt.date | None = None
) -> MergerCheck:
    """Return the merger test for ``option`` on the decision date.

    ``when`` overrides the decision date; without either, the end of the timetable is used.
    Before the rule applied the test is not in force. Bodies merge when services of two or more
    existing organisations end up in one (a destination with turnover 0 is a new body and adds
    none of its own); above the threshold a review is required.
    """
    rule = rules.merger
    date, what = (when, "the decision") if when else decision_day(programme)
    found = combinations(programme, option)
    threshold = f"£{rule.threshold_gbp / 1e6:,.0f}m"
    if date is not None and date < rule.applies_from:
        return MergerCheck(
            option.id,
            MergerStatus.NOT_IN_FORCE,
            f"{what} ({date:%d %B %Y}) comes before the {rule.name} applied"
            f" ({rule.applies_from:%B %Y}), so no merger review applies",
            found,
        )
    turnover = turnovers(programme)
    label = {o.id: o.short_name or o.name for o in programme.organisations}
    merging = [c for c in found if c.merges]
    if not merging:
        why = (
            "no services change provider"
            if not found
            else "the services of one body go to a new body, so no two existing bodies combine"
        )
        return MergerCheck(option.id, MergerStatus.NO_MERGER, why, found)
    unknown = [c for c in merging if c.turnover_gbp is None]
    known = [c for c in merging if c.turnover_gbp is not None]
    missing = ", ".join(
        sorted({label.get(b, b) for c in unknown for b in c.bodies if turnover.get(b) is None})
    )
    over = [c for c in known if (c.turnover_gbp or 0.0) > rule.threshold_gbp]
    if unknown and not over:
        return MergerCheck(
            option.id,
            MergerStatus.TURNOVER_UNKNOWN,
            f"record the annual turnover of {missing} to apply the {threshold} test",
            found,
        )
    biggest = max(known, key=lambda c: c.turnover_gbp or 0.0)
    combined = biggest.turnover_gbp or 0.0
    bodies = " and ".join(label.get(b, b) for b in biggest.bodies)
    text = f"£{combined / 1e6:,.1f}m combined turnover of {bodies}"
    tail = f"; the turnover of {missing} is not recorded" if unknown else ""
    if date is None:
        return MergerCheck(
            option.id,
            MergerStatus.DATE_UNKNOWN,
            f"{text}{tail}; set the decision date to tell whether the panel's test applies",
            found,
        )
    if combined > rule.threshold_gbp:
        return MergerCheck(
            option.id,
            MergerStatus.REVIEW_REQUIRED,
            f"{text} is above the {threshold} threshold for community service providers{tail}",
            found,
        )
    return MergerCheck(
        option.id,
        MergerStatus.BELOW_THRESHOLD,
        f"{text} is not above the {threshold} threshold",
        found,
    )


def vertical_flags(programme: Programme, rules: CompetitionRules) -> list[VerticalFlag]:
    """Return options under which a body would run services that refer patients to it.

    A recorded referral makes the flag certain; an option of the vertical-integration form
    with no referral recorded for its moving services gets an uncertain flag asking for them.
    """
    referrals = programme.competition.referrals if programme.competition else []
    refers = {r.service: set(r.refers_to) for r in referrals}
    current = {s.id: s.current_provider for s in programme.services}
    org = {o.id: o.short_name or o.name for o in programme.organisations}
    svc = {s.id: s.name for s in programme.services}

    def listed(sids: list[str]) -> str:
        return ", ".join(svc.get(s, s) for s in sids)

    rule = rules.vertical_integration
    question = rule.question or rule.summary
    date, _ = decision_day(programme)
    in_force = None if date is None or rule.applies_from is None else date >= rule.applies_from
    if in_force is False:
        question = (
            f"Context only: the panel began work in {rule.applies_from:%B %Y}, after this "
            f"decision. {question}"
        )
    flags: list[VerticalFlag] = []
    for option in programme.options:
        by_dest: dict[str, list[str]] = {}
        moving: dict[str, list[str]] = {}
        for sid, dests in destinations(programme, option).items():
            for dest in dests:
                if dest == current[sid]:
                    continue
                moving.setdefault(dest, []).append(sid)
                if dest in refers.get(sid, set()):
                    by_dest.setdefault(dest, []).append(sid)
        for dest, sids in by_dest.items():
            flags.append(
                VerticalFlag(
                    option.id,
                    dest,
                    tuple(sids),
                    True,
                    f"{listed(sids)} would be run by {org.get(dest, dest)}, which receives"
                    " their referrals",
                    question,
                    in_force,
                )
            )
        if not by_dest and option.form == VERTICAL_FORM:
            for dest, sids in moving.items():
                if not any(s in refers for s in sids):
                    flags.append(
                        VerticalFlag(
                            option.id,
                            dest,
                            tuple(sids),
                            False,
                            "a vertically integrated option with no referrals recorded for"
                            f" {listed(sids)}: record where they refer patients",
                            question,
                            in_force,
                        )
                    )
    return flags
