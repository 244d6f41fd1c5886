"""The kinds of result a job can build: a registry from kind to builder function.

A builder takes the frozen inputs, the parameters and a progress callback, and returns bytes
(a file to download) or JSON data (something a page shows). Register one at import time,
typically from an app's ``ready()`` or a module listed in ``JOB_BUILDER_MODULES``::

    from caseforchange.web.jobs.registry import register

    @register("flow", content_type="application/json")
    def build_flow(snapshot, params, progress):
        progress(10, "Running the model")
        ...
        return {"figures": ...}
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:  # the registry imports no models, so builders may register before setup
    from caseforchange.web.jobs.snapshot import Snapshot

#: A result's payload: the bytes of a file, or JSON data.
Payload = bytes | dict[str, Any] | list[Any]


class Progress(Protocol):
    """Report how far a job has got: a percentage 0-100 and a short message for people."""

    def __call__(self, percent: int, message: str = "") -> None:
        """Record the progress (it is shown by the page polling the job)."""


Builder = Callable[["Snapshot", dict[str, Any], Progress], Payload]


@dataclass(frozen=True)
class Kind:
    """A registered kind of result: its builder, the content type of its bytes, its label."""

    name: str
    builder: Builder
    content_type: str = "application/json"
    label: str = ""


_KINDS: dict[str, Kind] = {}


class UnknownKind(KeyError):
    """Raised when no builder is registered for a kind."""


def register(
    kind: str, *, content_type: str = "application/json", label: str = ""
) -> Callable[[Builder], Builder]:
    """Return a decorator that registers ``builder`` for ``kind`` (replacing any earlier one).

    Returns:
        The decorator, which returns the builder unchanged.

    Raises:
        ValueError: when ``kind`` is empty or longer than 40 characters.
    """
    if not kind or len(kind) > 40:
        raise ValueError(f"a result kind is 1 to 40 characters, not {kind!r}")

    def decorate(builder: Builder) -> Builder:
        _KINDS[kind] = Kind(kind, builder, content_type, label or kind)
        return builder

    return decorate


def kind_of(kind: str) -> Kind:
    """Return the registered kind.

    Raises:
        UnknownKind: when nothing is registered under that name.
    """
    try:
        return _KINDS[kind]
    except KeyError:
        raise UnknownKind(kind) from None


def kinds() -> list[str]:
    """Return the names of the registered kinds, sorted."""
    return sorted(_KINDS)
