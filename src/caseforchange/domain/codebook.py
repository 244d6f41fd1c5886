"""Free-text codebooks and codings: the themes people own, and who decided what.

A codebook belongs to one open question. Nothing becomes a theme without a person: candidate
themes suggested from the data are separate records (:mod:`caseforchange.text.suggest`) until a
person adopts them here.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field, model_validator

from caseforchange.domain.base import Id, Model, Text

#: The default stance labels of a consultation answer.
STANCES: tuple[str, ...] = ("for", "against", "unclear")


class Theme(Model):
    """One theme of a question's codebook: a name, what it means, and boundary examples."""

    id: Id
    name: Text
    definition: str = ""
    includes: list[str] = Field(default_factory=list)
    excludes: list[str] = Field(default_factory=list)


class Codebook(Model):
    """The themes a person has adopted for one open question, and the stance labels used."""

    question: Id
    themes: list[Theme] = Field(default_factory=list)
    stances: list[Text] = Field(default_factory=lambda: list(STANCES))
    illustrative: bool = False
    note: str | None = None

    @model_validator(mode="after")
    def _unique(self) -> Codebook:
        ids = [t.id for t in self.themes]
        if len(set(ids)) != len(ids):
            raise ValueError("theme ids are repeated")
        if len(set(self.stances)) != len(self.stances):
            raise ValueError("stance labels are repeated")
        return self

    def theme_ids(self) -> list[str]:
        """Return the theme ids in codebook order."""
        return [t.id for t in self.themes]

    def theme(self, theme_id: str) -> Theme | None:
        """Return the theme with this id, or None."""
        return next((t for t in self.themes if t.id == theme_id), None)


class Reason(StrEnum):
    """Why a response carries no theme: every response is considered, with a reason if not coded."""

    EMPTY = "empty"
    UNCLASSIFIABLE = "unclassifiable"
    CAMPAIGN = "campaign member"
    OUT_OF_SCOPE = "out of scope"
    #: No person has coded it and no model has been trained yet.
    NOT_YET_CODED = "not yet coded"


class Coding(Model):
    """A person's coding of one answer: themes, stance, or a reason; evidence-rich; a note."""

    response: Text
    themes: list[Id] = Field(default_factory=list)
    stance: str | None = None
    reason: Reason | None = None
    evidence_rich: bool = False
    note: str | None = None
    coder: str = "analyst"

    @model_validator(mode="after")
    def _themes_or_reason(self) -> Coding:
        if self.themes and self.reason is not None:
            raise ValueError("a coding has themes or a reason, not both")
        return self
