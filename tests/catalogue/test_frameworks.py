"""The built-in criteria frameworks from the source documents."""

from __future__ import annotations

from caseforchange.catalogue.frameworks import framework, frameworks
from caseforchange.catalogue.scales import builtin_scales


def test_three_frameworks_with_sources() -> None:
    assert set(frameworks()) == {"east-of-england-2007", "plymouth-2010", "leicester-2010"}
    assert all(f.source for f in frameworks().values())


def test_east_of_england_has_two_groups_of_six() -> None:
    fw = framework("east-of-england-2007")
    assert [c.name for c in fw.criteria] == [
        "To enable responsiveness",
        "To improve responsiveness",
    ]
    assert [len(c.children) for c in fw.criteria] == [6, 6]


def test_plymouth_has_three_parameters_and_a_hurdle() -> None:
    fw = framework("plymouth-2010")
    groups = [c.name for c in fw.criteria if not c.hurdle]
    assert groups == ["Quality Improvement", "Increased Efficiency of Solution", "Sustainability"]
    assert [len(c.children) for c in fw.criteria if not c.hurdle] == [4, 2, 4]
    assert [c.id for c in fw.criteria if c.hurdle] == ["integrated-care-minimum"]


def test_leicester_has_the_six_workshop_categories() -> None:
    assert len(framework("leicester-2010").leaves()) == 6


def test_framework_copies_are_independent() -> None:
    copy = framework("leicester-2010")
    copy.criteria[0].weight = 99
    assert framework("leicester-2010").criteria[0].weight is None


def test_every_leaf_uses_a_builtin_scale() -> None:
    scales = builtin_scales()
    for fw in frameworks().values():
        assert all(c.scale in scales for c in fw.leaves())
