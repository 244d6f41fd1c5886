"""Candidate futures for the services: a form and a provider, or a configuration."""

from __future__ import annotations

from caseforchange.domain.base import Id, Model, Text

#: Where a service goes under an option: one organisation, or several if it is divided.
Destination = Id | list[Id]


class Option(Model):
    """A candidate future for who provides the services."""

    id: Id
    name: Text
    form: Id
    provider: Id | None = None
    description: str | None = None
    configuration: dict[Id, Destination] | None = None
    business_as_usual: bool = False
    do_minimum: bool = False
    stage_reached: str | None = None
