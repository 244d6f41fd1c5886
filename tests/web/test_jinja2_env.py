"""The Jinja2 environment's helpers."""

from __future__ import annotations

from typing import Any

from django.templatetags.static import static
from django.test import Client
from django.urls import reverse, set_script_prefix
from jinja2 import ChoiceLoader, DictLoader, Environment, PackageLoader, Undefined
from markupsafe import Markup

from caseforchange.web.jinja2_env import (
    component_renderer,
    constant_fragments,
    environment,
    gbp,
    kept_urls,
)


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


def _frontend(auto_reload: bool) -> tuple[Environment, CountingLoader]:
    """An environment with the NHS.UK macros and a counting stand-in for the button's."""
    counting = CountingLoader(
        {
            "nhsuk/components/button/macro.jinja": (
                "{% macro button(params) %}<b>{{ params.text }}</b>"
                "{% if params.html %}{{ params.html }}{% endif %}{% endmacro %}"
            )
        }
    )
    loader = ChoiceLoader([counting, PackageLoader("nhsuk_frontend_jinja")])
    env = Environment(loader=loader, auto_reload=auto_reload, autoescape=True, cache_size=0)
    return env, counting


def test_a_component_equals_the_frontends_macro_and_is_kept_per_parameters() -> None:
    env = Environment(
        loader=PackageLoader("nhsuk_frontend_jinja"), autoescape=True, auto_reload=False
    )
    nhs = component_renderer(env)
    params = {"href": "/w/", "text": "All options <back>"}
    direct = env.from_string(
        '{% from "nhsuk/components/back-link/macro.jinja" import backLink %}{{ backLink(p) }}'
    ).render(p=params)
    assert nhs("back-link", params) == Markup(direct)
    assert "All options &lt;back&gt;" in direct  # text is escaped by the macro, as before
    assert nhs("back-link", dict(params)) is nhs("back-link", params)  # kept, not re-rendered


def test_html_text_and_missing_values_are_kept_apart() -> None:
    env, _ = _frontend(auto_reload=False)
    nhs = component_renderer(env)
    as_text = nhs("button", {"text": "x", "html": "<i>y</i>"})
    as_html = nhs("button", {"text": "x", "html": Markup("<i>y</i>")})
    missing = nhs("button", {"text": "x", "html": Undefined()})
    assert "&lt;i&gt;y&lt;/i&gt;" in as_text and "<i>y</i>" in as_html
    assert missing == Markup("<b>x</b>")


def test_components_are_rendered_afresh_with_auto_reload() -> None:
    env, counting = _frontend(auto_reload=True)
    nhs = component_renderer(env)
    assert nhs("button", {"text": "a"}) == nhs("button", {"text": "a"}) == Markup("<b>a</b>")
    assert counting.reads >= 2  # the macro's source is read again each time


def test_parameters_that_are_not_plain_values_are_never_kept() -> None:
    env, _ = _frontend(auto_reload=False)
    nhs = component_renderer(env)

    class Label:
        def __init__(self, text: str) -> None:
            self.text = text

        def __str__(self) -> str:
            return self.text

    label = Label("first")
    assert nhs("button", {"text": label}) == Markup("<b>first</b>")
    label.text = "second"
    assert nhs("button", {"text": label}) == Markup("<b>second</b>")


def test_kept_routes_and_assets_equal_django_s_own(db: Any) -> None:
    del db
    url, kept_static = kept_urls(Environment(auto_reload=False))
    assert url("workshops:join") == reverse("workshops:join") == "/join/"
    assert url("workshops:score", option="o-1") == "/w/score/o-1/"
    assert url("workshops:score", option="o-2") == "/w/score/o-2/"  # arguments are in the key
    assert kept_static("caseforchange/app.css") == static("caseforchange/app.css")


def test_a_kept_route_follows_the_script_prefix() -> None:
    url, _ = kept_urls(Environment(auto_reload=False))
    assert url("workshops:join") == "/join/"
    set_script_prefix("/cfc/")  # mounted under /cfc/ by a proxy
    try:
        assert url("workshops:join") == "/cfc/join/"
    finally:
        set_script_prefix("/")
    assert url("workshops:join") == "/join/"


def test_the_web_environment_escapes_html_whatever_django_passes() -> None:
    # Django's backend passes its own autoescape and undefined; the factory's choices win.
    env = environment(autoescape=False, undefined=None, auto_reload=False)
    hostile = "<img src=x onerror=alert(1)>"
    assert env.from_string("{{ v }}").render(v=hostile) == "&lt;img src=x onerror=alert(1)&gt;"
    assert env.from_string("[{{ missing.deeper }}]").render() == "[]"
    assert "url" in env.globals and "gbp" in env.filters
