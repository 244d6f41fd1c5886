"""A staff move's TUPE or pension override needs its reason."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from caseforchange.domain.workforce import StaffMove


def test_override_needs_reason() -> None:
    base = {"service": "s", "destination": "d", "wte": 1, "headcount": 1}
    with pytest.raises(ValidationError, match="tupe_reason"):
        StaffMove.model_validate({**base, "tupe": "no"})
    with pytest.raises(ValidationError, match="pension_reason"):
        StaffMove.model_validate({**base, "nhs_pension": "yes"})
    assert StaffMove.model_validate({**base, "tupe": "no", "tupe_reason": "secondment"}).tupe
