"""Panels: members' scores, aggregation within and across panels, and disagreement.

Within a panel, members' scores on one option and criterion are combined by the programme's
aggregation (mean, median or geometric mean); a panel-level score (no member) is the panel's
agreed score and is used as it is. Panels are then combined by a weighted arithmetic mean with
their ``Panel.weight``, renormalised over the panels that scored that option on that criterion.

Uncertain scores (low..high) are combined bound by bound: the low ends are aggregated like the
values, and so are the high ends. This treats members' uncertainties as moving together, which
is the cautious choice: it never makes the combined range narrower than the members' own.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from caseforchange.domain.panels import Distribution, Panel, Score
from caseforchange.domain.problems import InvalidInput, Problem
from caseforchange.domain.programme import Aggregation

#: The panel key of scores that name no panel.
UNASSIGNED = "(no panel)"


@dataclass(frozen=True)
class Estimate:
    """A score as a best value with a range and a distribution shape, in the criterion's units."""

    value: float
    low: float
    high: float
    kind: Distribution = Distribution.POINT

    @classmethod
    def of(cls, score: Score) -> Estimate:
        """Return the estimate a single score states; a range with no value is centred."""
        kind = score.kind
        if kind is Distribution.POINT or score.low is None or score.high is None:
            value = float(score.value if score.value is not None else 0.0)
            return cls(value, value, value, Distribution.POINT)
        best = score.value if score.value is not None else (score.low + score.high) / 2
        return cls(float(best), float(score.low), float(score.high), kind)


def aggregate(values: Sequence[float], method: Aggregation) -> float:
    """Return the mean, median or geometric mean of ``values``.

    Raises:
        ValueError: when ``values`` is empty, or a geometric mean meets a negative value.
    """
    if not values:
        raise ValueError("nothing to aggregate")
    if method is Aggregation.MEDIAN:
        return float(statistics.median(values))
    if method is Aggregation.GEOMETRIC_MEAN:
        if any(v < 0 for v in values):
            raise ValueError("a geometric mean needs scores of zero or more")
        if any(v == 0 for v in values):
            return 0.0
        return math.exp(sum(math.log(v) for v in values) / len(values))
    return float(sum(values) / len(values))


def _combined_kind(estimates: Sequence[Estimate]) -> Distribution:
    kinds = {e.kind for e in estimates if e.kind is not Distribution.POINT}
    if not kinds:
        return Distribution.POINT
    if len(kinds) == 1:
        return kinds.pop()
    # Mixed shapes have no common family; a triangle keeps the combined mode and range.
    return Distribution.TRIANGULAR


def aggregate_estimates(estimates: Sequence[Estimate], method: Aggregation) -> Estimate:
    """Return the members' estimates combined by ``method``, bound by bound.

    Raises:
        ValueError: as :func:`aggregate`.
    """
    value = aggregate([e.value for e in estimates], method)
    low = aggregate([e.low for e in estimates], method)
    high = aggregate([e.high for e in estimates], method)
    kind = _combined_kind(estimates)
    if kind is Distribution.POINT or high <= low:
        return Estimate(value, value, value, Distribution.POINT)
    return Estimate(min(max(value, low), high), low, high, kind)


def combine_panels(
    by_panel: Mapping[str, Estimate], weights: Mapping[str, float]
) -> Estimate | None:
    """Return the weighted mean of the panels' estimates, or None when no weighted panel scored.

    Weights are renormalised over the panels present, so a panel that did not score a criterion
    neither counts as zero nor shifts the others' balance.
    """
    present = [(p, e) for p, e in by_panel.items() if weights.get(p, 0.0) > 0]
    total = sum(weights[p] for p, _ in present)
    if not present or total <= 0:
        return None
    share = {p: weights[p] / total for p, _ in present}
    value = sum(share[p] * e.value for p, e in present)
    low = sum(share[p] * e.low for p, e in present)
    high = sum(share[p] * e.high for p, e in present)
    kind = _combined_kind([e for _, e in present])
    if kind is Distribution.POINT or high <= low:
        return Estimate(value, value, value, Distribution.POINT)
    return Estimate(min(max(value, low), high), low, high, kind)


@dataclass
class CellScores:
    """Every score given to one option on one criterion, by panel (with its index in the list)."""

    option: str
    criterion: str
    agreed: dict[str, tuple[int, Score]] = field(default_factory=dict)
    members: dict[str, list[tuple[int, Score]]] = field(default_factory=dict)

    def panels(self) -> list[str]:
        """Return the panels that scored this cell, in first-seen order."""
        return list(dict.fromkeys([*self.agreed, *self.members]))

    def panel_estimate(self, panel: str, method: Aggregation) -> Estimate:
        """Return the panel's estimate: its agreed score, else its members' aggregate.

        Raises:
            InvalidInput: when members' scores cannot be aggregated (e.g. a negative score under
                a geometric mean); the message names the option, criterion and panel.
        """
        if panel in self.agreed:
            return Estimate.of(self.agreed[panel][1])
        given = self.members[panel]
        try:
            return aggregate_estimates([Estimate.of(s) for _, s in given], method)
        except ValueError as error:
            raise InvalidInput(
                [
                    Problem(
                        ("scores", given[0][0], "value"),
                        f"option '{self.option}', criterion '{self.criterion}', panel '{panel}': "
                        f"{error}",
                    )
                ]
            ) from None


def panel_key(score: Score) -> str:
    """Return the panel a score belongs to, with unattributed scores in their own group."""
    return score.panel if score.panel is not None else UNASSIGNED


def group_scores(
    scores: Sequence[Score], panels: Sequence[Panel]
) -> dict[tuple[str, str], CellScores]:
    """Return the scores grouped by (option, criterion), then by panel and member.

    Raises:
        InvalidInput: when the same member (or the same panel, for agreed scores) scores an
            option on a criterion twice, or a member is not in the panel they score for.
    """
    members_of = {p.id: {m.id for m in p.members} for p in panels}
    cells: dict[tuple[str, str], CellScores] = {}
    seen: dict[tuple[str, str, str, str | None], int] = {}
    problems: list[Problem] = []
    for index, score in enumerate(scores):
        panel = panel_key(score)
        who = f"member '{score.member}' of panel '{panel}'" if score.member else f"panel '{panel}'"
        key = (score.option, score.criterion, panel, score.member)
        if key in seen:
            problems.append(
                Problem(
                    ("scores", index),
                    f"{who} scores option '{score.option}' on criterion '{score.criterion}' "
                    f"twice (first at score {seen[key] + 1})",
                )
            )
            continue
        seen[key] = index
        if (
            score.member is not None
            and score.panel is not None
            and score.panel in members_of
            and score.member not in members_of[score.panel]
        ):
            problems.append(
                Problem(
                    ("scores", index, "member"),
                    f"member '{score.member}' is not in panel '{panel}' (option '{score.option}', "
                    f"criterion '{score.criterion}')",
                )
            )
            continue
        cell = cells.setdefault(
            (score.option, score.criterion), CellScores(score.option, score.criterion)
        )
        if score.member is None:
            cell.agreed[panel] = (index, score)
        else:
            cell.members.setdefault(panel, []).append((index, score))
    if problems:
        raise InvalidInput(problems)
    return cells


def panel_weights(panels: Sequence[Panel], scores: Sequence[Score]) -> dict[str, float]:
    """Return each scoring panel's weight; unattributed scores form a panel of weight 1.

    Raises:
        InvalidInput: when a panel has no members and gave no agreed scores, or the panels that
            scored all have weight zero.
    """
    scored = {panel_key(s) for s in scores}
    agreed = {panel_key(s) for s in scores if s.member is None}
    problems: list[Problem] = []
    for index, panel in enumerate(panels):
        if not panel.members and panel.id not in agreed:
            problems.append(
                Problem(
                    ("panels", index, "members"),
                    f"panel '{panel.id}' ({panel.name}) has no members and no agreed scores; "
                    "add its members or remove the panel",
                )
            )
    weights = {p.id: float(p.weight) for p in panels if p.id in scored}
    if UNASSIGNED in scored:
        weights[UNASSIGNED] = 1.0
    if weights and sum(weights.values()) <= 0:
        problems.append(
            Problem(
                ("panels",),
                "the weights of the panels that scored ("
                + ", ".join(sorted(weights))
                + ") sum to zero; give at least one a positive weight",
            )
        )
    if problems:
        raise InvalidInput(problems)
    return weights


@dataclass(frozen=True)
class CellDisagreement:
    """How far scores for one option on one criterion differ, on the 0..1 value scale.

    ``spread`` is the range of the panels' values; ``iqr`` the interquartile range of every
    member's (or agreed) value pooled; ``member_spread``/``member_iqr`` are within each panel.
    """

    option: str
    criterion: str
    panel_values: dict[str, float]
    spread: float
    iqr: float
    member_spread: dict[str, float]
    member_iqr: dict[str, float]


@dataclass
class Disagreement:
    """Disagreement per cell, and which criteria and options divide the panels most.

    ``by_criterion``/``by_option`` are the mean across-panel spread, largest first;
    ``most_divisive`` lists cells by spread (then pooled IQR), largest first.
    """

    cells: list[CellDisagreement]
    by_criterion: dict[str, float]
    by_option: dict[str, float]
    most_divisive: list[CellDisagreement]


def _iqr(values: Sequence[float]) -> float:
    if len(values) < 2:
        return 0.0
    q1, q3 = np.percentile(np.asarray(values, dtype=np.float64), [25.0, 75.0])
    return float(q3 - q1)


def disagreement(
    cells: Mapping[tuple[str, str], CellScores],
    value_of: Mapping[str, Callable[[float], float]],
    method: Aggregation,
    *,
    top: int = 10,
) -> Disagreement:
    """Return spread and IQR of the scores, per cell and summarised by criterion and option.

    ``value_of`` maps each criterion to its raw-score-to-value function, so criteria on
    different scales are compared on the same 0..1 footing. Cells of criteria not in
    ``value_of`` (hurdles, or options not appraised) are skipped.

    Raises:
        InvalidInput: as :meth:`CellScores.panel_estimate`.
    """
    found: list[CellDisagreement] = []
    for (option, criterion), cell in cells.items():
        to_value = value_of.get(criterion)
        if to_value is None:
            continue
        panel_values: dict[str, float] = {}
        member_spread: dict[str, float] = {}
        member_iqr: dict[str, float] = {}
        pooled: list[float] = []
        for panel in cell.panels():
            panel_values[panel] = to_value(cell.panel_estimate(panel, method).value)
            if panel in cell.members and panel not in cell.agreed:
                own = [to_value(Estimate.of(s).value) for _, s in cell.members[panel]]
                member_spread[panel] = max(own) - min(own)
                member_iqr[panel] = _iqr(own)
                pooled.extend(own)
            else:
                pooled.append(panel_values[panel])
        values = list(panel_values.values())
        found.append(
            CellDisagreement(
                option,
                criterion,
                panel_values,
                max(values) - min(values),
                _iqr(pooled),
                member_spread,
                member_iqr,
            )
        )

    def mean_by(key: Callable[[CellDisagreement], str]) -> dict[str, float]:
        groups: dict[str, list[float]] = {}
        for cell_result in found:
            groups.setdefault(key(cell_result), []).append(cell_result.spread)
        means = {k: sum(v) / len(v) for k, v in groups.items()}
        return dict(sorted(means.items(), key=lambda item: -item[1]))

    ordered = sorted(found, key=lambda c: (-c.spread, -c.iqr))
    return Disagreement(
        found, mean_by(lambda c: c.criterion), mean_by(lambda c: c.option), ordered[:top]
    )
