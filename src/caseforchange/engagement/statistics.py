"""Closed questions and ballots: counts, percentages, Wilson intervals and cross-tabs.

Tallies are built by streaming over response rows, so that 100,000 responses never need to
be held in memory at once.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.stats import chi2_contingency

#: The normal quantile for a two-sided 95% interval.
Z95 = 1.959963984540054

#: Below this expected count a chi-square cell is "small".
SMALL_EXPECTED = 5.0


def wilson_interval(successes: int, trials: int, z: float = Z95) -> tuple[float, float]:
    """Return the Wilson score interval for a proportion (95% by default).

    Returns:
        ``(low, high)`` as fractions; ``(0.0, 1.0)`` when there are no trials.

    Raises:
        ValueError: when ``successes`` is negative or exceeds ``trials``.
    """
    if successes < 0 or successes > trials:
        raise ValueError(f"successes ({successes}) must lie between 0 and trials ({trials})")
    if trials == 0:
        return 0.0, 1.0
    p = successes / trials
    z2 = z * z
    denominator = 1 + z2 / trials
    centre = (p + z2 / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials)) / denominator
    # At 0 or n successes the exact bound is 0 or 1; rounding would otherwise miss it.
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == trials else min(1.0, centre + half)
    return low, high


@dataclass(frozen=True)
class Share:
    """One answer's count, its share of the answers, and the share's 95% Wilson interval."""

    answer: str
    count: int
    total: int
    low: float
    high: float

    @property
    def fraction(self) -> float:
        """The count as a fraction of the total (0 when there is no total)."""
        return self.count / self.total if self.total else 0.0


def shares(counts: Mapping[str, int], answers: Sequence[str] | None = None) -> list[Share]:
    """Return each answer's share with its Wilson interval, in ``answers`` order if given."""
    order = list(answers) if answers is not None else list(counts)
    total = sum(counts.values())
    out = []
    for answer in order:
        count = counts.get(answer, 0)
        low, high = wilson_interval(count, total)
        out.append(Share(answer, count, total, low, high))
    return out


@dataclass(frozen=True)
class ChiSquare:
    """Pearson's chi-square test of independence on a cross-tab."""

    statistic: float
    p_value: float
    dof: int
    small_cells: int
    cells: int

    @property
    def small_note(self) -> str | None:
        """A caution when over 20% of cells expect fewer than 5, else None."""
        if self.cells and self.small_cells / self.cells > 0.2:
            return (
                f"{self.small_cells} of {self.cells} cells expect fewer than "
                f"{SMALL_EXPECTED:g} responses, so the chi-square p-value is unreliable; "
                "merge groups or answers, or use an exact test"
            )
        return None


@dataclass
class CrossTab:
    """Counts of answers (columns) by group (rows), with the chi-square test when it applies."""

    question: str
    groups: list[str]
    answers: list[str]
    counts: list[list[int]]
    test: ChiSquare | None = None
    note: str | None = None

    def totals(self) -> dict[str, int]:
        """Return the number of answers given by each group."""
        return {g: sum(row) for g, row in zip(self.groups, self.counts, strict=True)}


def chi_square(counts: Sequence[Sequence[int]]) -> ChiSquare | None:
    """Return Pearson's chi-square test (no continuity correction) on a table of counts.

    Rows and columns that are all zero are left out first; None when fewer than two rows or
    columns remain, since the test then has nothing to compare.
    """
    table = np.asarray(counts, dtype=float)
    if table.ndim != 2:
        return None
    table = table[table.sum(axis=1) > 0]
    if table.size == 0:
        return None
    table = table[:, table.sum(axis=0) > 0]
    if table.shape[0] < 2 or table.shape[1] < 2:
        return None
    result = chi2_contingency(table, correction=False)
    expected = np.asarray(result.expected_freq)
    return ChiSquare(
        statistic=float(result.statistic),
        p_value=float(result.pvalue),
        dof=int(result.dof),
        small_cells=int((expected < SMALL_EXPECTED).sum()),
        cells=int(expected.size),
    )


def cross_tab(
    question: str,
    counts: Mapping[str, Mapping[str, int]],
    answers: Sequence[str],
    groups: Sequence[str] | None = None,
) -> CrossTab:
    """Return the cross-tab of ``counts[group][answer]`` with its chi-square test."""
    order = list(groups) if groups is not None else sorted(counts)
    table = [[counts.get(g, {}).get(a, 0) for a in answers] for g in order]
    test = chi_square(table)
    note = None
    if test is None:
        note = "too few groups or answers with responses for a chi-square test"
    elif test.small_note:
        note = test.small_note
    return CrossTab(question, order, list(answers), table, test, note)


@dataclass
class Tally:
    """Running counts for closed and multi-select questions, by question, group and answer.

    ``counts[question][group][answer]``; ``respondents[question][group]`` counts the people who
    answered (for multi-select questions, where answers outnumber people).
    """

    counts: dict[str, dict[str, dict[str, int]]] = field(default_factory=dict)
    respondents: dict[str, dict[str, int]] = field(default_factory=dict)

    def add(self, question: str, group: str, answers: Iterable[str]) -> None:
        """Count one respondent's answer(s) to ``question`` under ``group``."""
        by_answer = self.counts.setdefault(question, {}).setdefault(group, {})
        given = False
        for answer in answers:
            by_answer[answer] = by_answer.get(answer, 0) + 1
            given = True
        if given:
            per_group = self.respondents.setdefault(question, {})
            per_group[group] = per_group.get(group, 0) + 1

    def overall(self, question: str) -> dict[str, int]:
        """Return the counts of each answer to ``question`` across all groups."""
        total: dict[str, int] = {}
        for by_answer in self.counts.get(question, {}).values():
            for answer, n in by_answer.items():
                total[answer] = total.get(answer, 0) + n
        return total

    def merged(self, question: str, mapping: Mapping[str, str]) -> dict[str, dict[str, int]]:
        """Return the counts with groups relabelled by ``mapping`` (e.g. group -> organisation).

        Groups absent from ``mapping`` are left out.
        """
        out: dict[str, dict[str, int]] = {}
        for group, by_answer in self.counts.get(question, {}).items():
            target = mapping.get(group)
            if target is None:
                continue
            merged = out.setdefault(target, {})
            for answer, n in by_answer.items():
                merged[answer] = merged.get(answer, 0) + n
        return out


def tally_rows(
    rows: Iterable[Mapping[str, str]],
    questions: Mapping[str, bool],
    group_column: str = "group",
    separator: str = ";",
) -> Tally:
    """Tally normalised response rows.

    Args:
        rows: dicts of column -> value, e.g. from ``csv.DictReader``.
        questions: question id -> True when the question is multi-select.
        group_column: the column holding the respondent group ("" when absent).
        separator: how multi-select answers are joined.
    """
    tally = Tally()
    for row in rows:
        group = row.get(group_column) or "(no group)"
        for question, multi in questions.items():
            value = row.get(question) or ""
            if not value:
                continue
            tally.add(question, group, value.split(separator) if multi else (value,))
    return tally


@dataclass
class QuestionResult:
    """What respondents said to one closed, multi-select or demographic question."""

    question_id: str
    text: str
    answers: list[str]
    multi: bool
    respondents: int
    overall: list[Share]
    by_group: CrossTab
    by_organisation: CrossTab | None = None
    illustrative: bool = False
    note: str | None = None


def _result(
    question_id: str,
    text: str,
    answers: Sequence[str],
    multi: bool,
    counts: Mapping[str, Mapping[str, int]],
    respondents_by_group: Mapping[str, int],
    organisation_of: Mapping[str, str],
    groups: Sequence[str] | None = None,
) -> QuestionResult:
    overall: dict[str, int] = {}
    for by_answer in counts.values():
        for answer, n in by_answer.items():
            overall[answer] = overall.get(answer, 0) + n
    respondents = sum(respondents_by_group.values())
    if multi:
        # Each option's share is of the people who answered, as answers are not exclusive.
        overall_shares = [
            Share(
                a, overall.get(a, 0), respondents, *wilson_interval(overall.get(a, 0), respondents)
            )
            for a in answers
        ]
    else:
        overall_shares = shares(overall, answers)
    by_group = cross_tab(question_id, counts, answers, groups)
    by_org = None
    if organisation_of:
        merged: dict[str, dict[str, int]] = {}
        for group, by_answer in counts.items():
            target = organisation_of.get(group)
            if target is None:
                continue
            into = merged.setdefault(target, {})
            for answer, n in by_answer.items():
                into[answer] = into.get(answer, 0) + n
        if len(merged) >= 2:
            by_org = cross_tab(question_id, merged, answers)
    if multi:
        # Options are not exclusive, so a chi-square test of independence does not apply.
        note = "multi-select: percentages are of respondents; no chi-square test"
        by_group.test, by_group.note = None, note
        if by_org is not None:
            by_org.test, by_org.note = None, note
    return QuestionResult(
        question_id, text, list(answers), multi, respondents, overall_shares, by_group, by_org
    )


def analyse_tally(
    tally: Tally,
    questions: Sequence[tuple[str, str, Sequence[str], bool]],
    organisation_of: Mapping[str, str],
) -> list[QuestionResult]:
    """Return a result per question from a tally.

    Args:
        tally: the counts from :func:`tally_rows`.
        questions: (id, text, options, multi-select?) for each question to report.
        organisation_of: respondent group -> organisation, for the by-organisation cross-tab.
    """
    return [
        _result(
            qid,
            text,
            options,
            multi,
            tally.counts.get(qid, {}),
            tally.respondents.get(qid, {}),
            organisation_of,
        )
        for qid, text, options, multi in questions
    ]


def analyse_counts(
    question_id: str,
    text: str,
    answers: Sequence[str],
    counts: Mapping[str, Mapping[str, int]],
    organisation_of: Mapping[str, str],
) -> QuestionResult:
    """Return the result of a ballot recorded as counts per group (single choice)."""
    respondents = {g: sum(c.values()) for g, c in counts.items()}
    return _result(
        question_id, text, answers, False, counts, respondents, organisation_of, list(counts)
    )
