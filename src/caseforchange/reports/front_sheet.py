"""The Board paper's front sheet: what the Board is asked to do, and why, on one or two pages."""

from __future__ import annotations

from dataclasses import dataclass

from caseforchange.appraisal.result import AppraisalResult
from caseforchange.configuration.rules import check_all
from caseforchange.domain.consultation import Engagement
from caseforchange.domain.programme import Programme
from caseforchange.reports.appraisal_sections import Names, robustness_sentence, top_group
from caseforchange.reports.blocks import Block, Bullets, Paragraph, Section, total_text
from caseforchange.reports.decision_sections import front_sheet_flags

#: How many criteria the reasons name at most.
MAX_REASONS = 3


@dataclass(frozen=True)
class Reasons:
    """Why the first option beats the second: the gap and the criteria that make it."""

    first: str
    second: str
    gap: float
    #: (criterion id, contribution of first minus second), largest first.
    for_first: list[tuple[str, float]]
    #: Criteria on which the second does better, largest first.
    for_second: list[tuple[str, float]]


def reasons(result: AppraisalResult) -> Reasons | None:
    """Return the criteria that decide first place, from the weighted contributions.

    The differences of the weighted contributions of first and second sum to the gap between
    their totals; the criteria named are the fewest, largest differences in first's favour that
    together exceed the gap (at most :data:`MAX_REASONS`). Returns None with fewer than two
    options or a tie for first.
    """
    if len(result.ranking) < 2 or len(top_group(result)) > 1:
        return None
    first, second = result.ranking[0], result.ranking[1]
    diffs = {
        c: result.contributions[first][c] - result.contributions[second][c] for c in result.criteria
    }
    ahead = sorted(((c, d) for c, d in diffs.items() if d > 1e-12), key=lambda x: -x[1])
    behind = sorted(((c, d) for c, d in diffs.items() if d < -1e-12), key=lambda x: x[1])
    gap = result.totals[first] - result.totals[second]
    chosen: list[tuple[str, float]] = []
    for item in ahead:
        chosen.append(item)
        if sum(d for _, d in chosen) > gap or len(chosen) == MAX_REASONS:
            break
    return Reasons(first, second, gap, chosen, behind[:2])


def _signed(value: float) -> str:
    return ("+" if value >= 0 else "−") + total_text(abs(value))


def recommendation(result: AppraisalResult, names: Names) -> list[Block]:
    """Return the recommendation with its reasons, or the tie the Board must break."""
    top = top_group(result)
    totals = result.totals
    if len(top) > 1:
        tied = " and ".join(names.option(o) for o in top)
        return [
            Paragraph(
                f"No single option leads: {tied} tie on a weighted total of "
                f"{total_text(totals[top[0]])} out of 1. The Board is asked to choose between "
                "them on the evidence in this paper.",
                emphasis=True,
            )
        ]
    leader = top[0]
    found = reasons(result)
    text = (
        f"Recommendation: {names.option(leader)}, first with a weighted total of "
        f"{total_text(totals[leader])} out of 1"
    )
    if found is None:
        return [Paragraph(text + ".", emphasis=True)]
    shown_gap = float(total_text(totals[leader])) - float(total_text(totals[found.second]))
    text += (
        f", {total_text(shown_gap)} ahead of {names.option(found.second)} "
        f"({total_text(totals[found.second])})."
    )
    why = "It wins on " + "; ".join(
        f"{names.criterion(c)} ({_signed(d)})" for c, d in found.for_first
    )
    why += (
        ", the differences in weighted score that "
        + ("together make" if len(found.for_first) > 1 else "make")
        + " up its lead."
    )
    if found.for_second:
        why += (
            f" {names.option(found.second)} does better on "
            + " and ".join(f"{names.criterion(c)} ({_signed(d)})" for c, d in found.for_second)
            + "."
        )
    return [Paragraph(text, emphasis=True), Paragraph(why)]


def flags(
    programme: Programme,
    result: AppraisalResult,
    names: Names,
    engagement: Engagement | None = None,
) -> list[str]:
    """Return what the Board must know before deciding.

    That is the recommended option's broken rules (hard rules and service dependencies), then
    the decision file's failed assurance items.
    """
    items: list[str] = []
    for option in top_group(result):
        for breach in check_all(programme).get(option, []):
            rule = breach.kind.value.replace("_", " ")
            label = "breaks a hard rule" if breach.hard else "breaks a service dependency"
            items.append(
                f"{names.option(option)} {label} ({rule}): {breach.detail}. Why the rule "
                f"exists: {breach.reason.rstrip('.')}."
            )
    return items + front_sheet_flags(programme, result, engagement)


def front_sheet(
    programme: Programme,
    result: AppraisalResult,
    names: Names,
    engagement: Engagement | None = None,
) -> list[Section]:
    """Return the front sheet's sections: the ask, the recommendation, conditions, warnings."""
    board = programme.board
    top = top_group(result)
    asked = [f"{r.verb.value.capitalize()} {r.text}" for r in board.resolutions]
    if not asked:
        asked = [
            f"Approve {names.option(top[0])} as the preferred option"
            + (", subject to the conditions below" if board.conditions else "")
            if len(top) == 1
            else "Choose between the options that tie for first place"
        ]
    blocks: list[Block] = [Bullets(asked, lead="The Board is asked to:")]
    blocks += recommendation(result, names)
    blocks.append(Paragraph("How sure is this? " + robustness_sentence(result, names)))
    if board.conditions:
        blocks.append(Bullets(list(board.conditions), lead="Conditions:"))
    warnings = flags(programme, result, names, engagement)
    if warnings:
        blocks.append(Bullets(warnings, lead="Before deciding, the Board should know:"))
    if programme.provenance.illustrative:
        blocks.append(
            Paragraph(
                "The scores are illustrative: the ranking must be redone with the panels' "
                "real scores before a real decision.",
            )
        )
    return [Section("ask", "Summary for the Board", blocks, part="front")]
