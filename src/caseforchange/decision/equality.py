"""Equality roll-up: impacts by option across the protected characteristics."""

from __future__ import annotations

from dataclasses import dataclass, field

from caseforchange.domain.equality import Characteristic, Equality, Impact


@dataclass
class OptionEqualitySummary:
    """One option's impacts counted, the characteristics not assessed, and gaps to close."""

    option: str
    counts: dict[str, int]
    impacts: dict[str, str]
    not_assessed: list[str]
    negative_without_mitigation: list[str] = field(default_factory=list)


def equality_summary(equality: Equality) -> list[OptionEqualitySummary]:
    """Return each option's equality roll-up, in file order.

    A characteristic without a finding counts as ``unknown`` and is listed as not assessed;
    a negative impact without a mitigation is listed so the Board sees it.
    """
    out = []
    for entry in equality.options:
        found = {f.characteristic: f for f in entry.findings}
        impacts = {
            c.value: (found[c].impact if c in found else Impact.UNKNOWN).value
            for c in Characteristic
        }
        counts = {i.value: 0 for i in Impact}
        for value in impacts.values():
            counts[value] += 1
        out.append(
            OptionEqualitySummary(
                entry.option,
                counts,
                impacts,
                [c.value for c in Characteristic if c not in found],
                [
                    f.characteristic.value
                    for f in entry.findings
                    if f.impact is Impact.NEGATIVE and not f.mitigation
                ],
            )
        )
    return out
