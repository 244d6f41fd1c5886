"""Map flow rows to the engine's flow model and back, auditing every change.

The only place that reads or writes :class:`FlowRecord` and :class:`FlowRun` documents:
views get validated :class:`FlowModel` objects from here. Validation is the command line's own
(:func:`caseforchange.io.flow_file.validate_flow_model`), so a web edit is held to the same
rules and limits as ``flow.yaml``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from caseforchange.domain.problems import InvalidInput, Problem
from caseforchange.flow.model import FlowModel
from caseforchange.io.flow_file import validate_flow_model
from caseforchange.io.yamlsource import SourceMap
from caseforchange.web.audit.chain import Change, record_many
from caseforchange.web.flow.models import FlowRecord, FlowRun
from caseforchange.web.programmes.models import ProgrammeRecord
from caseforchange.web.programmes.repository import MAX_FIELD_ENTRIES, changes

#: Where problems with a web edit of the flow model are said to be.
WHERE = "flow model"


class StaleFlowEdit(Exception):
    """Raised when someone else saved the flow model since the editor loaded it."""


def flow_document(model: FlowModel) -> dict[str, Any]:
    """Return the flow model as plain JSON data: the fields its reader set, as in the file."""
    return model.model_dump(mode="json", exclude_unset=True)


def sha256_of(document: dict[str, Any]) -> str:
    """Return the SHA-256 of a flow document's canonical JSON."""
    text = json.dumps(document, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def validate(data: Any, where: str = WHERE) -> FlowModel:
    """Validate raw flow data as ``flow.yaml`` is validated.

    Raises:
        InvalidInput: every problem, located at ``where`` and the field path.
    """
    return validate_flow_model(data, SourceMap(default=where))


@dataclass
class FlowState:
    """A programme's stored flow model (``record`` None and ``model`` None when there is none).

    ``problems`` says why a stored model no longer passes the checks (made by an earlier
    version with looser rules); ``model`` is then None until a new file replaces it.
    """

    record: FlowRecord | None
    model: FlowModel | None
    problems: list[Problem] = field(default_factory=list)

    @property
    def data(self) -> dict[str, Any]:
        """Return a fresh copy of the stored document, ready to change."""
        if self.record is None:
            return {}
        copied: dict[str, Any] = json.loads(json.dumps(self.record.document))
        return copied


def load(row: ProgrammeRecord) -> FlowState:
    """Return the programme's flow model as stored (both None when it has none)."""
    record = FlowRecord.objects.filter(programme=row).first()
    if record is None:
        return FlowState(None, None)
    try:
        return FlowState(record, validate(record.document))
    except InvalidInput as error:
        return FlowState(record, None, error.problems)


def store(row: ProgrammeRecord, model: FlowModel, name: str, actor: str) -> FlowRecord:
    """Store a whole flow model for ``row`` (from a file), replacing any earlier one; audit it."""
    document = flow_document(model)
    digest = sha256_of(document)
    with transaction.atomic():
        record = FlowRecord.objects.select_for_update().filter(programme=row).first()
        before = None
        if record is None:
            record = FlowRecord(programme=row)
        else:
            before = {"sha256": record.sha256, "revision": record.revision}
            record.revision += 1
        record.document = document
        record.source_name = name[:200]
        record.sha256 = digest
        record.save()
        record_many(
            [
                Change(
                    actor,
                    "flow model stored",
                    f"{row.slug}:flow",
                    row.slug,
                    before,
                    {
                        "sha256": digest,
                        "file": name,
                        "teams": len(model.teams),
                        "scenarios": len(model.scenarios),
                    },
                )
            ]
        )
    return record


def save(
    row: ProgrammeRecord, data: dict[str, Any], actor: str, action: str, revision: int
) -> list[tuple[str, Any, Any]]:
    """Validate changed flow data and store it, auditing each changed figure.

    ``revision`` is the flow revision the editor started from; a later save by someone else
    wins and this one is refused rather than silently overwriting it.

    Returns:
        The changes made, as (path, before, after); empty when nothing changed.

    Raises:
        InvalidInput: the data break the flow model's rules (nothing is stored).
        StaleFlowEdit: the flow model changed since ``revision``, or the programme is archived.
    """
    model = validate(data)
    document = flow_document(model)
    with transaction.atomic():
        record = FlowRecord.objects.select_for_update().filter(programme=row).first()
        if record is None:
            raise StaleFlowEdit("the programme has no flow model")
        if record.revision != revision:
            raise StaleFlowEdit(
                f"the flow model changed (revision {record.revision}) since you began"
            )
        if ProgrammeRecord.objects.filter(pk=row.pk, archived_at__isnull=False).exists():
            raise StaleFlowEdit("the programme is archived: restore it before changing it")
        found = changes(record.document, document)
        if not found:
            return []
        record.document = document
        record.sha256 = sha256_of(document)
        record.revision += 1
        record.save()
        if len(found) > MAX_FIELD_ENTRIES:
            entries = [
                Change(
                    actor,
                    f"{action} (replaced)",
                    f"{row.slug}:flow",
                    row.slug,
                    None,
                    {"sha256": record.sha256, "changed_fields": len(found)},
                )
            ]
        else:
            entries = [
                Change(actor, action, f"{row.slug}:flow.{path}", row.slug, old, new)
                for path, old, new in found
            ]
        record_many(entries)
    return found


def new_run(
    row: ProgrammeRecord,
    record: FlowRecord,
    scenarios: list[str],
    replications: int,
    seed: int,
    user: Any,
) -> FlowRun:
    """Record a requested run of the stored flow model (a copy of it, as it is now)."""
    return FlowRun.objects.create(
        programme=row,
        flow_revision=record.revision,
        document=record.document,
        scenarios=scenarios,
        replications=replications,
        seed=seed,
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )


def run_model_of(run: FlowRun) -> FlowModel:
    """Return the flow model a run was requested for, validated again.

    Raises:
        InvalidInput: the stored copy no longer validates (it did when the run was asked for).
    """
    return validate(run.document, f"run {run.pk}")


def mark_progress(run_id: int, done: int, total: int) -> None:
    """Record how many replications of a run are done (status running)."""
    FlowRun.objects.filter(pk=run_id).update(status=FlowRun.RUNNING, done=done, total=total)


def finish(run_id: int, result: dict[str, Any] | None, error: str = "") -> None:
    """Record a run's result (done) or its error (failed)."""
    FlowRun.objects.filter(pk=run_id).update(
        status=FlowRun.FAILED if error else FlowRun.DONE,
        result=result,
        error=error,
        finished_at=timezone.now(),
    )


def problems_text(error: InvalidInput) -> str:
    """Return an error's problems, one per line, as the command line prints them."""
    return "\n".join(p.render() for p in error.problems)
