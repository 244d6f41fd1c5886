"""Shared building blocks of the domain model: the strict base model and identifier types."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints, model_validator

#: An identifier that users write in files and that other records refer to.
Id = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True,
        min_length=1,
        max_length=80,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$",
    ),
]

#: A non-empty human-readable text.
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class Model(BaseModel):
    """Base of every domain record: unknown fields are errors, so typos are caught."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, str_strip_whitespace=True)


class Illustrated(Model):
    """A part of the decision file that may hold illustrative numbers, said in its note."""

    illustrative: bool = False
    note: str | None = None

    @model_validator(mode="after")
    def _note_when_illustrative(self) -> Illustrated:
        if self.illustrative and not self.note:
            raise ValueError("illustrative data needs a note saying what is illustrative")
        return self
