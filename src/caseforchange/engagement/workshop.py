"""Workshop outputs: lists by category, counts by category and table, issue-mitigation pairs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from caseforchange.domain.consultation import OutputKind, Workshop, WorkshopOutput

#: The column used for outputs whose table was not recorded.
NO_TABLE = "(table not recorded)"
#: The row used for outputs with no category.
NO_CATEGORY = "(uncategorised)"


@dataclass
class IssuePair:
    """An issue with the mitigations proposed for it (possibly none)."""

    issue: WorkshopOutput
    mitigations: list[WorkshopOutput] = field(default_factory=list)


@dataclass
class WorkshopSummary:
    """What a workshop produced, arranged as the report shows it."""

    workshop: Workshop
    categories: dict[str, str]
    by_category: dict[str, dict[OutputKind, list[WorkshopOutput]]]
    #: counts[kind][category][table]
    counts: dict[OutputKind, dict[str, dict[str, int]]]
    columns: list[str]
    pairs: list[IssuePair]
    unanswered_mitigations: list[WorkshopOutput]


def summarise_workshop(workshop: Workshop, categories: Mapping[str, str]) -> WorkshopSummary:
    """Arrange a workshop's outputs by category and table and pair issues with mitigations.

    Args:
        workshop: the workshop with its outputs.
        categories: category id -> name, in the order to show them.
    """
    order = dict(categories)
    if any(o.category is None for o in workshop.outputs):
        order[NO_CATEGORY] = NO_CATEGORY
    columns = list(workshop.tables)
    if any(o.table is None for o in workshop.outputs):
        columns.append(NO_TABLE)
    by_category: dict[str, dict[OutputKind, list[WorkshopOutput]]] = {
        c: {k: [] for k in OutputKind} for c in order
    }
    counts: dict[OutputKind, dict[str, dict[str, int]]] = {
        k: {c: dict.fromkeys(columns, 0) for c in order} for k in OutputKind
    }
    for output in workshop.outputs:
        category = output.category or NO_CATEGORY
        table = output.table or NO_TABLE
        by_category[category][output.kind].append(output)
        counts[output.kind][category][table] += 1
    mitigations: dict[str, list[WorkshopOutput]] = {}
    loose: list[WorkshopOutput] = []
    for output in workshop.outputs:
        if output.kind is OutputKind.MITIGATION:
            if output.responds_to:
                mitigations.setdefault(output.responds_to, []).append(output)
            else:
                loose.append(output)
    pairs = [
        IssuePair(o, mitigations.get(o.id, []))
        for o in workshop.outputs
        if o.kind is OutputKind.ISSUE
    ]
    return WorkshopSummary(workshop, order, by_category, counts, columns, pairs, loose)
