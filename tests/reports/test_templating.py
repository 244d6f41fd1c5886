"""The one Jinja environment factory: HTML escaped by default, strict names, callers' options."""

from __future__ import annotations

import pytest
from jinja2 import ChainableUndefined, DictLoader, UndefinedError

from caseforchange.reports.templating import environment, new_environment

HOSTILE = "<script>alert('x')</script> & co"
#: Worked by hand from the HTML escaping rules: <, >, ', & each become an entity.
ESCAPED = "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co"


def test_values_are_html_escaped_unless_the_caller_says_plain_text() -> None:
    loader = DictLoader({"t": "{{ value }}"})
    assert new_environment([loader]).get_template("t").render(value=HOSTILE) == ESCAPED
    plain = new_environment([loader], html=False)
    assert plain.get_template("t").render(value=HOSTILE) == HOSTILE


def test_an_unknown_name_is_an_error_unless_the_caller_chooses_otherwise() -> None:
    loader = DictLoader({"t": "[{{ missing.field }}]"})
    with pytest.raises(UndefinedError):
        new_environment([loader]).get_template("t").render()
    lenient = new_environment([loader], undefined=ChainableUndefined)
    assert lenient.get_template("t").render() == "[]"


def test_the_first_loader_with_a_name_wins_and_options_pass_through() -> None:
    first = DictLoader({"t": "first\n"})
    second = DictLoader({"t": "second", "u": "{% if true %}\nu{% endif %}"})
    env = new_environment([first, second], trim_blocks=True)
    assert env.get_template("t").render() == "first"
    assert env.get_template("u").render() == "u"  # trim_blocks ate the newline after the tag


def test_the_reports_environment_comes_from_the_factory_and_escapes_html() -> None:
    env = environment()
    assert env.autoescape is True
    assert env.from_string("{{ v }}").render(v=HOSTILE) == ESCAPED
    assert environment(html=False).autoescape is False
