"""Organisations taking part in a programme, and the organisational forms a provider can take."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import Field, NonNegativeFloat, StringConstraints

from caseforchange.domain.base import Id, Model, Text


class OrganisationKind(StrEnum):
    """The role an organisation plays in a reconfiguration."""

    COMMISSIONER = "commissioner"
    PROVIDER_ARM = "provider_arm"
    CANDIDATE_PROVIDER = "candidate_provider"
    ACUTE_TRUST = "acute_trust"
    COMMUNITY_TRUST = "community_trust"
    MENTAL_HEALTH_TRUST = "mental_health_trust"
    LOCAL_AUTHORITY = "local_authority"
    STRATEGIC_HEALTH_AUTHORITY = "strategic_health_authority"
    REGULATOR = "regulator"
    GP_PRACTICE = "gp_practice"
    VOLUNTARY_SECTOR = "voluntary_sector"
    PARTNER = "partner"
    OTHER = "other"


OdsCode = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Z0-9]{3,6}$")]


class Organisation(Model):
    """A commissioner, provider, candidate provider or partner."""

    id: Id
    name: Text
    kind: OrganisationKind
    short_name: str | None = None
    ods_code: OdsCode | None = None
    notes: str | None = None
    #: Annual turnover in pounds, for the competition panel's merger test; 0 for a new body.
    turnover_gbp: NonNegativeFloat | None = None


class Tristate(StrEnum):
    """A property that is true, false, or depends on the details of the arrangement."""

    YES = "yes"
    NO = "no"
    PARTLY = "partly"
    UNCERTAIN = "uncertain"


class OrganisationalForm(Model):
    """A legal and organisational vehicle a provider can take, with its properties."""

    id: Id
    name: Text
    family: Text
    summary: Text
    inside_nhs: Tristate
    nhs_pension: Tristate
    pension_note: str | None = None
    surplus_retention: Text
    ownership: Text
    governance: Text
    regulator: Text
    legal_vehicle: Text
    integration: str | None = None
    uncertain: list[str] = Field(default_factory=list)
    sources: list[Text] = Field(default_factory=list)
