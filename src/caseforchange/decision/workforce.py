"""Workforce roll-ups: staff moving by option, and TUPE and pension access for each move."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from caseforchange.domain.organisations import OrganisationalForm, Tristate
from caseforchange.domain.programme import Programme
from caseforchange.domain.reference import TupeRule
from caseforchange.domain.workforce import OptionWorkforce, StaffMove


@dataclass(frozen=True)
class Derived:
    """A yes/no/uncertain property of a staff move and where it came from."""

    value: Tristate
    basis: str


@dataclass(frozen=True)
class MoveView:
    """One staff move with its TUPE and NHS Pension Scheme access derived or overridden."""

    move: StaffMove
    transfer: bool
    tupe: Derived
    nhs_pension: Derived


@dataclass
class OptionStaff:
    """An option's staff moves, totals and where consultation with staff stands."""

    option: str
    moves: list[MoveView]
    wte: float
    headcount: int
    wte_by_destination: dict[str, float] = field(default_factory=dict)
    headcount_transferring: int = 0
    pension_at_risk: int = 0
    staff_consultation: str = "not_started"


def derive_move(
    move: StaffMove,
    current_provider: str | None,
    form: OrganisationalForm | None,
    tupe_rules: Mapping[str, TupeRule],
    option_provider: str | None = None,
) -> MoveView:
    """Return the move with TUPE and pension access derived from the option's form.

    Staff change employer when they move to another organisation, or when their own provider
    is the option's provider and takes a new form (a provider arm becoming a social
    enterprise is a new legal employer). Staff who stay with an unchanged provider do not
    transfer: TUPE does not apply and their pension is unchanged. Otherwise the form's TUPE
    rule applies (a change of employer means TUPE by default) and the form's NHS pension
    property gives pension access. A value given on the move overrides, with its reason.
    """
    reformed = move.destination == option_provider and form is not None and form.id != "in-house"
    transfer = move.destination != current_provider or reformed
    if move.tupe is not None:
        tupe = Derived(move.tupe, f"overridden: {move.tupe_reason}")
    elif not transfer:
        tupe = Derived(Tristate.NO, "no change of employer")
    elif form is not None and form.id in tupe_rules:
        rule = tupe_rules[form.id]
        tupe = Derived(rule.tupe, f"{form.name}: {rule.note}")
    else:
        tupe = Derived(Tristate.YES, "change of employer (TUPE Regulations 2006)")
    if move.nhs_pension is not None:
        pension = Derived(move.nhs_pension, f"overridden: {move.pension_reason}")
    elif not transfer:
        pension = Derived(Tristate.YES, "staff stay with their current NHS employer")
    elif form is not None:
        note = f"; {form.pension_note}" if form.pension_note else ""
        pension = Derived(form.nhs_pension, f"{form.name}{note}")
    else:
        pension = Derived(Tristate.UNCERTAIN, "organisational form unknown")
    return MoveView(move, transfer, tupe, pension)


def option_staff(
    programme: Programme,
    entry: OptionWorkforce,
    forms: Mapping[str, OrganisationalForm],
    tupe_rules: Mapping[str, TupeRule],
) -> OptionStaff:
    """Return one option's staff moves with derived TUPE and pensions, and their totals."""
    current = {s.id: s.current_provider for s in programme.services}
    option = next((o for o in programme.options if o.id == entry.option), None)
    form = forms.get(option.form) if option is not None else None
    provider = option.provider if option is not None else None
    views = [
        derive_move(m, current.get(m.service), form, tupe_rules, provider) for m in entry.moves
    ]
    by_destination: dict[str, float] = {}
    for view in views:
        key = view.move.destination
        by_destination[key] = by_destination.get(key, 0.0) + view.move.wte
    return OptionStaff(
        entry.option,
        views,
        sum(v.move.wte for v in views),
        sum(v.move.headcount for v in views),
        by_destination,
        sum(v.move.headcount for v in views if v.transfer),
        sum(v.move.headcount for v in views if v.nhs_pension.value is not Tristate.YES),
        entry.staff_consultation.value,
    )


def workforce_summary(
    programme: Programme,
    forms: Mapping[str, OrganisationalForm],
    tupe_rules: Mapping[str, TupeRule],
) -> list[OptionStaff]:
    """Return every option's staff roll-up, in file order (empty without workforce data)."""
    if programme.workforce is None:
        return []
    return [option_staff(programme, e, forms, tupe_rules) for e in programme.workforce.options]
