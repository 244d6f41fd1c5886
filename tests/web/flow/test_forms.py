"""Flow forms: where each field is in the document, and which field a problem belongs to."""

from __future__ import annotations

import pytest
from django.http import Http404, QueryDict

from caseforchange.domain.problems import Problem
from caseforchange.io.flow_file import parse_flow_model
from caseforchange.web.flow import forms
from caseforchange.web.flow.repository import flow_document

from .conftest import SMALL


def _data() -> dict[str, object]:
    return flow_document(parse_flow_model(SMALL))


def test_a_bed_pool_form_asks_for_beds_and_its_duration_figures() -> None:
    form = forms.team_form(_data(), "base", "beds")
    names = [f.name for f in form.fields()]
    assert names == ["beds", "service-low", "service-mode", "service-high", "queue_limit"]
    assert form.values["beds"] == "4" and form.values["service-high"] == "4"
    with pytest.raises(Http404):
        forms.team_form(_data(), "base", "nobody")


def test_posted_text_is_written_and_a_blank_optional_figure_is_removed() -> None:
    data = _data()
    form = forms.team_form(data, "base", "nursing")
    forms.apply(form, data, QueryDict("staff=12&service-mean=2&caseload_per_staff=&queue_limit=3"))
    team = data["teams"][0]  # type: ignore[index]
    assert team["staff"] == "12" and team["service"]["mean"] == "2" and team["queue_limit"] == "3"
    assert "caseload_per_staff" not in team and "hours_per_week" not in team


def test_problems_land_on_their_field_or_the_durations_first_field() -> None:
    form = forms.team_form(_data(), "base", "beds")
    at = ("teams", 1)
    assert forms.locate(form, Problem((*at, "beds"), "x")) == "beds"
    assert forms.locate(form, Problem((*at, "service", "triangular"), "x")) == "service-low"
    assert forms.locate(form, Problem((*at, "service", "triangular", "high"), "x")) == (
        "service-high"
    )
    assert forms.locate(form, Problem(("arrivals", 0, "per_week"), "x")) is None
