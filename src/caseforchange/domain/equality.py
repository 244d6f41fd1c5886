"""Equality impact by option: the nine protected characteristics and health inequalities."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from caseforchange.domain.base import Id, Illustrated, Model


class Characteristic(StrEnum):
    """The protected characteristics of the Equality Act 2010 (s.4), and health inequalities."""

    AGE = "age"
    DISABILITY = "disability"
    GENDER_REASSIGNMENT = "gender_reassignment"
    MARRIAGE_CIVIL_PARTNERSHIP = "marriage_civil_partnership"
    PREGNANCY_MATERNITY = "pregnancy_maternity"
    RACE = "race"
    RELIGION_BELIEF = "religion_belief"
    SEX = "sex"
    SEXUAL_ORIENTATION = "sexual_orientation"
    HEALTH_INEQUALITIES = "health_inequalities"


#: How each characteristic is shown to a reader.
CHARACTERISTIC_LABELS: dict[Characteristic, str] = {
    Characteristic.AGE: "Age",
    Characteristic.DISABILITY: "Disability",
    Characteristic.GENDER_REASSIGNMENT: "Gender reassignment",
    Characteristic.MARRIAGE_CIVIL_PARTNERSHIP: "Marriage and civil partnership",
    Characteristic.PREGNANCY_MATERNITY: "Pregnancy and maternity",
    Characteristic.RACE: "Race",
    Characteristic.RELIGION_BELIEF: "Religion or belief",
    Characteristic.SEX: "Sex",
    Characteristic.SEXUAL_ORIENTATION: "Sexual orientation",
    Characteristic.HEALTH_INEQUALITIES: "Health inequalities",
}


class Impact(StrEnum):
    """The expected effect of an option on people sharing a characteristic."""

    POSITIVE = "positive"
    NEUTRAL = "neutral"
    NEGATIVE = "negative"
    UNKNOWN = "unknown"


class EqualityFinding(Model):
    """The assessed impact on one characteristic, its evidence and its mitigation."""

    characteristic: Characteristic
    impact: Impact
    evidence: str | None = None
    mitigation: str | None = None


class OptionEquality(Model):
    """The equality impact assessment of one option."""

    option: Id
    findings: list[EqualityFinding] = Field(default_factory=list)


class Equality(Illustrated):
    """Equality impact by option and how the public sector equality duty was considered."""

    psed_statement: str | None = None
    options: list[OptionEquality] = Field(default_factory=list)
