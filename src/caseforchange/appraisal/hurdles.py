"""Hurdles: pass/fail criteria that cut the long list of options to a short list.

Every option kept or dropped carries its reason. A hurdle is passed when the combined score
(after the same panel aggregation as other criteria) is at least one half, i.e. a pass on a
pass/fail scale, or a majority of passes under the mean.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from caseforchange.appraisal.panels import combine_panels, group_scores, panel_weights
from caseforchange.appraisal.values import value_map
from caseforchange.appraisal.weights import criterion_paths
from caseforchange.domain.criteria import Scale
from caseforchange.domain.problems import InvalidInput, Problem
from caseforchange.domain.programme import Programme

#: The combined hurdle value at or above which an option passes.
PASS_MARK = 0.5


@dataclass(frozen=True)
class OptionDecision:
    """Whether an option stays on the short list, and why."""

    option: str
    kept: bool
    reason: str
    failed: tuple[str, ...] = ()


@dataclass
class Screening:
    """The result of applying the hurdles: a decision per option, the short list, warnings."""

    decisions: list[OptionDecision]
    short_list: list[str]
    hurdles: list[str]
    warnings: list[str] = field(default_factory=list)


def screen(programme: Programme, scales: Mapping[str, Scale]) -> Screening:
    """Return which options pass every hurdle, with the recorded reason for each decision.

    A failed option's reason quotes the rationale of the failing scores. Warns when the short
    list has no business-as-usual or do-minimum option (HM Treasury Green Book practice).

    Raises:
        InvalidInput: when an option has no score on a hurdle, or every option fails.
    """
    framework = programme.framework
    paths = criterion_paths(framework)
    hurdles = [c for c in framework.walk() if c.hurdle]
    option_path = {o.id: ("options", i) for i, o in enumerate(programme.options)}
    decisions: list[OptionDecision] = []
    problems: list[Problem] = []
    cells = group_scores(programme.scores, programme.panels)
    weights = panel_weights(programme.panels, programme.scores)
    method = programme.appraisal.aggregation
    for option in programme.options:
        failed: list[str] = []
        reasons: list[str] = []
        for hurdle in hurdles:
            cell = cells.get((option.id, hurdle.id))
            estimates = {p: cell.panel_estimate(p, method) for p in cell.panels()} if cell else {}
            combined = combine_panels(estimates, weights)
            if combined is None:
                problems.append(
                    Problem(
                        option_path[option.id],
                        f"option '{option.id}' has no score on hurdle '{hurdle.id}' "
                        f"({hurdle.name}); every option must be tested against every hurdle",
                    )
                )
                continue
            found = value_map(hurdle, scales, paths[hurdle.id])
            passed_value = (
                found(combined.value) if not isinstance(found, Problem) else combined.value
            )
            if passed_value < PASS_MARK:
                failed.append(hurdle.id)
                assert cell is not None
                rationales = [
                    s.rationale
                    for _, s in [
                        *cell.agreed.values(),
                        *(x for v in cell.members.values() for x in v),
                    ]
                    if s.rationale and (s.value if s.value is not None else 1.0) < PASS_MARK
                ]
                why = "; ".join(dict.fromkeys(rationales)) or "no rationale recorded"
                reasons.append(f"failed hurdle '{hurdle.id}' ({hurdle.name}): {why}")
        if failed:
            decisions.append(OptionDecision(option.id, False, " | ".join(reasons), tuple(failed)))
        elif hurdles:
            names = ", ".join(f"'{h.id}'" for h in hurdles)
            decisions.append(OptionDecision(option.id, True, f"passed every hurdle ({names})"))
        else:
            decisions.append(OptionDecision(option.id, True, "the framework has no hurdles"))
    if problems:
        raise InvalidInput(problems)
    short_list = [d.option for d in decisions if d.kept]
    if not short_list:
        raise InvalidInput(
            [
                Problem(
                    ("options",),
                    "every option fails a hurdle, so nothing is left to appraise: "
                    + " / ".join(f"{d.option}: {d.reason}" for d in decisions),
                )
            ]
        )
    warnings: list[str] = []
    kept = {o.id: o for o in programme.options if o.id in short_list}
    if not any(o.business_as_usual or o.do_minimum for o in kept.values()):
        warnings.append(
            "the short list has no business-as-usual or do-minimum option; the Green Book "
            "expects one as the benchmark the others are compared with"
        )
    return Screening(decisions, short_list, [h.id for h in hurdles], warnings)
