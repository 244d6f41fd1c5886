"""The Jinja2 environment's helpers."""

from __future__ import annotations

from typing import Any

from django.test import Client
from jinja2 import DictLoader, Environment

from caseforchange.web.jinja2_env import constant_fragments, gbp


class CountingLoader(DictLoader):
    """A loader that counts how often a template's source is read."""

    def __init__(self, mapping: dict[str, str]) -> None:
        super().__init__(mapping)
        self.reads = 0

    def get_source(self, environment: Environment, template: str) -> Any:
        self.reads += 1
        return super().get_source(environment, template)


def test_a_constant_fragment_renders_once_without_auto_reload() -> None:
    loader = CountingLoader({"f.jinja": "<b>{{ 6 * 7 }}</b>"})
    env = Environment(loader=loader, auto_reload=False, cache_size=0)
    constant = constant_fragments(env)
    assert constant("f.jinja") == "<b>42</b>"
    assert constant("f.jinja") == "<b>42</b>"
    assert loader.reads == 1


def test_a_constant_fragment_is_rendered_afresh_with_auto_reload() -> None:
    loader = CountingLoader({"f.jinja": "<b>{{ 6 * 7 }}</b>"})
    env = Environment(loader=loader, auto_reload=True, cache_size=0)
    constant = constant_fragments(env)
    constant("f.jinja")
    constant("f.jinja")
    assert loader.reads == 2


def test_pages_keep_their_header_and_footer(db: Any, as_user: Any) -> None:
    phone = Client().get("/join/").content.decode()
    assert phone.count('class="nhsuk-header') >= 1 and "Join a session" in phone
    assert "Skip to main content" in phone and "MIT licence" in phone
    assert "Sign out" not in phone
    lead = as_user("lead").get("/programmes/").content.decode()
    assert "Sign out lead" in lead and "MIT licence" in lead


def test_money_reads_in_whole_pounds_as_in_the_reports() -> None:
    assert gbp(1_966_183.57) == "£1,966,184"
    assert gbp(0) == "£0" and gbp(None) == "—"
