"""Update letters: who gets one at a milestone, and what each letter needs to say."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from caseforchange.domain.engagement import (
    Activity,
    ActivityKind,
    Milestone,
    StakeholderGroup,
    when_given,
)
from caseforchange.domain.problems import InvalidInput, Problem
from caseforchange.domain.programme import Programme


@dataclass(frozen=True)
class LetterContext:
    """Everything a letter template may use, for one stakeholder group at one milestone."""

    programme_title: str
    commissioner: str
    milestone: Milestone
    group: StakeholderGroup
    letter: Activity | None
    next_steps: list[Activity] = field(default_factory=list)
    previous_steps: list[Activity] = field(default_factory=list)
    illustrative_note: str | None = None
    #: What is proposed (the decision's scope) and why (the care system the commissioner wants).
    proposal: str = ""
    reasons: list[str] = field(default_factory=list)
    #: The written consultation open to the group from the milestone on: how and by when.
    consultation: Activity | None = None
    #: Drop-in sessions from the milestone on, or not yet dated (dates, times and venues).
    drop_ins: list[Activity] = field(default_factory=list)
    contact: str = ""
    #: The programme's milestones after this one, as (when, name), the time at the source's
    #: precision; a scrutiny body's letter lists them as next steps.
    later_milestones: list[tuple[str, str]] = field(default_factory=list)
    scrutiny: bool = False

    def as_dict(self) -> dict[str, object]:
        """Return the context as template variables."""
        return {
            "programme_title": self.programme_title,
            "commissioner": self.commissioner,
            "milestone": self.milestone,
            "group": self.group,
            "letter": self.letter,
            "next_steps": self.next_steps,
            "previous_steps": self.previous_steps,
            "illustrative_note": self.illustrative_note,
            "proposal": self.proposal,
            "reasons": self.reasons,
            "consultation": self.consultation,
            "drop_ins": self.drop_ins,
            "contact": self.contact,
            "later_milestones": self.later_milestones,
            "scrutiny": self.scrutiny,
        }


def letter_contexts(programme: Programme, milestone_id: str) -> list[LetterContext]:
    """Return one letter context per stakeholder group due a letter at ``milestone_id``.

    The recipients are the audience of the milestone's update letter; with no such letter
    planned, every stakeholder group. Each letter lists the dated activities open to the group
    after the milestone (its next steps) and those before it.

    Raises:
        InvalidInput: when the milestone is unknown.
    """
    milestone = next((m for m in programme.milestones if m.id == milestone_id), None)
    if milestone is None:
        known = ", ".join(m.id for m in programme.milestones) or "none defined"
        raise InvalidInput(
            [Problem(("milestones",), f"unknown milestone '{milestone_id}' (known: {known})")]
        )
    letter = next(
        (
            a
            for a in programme.activities
            if a.kind is ActivityKind.UPDATE_LETTER and a.milestone == milestone_id
        ),
        None,
    )
    by_id = {g.id: g for g in programme.stakeholders}
    if letter is not None and letter.audience:
        groups = [by_id[g] for g in letter.audience if g in by_id]
    else:
        groups = list(programme.stakeholders)
    commissioner = next(
        (o.name for o in programme.organisations if o.id == programme.commissioner),
        programme.commissioner,
    )
    when = milestone.date or (letter.date if letter else None)
    note = programme.provenance.note if programme.provenance.illustrative else None
    position = programme.milestones.index(milestone)
    later = [(when_given(m)[0], m.name) for m in programme.milestones[position + 1 :]]
    # Public drop-ins go in every letter, so recipients can pass them on; undated ones too.
    drop_ins = [
        a
        for a in programme.activities
        if a.kind is ActivityKind.DROP_IN and (when is None or a.date is None or a.date >= when)
    ]
    contexts = []
    for group in groups:
        mine = [
            a
            for a in programme.activities
            if a.kind is not ActivityKind.UPDATE_LETTER
            and a.date is not None
            and (not a.audience or group.id in a.audience)
        ]
        mine.sort(key=lambda a: (a.date or dt.date.min, a.start_time or dt.time.min))
        after = [a for a in mine if when is None or (a.end_date or a.date or when) >= when]
        before = [a for a in mine if a not in after]
        contexts.append(
            LetterContext(
                programme.title,
                commissioner,
                milestone,
                group,
                letter,
                after,
                before,
                note,
                proposal=programme.scope,
                reasons=list(programme.characteristics),
                consultation=next(
                    (a for a in after if a.kind is ActivityKind.WRITTEN_CONSULTATION), None
                ),
                drop_ins=drop_ins,
                contact=programme.board.author or f"the programme team at {commissioner}",
                later_milestones=later,
                scrutiny=group.kind == "scrutiny",
            )
        )
    return contexts
