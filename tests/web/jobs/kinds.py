"""Kinds of result registered for the jobs tests: quick, counted, able to fail."""

from __future__ import annotations

from typing import Any

from caseforchange.domain.problems import InvalidInput, Problem
from caseforchange.web.jobs.registry import Payload, Progress, register
from caseforchange.web.jobs.snapshot import Snapshot

CALLS: list[dict[str, Any]] = []


@register("test.echo", label="Echo")
def build_echo(snapshot: Snapshot, params: dict[str, Any], progress: Progress) -> Payload:
    """Return the revision, the first option's name and the parameters; count the calls."""
    progress(50, "half way")
    CALLS.append(params)
    if params.get("fail"):
        raise InvalidInput(
            [Problem(("options", 0, "name"), "is not a good name", "programme.yaml")]
        )
    return {
        "revision": snapshot.revision,
        "first": snapshot.data["options"][0]["name"],
        "params": params,
    }


@register("test.bytes", content_type="text/plain")
def build_bytes(snapshot: Snapshot, params: dict[str, Any], progress: Progress) -> Payload:
    """Return the programme's slug as bytes."""
    return snapshot.slug.encode("ascii")
