"""Shared building blocks of the domain model: the strict base model and identifier types."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

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
