"""The shared edit-page steps and the typed error item, apart from any one page."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.messages.storage.fallback import FallbackStorage
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from caseforchange.domain.problems import Problem
from caseforchange.web.edit_view import EditForm, Saved, edit_page, posted_revision
from caseforchange.web.errors import ErrorItem, error_list


def test_an_item_on_a_field_names_its_label_and_links_to_the_field() -> None:
    item = ErrorItem.of(Problem(("options", 0, "name"), "is missing"), "name", "Name")
    assert item == ErrorItem("Name: is missing", "#f-name")


def test_an_item_off_the_form_names_its_path_or_stands_alone() -> None:
    assert ErrorItem.of(Problem(("options", 0, "name"), "too long")) == ErrorItem(
        "options[0].name: too long", "#maincontent"
    )
    assert ErrorItem.of(Problem((), "the programme changed")) == ErrorItem(
        "the programme changed", "#maincontent"
    )
    described = ErrorItem.of(Problem(("a", 1), "odd"), describe=lambda path: "the second a")
    assert described.text == "the second a: odd"


def test_an_item_on_a_named_field_uses_the_fields_id() -> None:
    assert ErrorItem.on("decision_date", "Enter a date").href == "#f-decision-date"


def test_error_list_places_problems_by_the_last_field_it_knows() -> None:
    problems = [Problem(("services", 2, "budget_gbp"), "not a number"), Problem((), "whole")]
    items = error_list(problems, {"budget_gbp": "budget"}, {"budget": "Budget"})
    assert items == [
        ErrorItem("Budget: not a number", "#f-budget"),
        ErrorItem("(file): whole", "#maincontent"),
    ]


@pytest.mark.parametrize(
    ("post", "missing", "expected"),
    [({"revision": "7"}, 3, 7), ({}, 3, 3), ({}, -1, -1), ({"revision": "7a"}, 3, -1)],
)
def test_the_posted_revision(post: dict[str, str], missing: int, expected: int) -> None:
    assert posted_revision(post, missing) == expected


def _request(method: str, data: dict[str, str] | None = None) -> HttpRequest:
    factory = RequestFactory()
    request = factory.post("/x/", data or {}) if method == "POST" else factory.get("/x/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


class Page:
    """A stand-in page: records what the helper did with it."""

    def __init__(self, outcome: Saved | list[Problem]) -> None:
        self.outcome = outcome
        self.saved_at: int | None = None
        self.shown: EditForm | None = None

    def save(self, revision: int) -> Saved | list[Problem]:
        self.saved_at = revision
        return self.outcome

    def show(self, form: EditForm) -> HttpResponse:
        self.shown = form
        return HttpResponse("page")

    def run(self, request: HttpRequest, **options: Any) -> HttpResponse:
        return edit_page(
            request,
            EditForm({"name": "stored"}, 4),
            read=lambda post: {"name": str(post.get("name", ""))},
            save=self.save,
            place=lambda problems: (
                [ErrorItem.on("name", p.message) for p in problems],
                {"name": problems[0].message},
            ),
            show=self.show,
            **options,
        )


def test_a_get_shows_the_stored_values_and_saves_nothing() -> None:
    page = Page(Saved("done", "/next/"))
    assert page.run(_request("GET")).status_code == 200
    assert page.saved_at is None
    assert page.shown == EditForm({"name": "stored"}, 4)


def test_a_saved_post_says_so_and_redirects() -> None:
    page = Page(Saved("Saved the name.", "/next/"))
    request = _request("POST", {"revision": "4", "name": "new"})
    response = page.run(request)
    assert (response.status_code, response["Location"]) == (302, "/next/")
    assert page.saved_at == 4 and page.shown is None
    assert [str(m) for m in request._messages] == ["Saved the name."]


def test_a_post_with_problems_shows_what_was_typed_with_its_problems() -> None:
    page = Page([Problem(("name",), "is too long")])
    response = page.run(_request("POST", {"revision": "3", "name": "typed"}))
    assert response.status_code == 200
    assert page.shown == EditForm(
        {"name": "typed"}, 3, [ErrorItem("is too long", "#f-name")], {"name": "is too long"}
    )


def test_a_post_without_its_revision_is_stale_where_the_page_says_so() -> None:
    page = Page([Problem((), "stale")])
    page.run(_request("POST", {"name": "typed"}), missing_revision=-1)
    assert page.saved_at == -1
    page.run(_request("POST", {"name": "typed"}))
    assert page.saved_at == 4
