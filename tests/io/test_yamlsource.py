"""YAML reading that remembers the line of every field."""

from __future__ import annotations

import pytest

from caseforchange.domain.problems import InvalidInput
from caseforchange.io.yamlsource import load_yaml_text

TEXT = """\
a: 1
b:
  - x: 2
  - x: 3
    y: [4, 5]
"""


def test_lines_of_nested_fields() -> None:
    data, source = load_yaml_text(TEXT, "f.yaml")
    assert data == {"a": 1, "b": [{"x": 2}, {"x": 3, "y": [4, 5]}]}
    assert source.locate(("a",)) == "f.yaml:1"
    assert source.locate(("b", 1, "x")) == "f.yaml:4"
    assert source.locate(("b", 1, "y")) == "f.yaml:5"


def test_unknown_path_falls_back_to_nearest_ancestor() -> None:
    _, source = load_yaml_text(TEXT, "f.yaml")
    assert source.locate(("b", 1, "missing")) == "f.yaml:4"
    assert source.locate(("nothing",)) == "f.yaml:1"


def test_syntax_error_line() -> None:
    with pytest.raises(InvalidInput) as caught:
        load_yaml_text("a: 1\nb: [1, 2\nc: 3\n", "f.yaml")
    (problem,) = caught.value.problems
    assert problem.location == "f.yaml:3"
    assert "started on line 2" in problem.message


def test_duplicate_key() -> None:
    with pytest.raises(InvalidInput) as caught:
        load_yaml_text("a: 1\nb: 2\na: 3\n", "f.yaml")
    assert caught.value.problems[0].render() == "f.yaml:3: a: duplicate key (first given on line 1)"


def test_alias_expansion_is_bounded() -> None:
    import pytest as _pytest

    from caseforchange.domain.problems import InvalidInput as _Invalid
    from caseforchange.io.yamlsource import load_yaml_text as _load

    text = "l0: &a0 [x,x,x,x,x,x,x,x,x]\n" + "".join(
        f"l{n}: &a{n} [" + ",".join([f"*a{n - 1}"] * 9) + "]\n" for n in range(1, 8)
    )
    with _pytest.raises(_Invalid) as raised:
        _load(text, "p.yaml")
    assert "expands to more than" in raised.value.problems[0].message


def test_nesting_depth_and_loops_are_located() -> None:
    import pytest as _pytest

    from caseforchange.domain.problems import InvalidInput as _Invalid
    from caseforchange.io.yamlsource import load_yaml_text as _load

    with _pytest.raises(_Invalid) as raised:
        _load("a: 1\nb: " + "[" * 5000 + "]" * 5000 + "\n", "p.yaml")
    assert raised.value.problems[0].location == "p.yaml:2"
    with _pytest.raises(_Invalid) as raised:
        _load("a: 1\nb: &x [*x]\n", "p.yaml")
    assert raised.value.problems[0].location == "p.yaml:2"
    assert "contains it" in raised.value.problems[0].message
