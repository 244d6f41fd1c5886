"""Codebook and coding records."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from caseforchange.domain.codebook import Codebook, Coding, Reason, Theme


def test_theme_ids_must_be_unique() -> None:
    with pytest.raises(ValidationError, match="theme ids are repeated"):
        Codebook(question="q", themes=[Theme(id="a", name="A"), Theme(id="a", name="B")])


def test_lookup_and_default_stances() -> None:
    book = Codebook(question="q", themes=[Theme(id="a", name="A")])
    assert book.theme_ids() == ["a"]
    assert book.theme("a") is not None and book.theme("b") is None
    assert book.stances == ["for", "against", "unclear"]


def test_a_coding_has_themes_or_a_reason() -> None:
    with pytest.raises(ValidationError, match="themes or a reason"):
        Coding(response="r1", themes=["a"], reason=Reason.OUT_OF_SCOPE)
    assert Coding(response="r1", reason=Reason.OUT_OF_SCOPE).themes == []
