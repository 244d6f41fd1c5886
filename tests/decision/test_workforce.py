"""Staff moves: TUPE and NHS pension access derived from the form, overrides, totals."""

from __future__ import annotations

from caseforchange.catalogue.forms import forms
from caseforchange.catalogue.reference import tupe_rules
from caseforchange.decision.workforce import workforce_summary
from caseforchange.domain.organisations import Tristate
from caseforchange.domain.programme import Programme


def _programme(form: str, moves: list[dict[str, object]]) -> Programme:
    return Programme.model_validate(
        {
            "id": "p",
            "title": "P",
            "commissioner": "pct",
            "scope": "s",
            "organisations": [
                {"id": "pct", "name": "PCT", "kind": "commissioner"},
                {"id": "arm", "name": "Arm", "kind": "provider_arm"},
                {"id": "new", "name": "New body", "kind": "candidate_provider"},
            ],
            "services": [
                {
                    "id": "dn",
                    "name": "DN",
                    "client_group": "adults",
                    "tier": "universal",
                    "current_provider": "arm",
                },
                {
                    "id": "hv",
                    "name": "HV",
                    "client_group": "children",
                    "tier": "universal",
                    "current_provider": "arm",
                },
            ],
            "options": [{"id": "o", "name": "O", "form": form, "provider": "new"}],
            "framework": {
                "id": "f",
                "name": "F",
                "criteria": [{"id": "x", "name": "X", "scale": "1-5"}],
            },
            "workforce": {
                "options": [{"option": "o", "moves": moves, "staff_consultation": "under_way"}]
            },
        }
    )


def test_social_enterprise_transfer_with_uncertain_pension() -> None:
    p = _programme(
        "social-enterprise-cic",
        [
            {"service": "dn", "destination": "new", "wte": 20.5, "headcount": 24},
            {"service": "hv", "destination": "arm", "wte": 4.0, "headcount": 5},
        ],
    )
    (staff,) = workforce_summary(p, forms(), tupe_rules())
    moving, staying = staff.moves
    assert moving.transfer and moving.tupe.value is Tristate.YES
    assert moving.nhs_pension.value is Tristate.UNCERTAIN  # the catalogue's social enterprise
    assert not staying.transfer and staying.tupe.value is Tristate.NO
    assert staying.nhs_pension.value is Tristate.YES
    assert (staff.wte, staff.headcount, staff.headcount_transferring) == (24.5, 29, 24)
    assert staff.pension_at_risk == 24
    assert staff.wte_by_destination == {"new": 20.5, "arm": 4.0}
    assert staff.staff_consultation == "under_way"


def test_override_with_reason_wins_and_in_house_means_no_tupe() -> None:
    p = _programme(
        "social-enterprise-cic",
        [
            {
                "service": "dn",
                "destination": "new",
                "wte": 1,
                "headcount": 1,
                "nhs_pension": "yes",
                "pension_reason": "direction order gives access",
            }
        ],
    )
    (staff,) = workforce_summary(p, forms(), tupe_rules())
    assert staff.moves[0].nhs_pension.value is Tristate.YES
    assert "direction order" in staff.moves[0].nhs_pension.basis
    in_house = _programme(
        "in-house", [{"service": "dn", "destination": "new", "wte": 1, "headcount": 1}]
    )
    (staff,) = workforce_summary(in_house, forms(), tupe_rules())
    assert staff.moves[0].tupe.value is Tristate.NO


def test_provider_arm_taking_a_new_form_is_a_new_employer() -> None:
    p = _programme(
        "social-enterprise-cic", [{"service": "dn", "destination": "new", "wte": 1, "headcount": 1}]
    )
    data = p.model_dump(mode="json")
    data["options"][0]["provider"] = "arm"  # the arm itself becomes the social enterprise
    data["workforce"]["options"][0]["moves"][0]["destination"] = "arm"
    (staff,) = workforce_summary(Programme.model_validate(data), forms(), tupe_rules())
    assert staff.moves[0].transfer and staff.moves[0].tupe.value is Tristate.YES
    assert staff.moves[0].nhs_pension.value is Tristate.UNCERTAIN
