"""An assurance item is recorded once per checklist."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from caseforchange.domain.assurance import Assurance


def test_item_recorded_twice() -> None:
    item = {"checklist": "gunning", "item": "adequate-time"}
    with pytest.raises(ValidationError, match="recorded twice"):
        Assurance.model_validate({"items": [item, item]})
