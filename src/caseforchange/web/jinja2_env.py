"""The Jinja2 environment: our templates, the NHS.UK frontend macros, and a few helpers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable
from functools import lru_cache
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.contrib.messages import get_messages
from django.http import HttpRequest
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse
from jinja2 import ChainableUndefined, Environment, FileSystemLoader, PackageLoader, Undefined
from markupsafe import Markup

from caseforchange.reports.blocks import format_number
from caseforchange.reports.templating import new_environment


def url(name: str, *args: Any, **kwargs: Any) -> str:
    """Return the path of the named route (Django's ``reverse``)."""
    return reverse(name, args=args or None, kwargs=kwargs or None)


def kept_urls(env: Environment) -> tuple[Callable[..., str], Callable[[str], str]]:
    """Return ``url()`` and ``static()`` for templates, each answer kept per process.

    A phone page asks for the same few routes and asset paths on every request; working them
    out again (Django's reverse, the static files storage) was a fifth of rendering its page.
    A route's path depends only on its name and arguments, the URL configuration and the
    script prefix (the proxy's mount point), which are all in the key; an asset's only on its
    path. With ``auto_reload`` (development) nothing is kept.
    """
    routes: Kept[str] = Kept(env)
    assets: Kept[str] = Kept(env)

    def kept_url(name: str, *args: Any, **kwargs: Any) -> str:
        try:
            urlconf = get_urlconf() or settings.ROOT_URLCONF
            key = (get_script_prefix(), urlconf, name, args, tuple(sorted(kwargs.items())))
            hash(key)
        except TypeError:  # an unhashable argument: work it out each time
            return url(name, *args, **kwargs)
        return routes.get(key, lambda: url(name, *args, **kwargs))

    def kept_static(path: str) -> str:
        return assets.get(path, lambda: static(path))

    return kept_url, kept_static


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
    rendered: Kept[Markup] = Kept(env)

    def constant(name: str) -> Markup:
        return rendered.get(name, lambda: Markup(env.get_template(name).render()))

    return constant


#: How many answers each :class:`Kept` holds per process (a rendered component is a few
#: hundred bytes of HTML).
COMPONENT_CACHE_SIZE = 2048

T = TypeVar("T")


class Kept(Generic[T]):
    """Answers worked out once per process and kept by key: routes, fragments, components.

    At most ``COMPONENT_CACHE_SIZE`` are kept; past that the store starts again rather than
    track the least used (rare: pages ask for a few distinct ones). With the environment's
    ``auto_reload`` (development) every answer is worked out afresh, so an edited template
    shows at once.
    """

    def __init__(self, env: Environment) -> None:
        self._env = env
        self._found: dict[Hashable, T] = {}

    def get(self, key: Hashable, build: Callable[[], T]) -> T:
        """Return the answer kept under ``key``, or ``build()``'s, kept from now on."""
        found = self._found.get(key)
        if found is None or self._env.auto_reload:
            found = build()
            if len(self._found) >= COMPONENT_CACHE_SIZE:
                self._found.clear()
            self._found[key] = found
        return found


def plain_key(value: Any) -> Any:
    """Return a hashable key for a macro's parameters, or raise TypeError for others.

    HTML (``Markup``) and text with the same characters render differently, and so do a
    missing value and an empty one: each keeps its own kind in the key.
    """
    if isinstance(value, Markup):
        return ("html", str(value))
    if value is None or isinstance(value, (str, int, float)):  # bool is an int
        return (type(value).__name__, value)
    if isinstance(value, Undefined):
        return ("undefined",)
    if isinstance(value, dict):
        return ("dict", tuple(sorted((str(k), plain_key(v)) for k, v in value.items())))
    if isinstance(value, (list, tuple)):
        return ("list", tuple(plain_key(v) for v in value))
    raise TypeError(f"not a plain parameter: {type(value).__name__}")


def component_renderer(env: Environment) -> Callable[[str, dict[str, Any]], Markup]:
    """Return ``nhs(name, params)``: an NHS.UK frontend component's HTML, remembered by params.

    The frontend's macros are pure functions of their parameters, but generic and slow (an
    input with its label and hint took a millisecond). Phone pages call them with the same
    few parameters again and again, so each distinct call is rendered once per process and
    kept, up to ``COMPONENT_CACHE_SIZE`` of them. Parameters holding anything but plain
    values (text, numbers, lists, dicts) are rendered every time. With ``auto_reload``
    (development) nothing is kept.
    """
    rendered: Kept[Markup] = Kept(env)

    def nhs(name: str, params: dict[str, Any]) -> Markup:
        try:
            key = (name, plain_key(params))
        except TypeError:
            return _render_component(env, name, params)
        return rendered.get(key, lambda: _render_component(env, name, params))

    return nhs


def _render_component(env: Environment, name: str, params: dict[str, Any]) -> Markup:
    """Render the frontend's ``name`` component (``back-link`` is the macro ``backLink``)."""
    first, *rest = name.split("-")
    module = env.get_template(f"nhsuk/components/{name}/macro.jinja").module
    return Markup(getattr(module, first + "".join(r.capitalize() for r in rest))(params))


def environment(**options: Any) -> Environment:
    """Return the Jinja2 environment Django's backend renders with (always escaping HTML)."""
    # Django passes its own loader, autoescape and undefined; the factory decides those.
    for decided in ("loader", "autoescape", "undefined"):
        options.pop(decided, None)
    dirs = [str(d) for d in settings.TEMPLATES[0]["DIRS"]]
    env = new_environment(
        [FileSystemLoader(dirs), PackageLoader("nhsuk_frontend_jinja")],
        undefined=ChainableUndefined,
        **options,
    )
    kept_url, kept_static = kept_urls(env)
    env.globals.update(
        static=kept_static,
        url=kept_url,
        constant=constant_fragments(env),
        nhs=component_renderer(env),
    )
    env.filters.update(when=when, number=number, gbp=gbp)
    return env


@lru_cache(maxsize=4)
def _asset_path(static_url: str) -> str:
    """Return the NHS.UK assets' path under ``static_url`` (the key: it is all it depends on)."""
    del static_url
    return static("nhsuk/assets")


def page_context(request: HttpRequest) -> dict[str, Any]:
    """Variables every page needs: the CSP nonce, the asset path and flash messages."""
    return {
        "cspNonce": getattr(request, "csp_nonce", ""),
        "assetPath": _asset_path(settings.STATIC_URL),
        "messages": list(get_messages(request)),
        "user": getattr(request, "user", None),
    }
