"""The weights form: a bad or missing revision is a stale edit, not a 500 or an overwrite; with
the "equal" method it says the weights are not used."""

from __future__ import annotations

from typing import Any

from caseforchange.web.programmes import repository
from caseforchange.web.programmes.models import ProgrammeRecord


def _weight(programme: ProgrammeRecord) -> Any:
    row = ProgrammeRecord.objects.get(pk=programme.pk)
    return row.document["framework"]["criteria"][0].get("weight")


def test_a_bad_or_missing_revision_is_a_stale_edit(
    as_user: Any, programme: ProgrammeRecord
) -> None:
    lead = as_user("lead")
    first = programme.document["framework"]["criteria"][0]["id"]
    before = _weight(programme)
    url = f"/programmes/{programme.slug}/criteria/"
    for data in ({f"weight-{first}": "7", "revision": "abc"}, {f"weight-{first}": "7"}):
        response = lead.post(url, data)
        assert response.status_code == 200
        assert "reload the page" in response.content.decode()
        assert _weight(programme) == before
    ok = lead.post(url, {f"weight-{first}": "7", "revision": str(programme.revision)})
    assert ok.status_code == 302 and _weight(programme) == 7


def test_saving_weights_under_the_equal_method_says_they_are_not_used(
    as_user: Any, programme: ProgrammeRecord
) -> None:
    data = repository.data_of(programme)
    data["framework"]["weighting"] = {
        **(data["framework"].get("weighting") or {}),
        "method": "equal",
    }
    repository.save(
        programme, repository.validate(data, "test"), "test", "method", programme.revision
    )
    row = ProgrammeRecord.objects.get(pk=programme.pk)
    first = row.document["framework"]["criteria"][0]["id"]
    lead = as_user("lead")
    response = lead.post(
        f"/programmes/{row.slug}/criteria/",
        {f"weight-{first}": "7", "revision": str(row.revision)},
        follow=True,
    )
    assert "these weights are saved but not used" in response.content.decode()
