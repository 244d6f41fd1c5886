"""The stakeholder map: interest against influence, in the four classic quadrants."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from caseforchange.domain.engagement import StakeholderGroup


class Quadrant(StrEnum):
    """How to engage a group, from its interest and influence."""

    MANAGE_CLOSELY = "manage closely"
    KEEP_SATISFIED = "keep satisfied"
    KEEP_INFORMED = "keep informed"
    MONITOR = "monitor"


@dataclass(frozen=True)
class MappedGroup:
    """A stakeholder group placed on the map."""

    group: StakeholderGroup
    interest: int
    influence: int
    quadrant: Quadrant


def quadrant(interest: int, influence: int, threshold: int = 3) -> Quadrant:
    """Return the quadrant for ratings on the 1-5 scale; ``threshold`` and above count as high."""
    high_interest, high_influence = interest >= threshold, influence >= threshold
    if high_interest and high_influence:
        return Quadrant.MANAGE_CLOSELY
    if high_influence:
        return Quadrant.KEEP_SATISFIED
    if high_interest:
        return Quadrant.KEEP_INFORMED
    return Quadrant.MONITOR


def stakeholder_map(
    groups: list[StakeholderGroup], threshold: int = 3
) -> tuple[list[MappedGroup], list[StakeholderGroup]]:
    """Place each rated group in its quadrant.

    Returns:
        The mapped groups, and the groups left off because interest or influence is missing.
    """
    mapped: list[MappedGroup] = []
    unrated: list[StakeholderGroup] = []
    for group in groups:
        if group.interest is None or group.influence is None:
            unrated.append(group)
            continue
        mapped.append(
            MappedGroup(
                group,
                group.interest,
                group.influence,
                quadrant(group.interest, group.influence, threshold),
            )
        )
    return mapped, unrated
