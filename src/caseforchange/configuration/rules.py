"""Check an option's configuration (service -> destinations) against the dependency rules."""

from __future__ import annotations

from dataclasses import dataclass

from caseforchange.domain.options import Option
from caseforchange.domain.programme import Programme
from caseforchange.domain.services import DependencyKind, DependencyRule


@dataclass(frozen=True)
class RuleBreach:
    """A dependency rule that an option's configuration breaks, and how."""

    option: str
    rule: str
    kind: DependencyKind
    hard: bool
    detail: str
    reason: str


def destinations(option: Option, service: str) -> tuple[str, ...]:
    """Return where ``option`` sends ``service``: its configuration, else its provider."""
    if option.configuration and service in option.configuration:
        target = option.configuration[service]
        return (target,) if isinstance(target, str) else tuple(target)
    return (option.provider,) if option.provider else ()


def _breach(option: Option, rule: DependencyRule, names: dict[str, str]) -> str | None:
    placed = {s: destinations(option, s) for s in rule.services}
    if rule.kind is DependencyKind.DO_NOT_SPLIT:
        split = [names.get(s, s) for s, where in placed.items() if len(set(where)) > 1]
        return f"divides {', '.join(split)} between providers" if split else None
    targets = {where for where in placed.values() if where}
    if len(targets) > 1:
        split_across = sorted({names.get(d, d) for where in targets for d in where})
        return f"sends these services to different destinations ({', '.join(split_across)})"
    return None


def check_configuration(programme: Programme, option: Option) -> list[RuleBreach]:
    """Return the dependency rules that ``option`` breaks (empty when it keeps them all).

    ``keep_together`` and ``do_not_split`` breaches are hard; ``prefer_same_destination`` is soft.
    """
    # Destinations are organisations (or destination ids): show their names, not their codes.
    names = {o.id: o.short_name or o.name for o in programme.organisations}
    names.update({s.id: s.name for s in programme.services})
    breaches: list[RuleBreach] = []
    for rule in programme.dependencies:
        detail = _breach(option, rule, names)
        if detail is not None:
            hard = rule.kind is not DependencyKind.PREFER_SAME_DESTINATION
            breaches.append(RuleBreach(option.id, rule.id, rule.kind, hard, detail, rule.reason))
    return breaches


def check_all(programme: Programme) -> dict[str, list[RuleBreach]]:
    """Return each option's rule breaches, keyed by option id, in option order."""
    return {o.id: check_configuration(programme, o) for o in programme.options}
