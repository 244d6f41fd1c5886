"""A job's inputs: taken by the functions the services app provides, refused when none were."""

from __future__ import annotations

import pytest

from caseforchange.web.jobs import snapshot
from caseforchange.web.programmes.models import ProgrammeRecord
from caseforchange.web.services import job_inputs


def test_the_services_app_provides_the_inputs_when_the_apps_are_ready(
    programme: ProgrammeRecord,
) -> None:
    assert snapshot.fingerprint(programme) == job_inputs.fingerprint(programme)
    taken = snapshot.take(programme)
    assert taken == job_inputs.take(programme)
    assert (taken.slug, taken.revision) == (programme.slug, programme.revision)
    # The frozen document validates back to the same programme.
    assert snapshot.Snapshot.from_json(taken.to_json()).loaded().programme.id == programme.slug


def test_without_provided_inputs_the_queue_says_which_app_is_missing(
    monkeypatch: pytest.MonkeyPatch, programme: ProgrammeRecord
) -> None:
    monkeypatch.setattr(snapshot, "_inputs", {})
    with pytest.raises(LookupError, match=r"caseforchange\.web\.services"):
        snapshot.take(programme)
    with pytest.raises(LookupError, match=r"caseforchange\.web\.services"):
        snapshot.fingerprint(programme)
