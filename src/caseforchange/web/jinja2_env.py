"""The Jinja2 environment: our templates, the NHS.UK frontend macros, and a few helpers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.http import HttpRequest
from django.templatetags.static import static
from django.urls import reverse
from jinja2 import ChainableUndefined, ChoiceLoader, Environment, FileSystemLoader, PackageLoader
from markupsafe import Markup

from caseforchange.reports.blocks import format_number


def url(name: str, *args: Any, **kwargs: Any) -> str:
    """Return the path of the named route (Django's ``reverse``)."""
    return reverse(name, args=args or None, kwargs=kwargs or None)


def when(value: dt.datetime | None) -> str:
    """Return a timestamp as people read it in the UK, in local time."""
    if value is None:
        return ""
    from django.utils import timezone

    return timezone.localtime(value).strftime("%-d %b %Y %H:%M")


def number(value: float | None, places: int = 2) -> str:
    """Return a number with ``places`` decimals, or a dash when missing."""
    if value is None:
        return "—"
    return f"{value:.{places}f}"


def gbp(value: float | None) -> str:
    """Return an amount in whole pounds as the reports show it (£1,966,184), or a dash."""
    if value is None:
        return "—"
    return format_number(value, "gbp")


def constant_fragments(env: Environment) -> Callable[[str], Markup]:
    """Return ``constant(name)``: a context-free template's HTML, rendered once per process.

    The NHS.UK skip link, anonymous header and footer are the same on every phone page; built
    from the frontend's generic macros they were a fifth of a busy workshop's server time.
    With ``auto_reload`` (development) they are rendered afresh each time.
    """
    rendered: dict[str, Markup] = {}

    def constant(name: str) -> Markup:
        if env.auto_reload or name not in rendered:
            rendered[name] = Markup(env.get_template(name).render())
        return rendered[name]

    return constant


def environment(**options: Any) -> Environment:
    """Return the Jinja2 environment Django's backend renders with."""
    template_dirs = options.pop("loader", None)
    del template_dirs  # Django passes none when DIRS are given; we build our own loader.
    options["undefined"] = ChainableUndefined
    options["autoescape"] = True
    dirs = [str(d) for d in settings.TEMPLATES[0]["DIRS"]]
    options["loader"] = ChoiceLoader(
        [FileSystemLoader(dirs), PackageLoader("nhsuk_frontend_jinja")]
    )
    env = Environment(**options)
    env.globals.update(static=static, url=url, constant=constant_fragments(env))
    env.filters.update(when=when, number=number, gbp=gbp)
    return env


def page_context(request: HttpRequest) -> dict[str, Any]:
    """Variables every page needs: the CSP nonce, the asset path and flash messages."""
    return {
        "cspNonce": getattr(request, "csp_nonce", ""),
        "assetPath": static("nhsuk/assets"),
        "messages": list(get_messages(request)),
        "user": getattr(request, "user", None),
    }
