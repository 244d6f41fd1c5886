"""Map programme rows to the engine's domain objects and back, auditing every change.

The only place that reads or writes :class:`ProgrammeRecord` documents: views hand this module
validated :class:`Programme` objects and get them back, so the engine never sees the ORM.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from django.db import transaction

from caseforchange.domain.problems import InvalidInput, Problem
from caseforchange.domain.programme import Programme
from caseforchange.io.folder import LoadedProgramme, programme_document
from caseforchange.io.validation import validate_programme
from caseforchange.io.yamlsource import SourceMap
from caseforchange.web.audit.chain import record
from caseforchange.web.programmes.models import ProgrammeRecord

#: Above this many changed fields one edit is recorded as a single "replaced" entry.
MAX_FIELD_ENTRIES = 400


class StaleEdit(Exception):
    """Raised when someone else saved the programme since the editor loaded it."""


def score_documents(programme: Programme) -> list[dict[str, Any]]:
    """Return the programme's scores as plain JSON records, without empty fields."""
    return [s.model_dump(mode="json", exclude_none=True) for s in programme.scores]


def data_of(row: ProgrammeRecord) -> dict[str, Any]:
    """Return the raw programme data of a row (document plus scores), a fresh copy."""
    data: dict[str, Any] = json.loads(json.dumps(row.document))
    data["scores"] = json.loads(json.dumps(row.scores))
    return data


def validate(data: dict[str, Any], where: str) -> Programme:
    """Validate raw programme data as the file importers do.

    Raises:
        InvalidInput: every problem, located at ``where`` and the field path.
    """
    return validate_programme(data, SourceMap(default=where))


def to_programme(row: ProgrammeRecord) -> Programme:
    """Return the validated domain programme stored in ``row``."""
    return validate(data_of(row), f"programme {row.slug}")


def loaded(row: ProgrammeRecord) -> LoadedProgramme:
    """Return the programme as the reports expect it: a LoadedProgramme with its hashes."""
    hashes = dict(row.file_hashes)
    hashes["database revision"] = str(row.revision)
    return LoadedProgramme(to_programme(row), Path(row.slug), hashes)


def digest(programme: Programme) -> str:
    """Return the SHA-256 of the programme's canonical JSON (document plus scores)."""
    text = json.dumps(
        {"document": programme_document(programme), "scores": score_documents(programme)},
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _score_key(item: dict[str, Any]) -> str:
    return "/".join(str(item.get(k) or "-") for k in ("option", "criterion", "panel", "member"))


def flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    """Return every figure of a programme document keyed by a stable, readable path.

    Lists of records with ids are keyed by id (``options[bau].name``), so a figure keeps its
    path when records are reordered; scores by option/criterion/panel/member.
    """
    out: dict[str, Any] = {}
    if isinstance(data, dict):
        for key, value in data.items():
            out.update(flatten(value, f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(data, list) and data and all(isinstance(x, dict) for x in data):
        if prefix == "scores":
            for item in data:
                out.update(flatten(item, f"scores[{_score_key(item)}]"))
        elif all("id" in x for x in data):
            for item in data:
                out.update(flatten(item, f"{prefix}[{item['id']}]"))
        else:
            out[prefix] = data
    else:
        out[prefix] = data
    return out


def id_orders(data: Any, prefix: str = "") -> dict[str, list[str]]:
    """Return the order of the ids in every list of records with ids, keyed as ``flatten``."""
    out: dict[str, list[str]] = {}
    if isinstance(data, dict):
        for key, value in data.items():
            out.update(id_orders(value, f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(data, list) and data and all(isinstance(x, dict) and "id" in x for x in data):
        out[prefix] = [str(x["id"]) for x in data]
        for item in data:
            out.update(id_orders(item, f"{prefix}[{item['id']}]"))
    return out


def changes(before: dict[str, Any], after: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """Return (path, before, after) for every figure that differs, and every reordered list.

    ``flatten`` keys records by id, so records that only change places change no figure; such
    a list is reported once, as ``<list>.order`` with the ids before and after.
    """
    old, new = flatten(before), flatten(after)
    keys = list(dict.fromkeys([*old, *new]))
    found = [(k, old.get(k), new.get(k)) for k in keys if old.get(k) != new.get(k)]
    old_orders = id_orders(before)
    for key, ids in id_orders(after).items():
        was = old_orders.get(key)
        # Only a pure reorder: records added or removed are already reported field by field.
        if was is not None and was != ids and sorted(was) == sorted(ids):
            found.append((f"{key}.order", was, ids))
    return found


def data_of_programme(programme: Programme) -> dict[str, Any]:
    """Return a programme as raw data (document plus scores), ready to change and validate."""
    return {**programme_document(programme), "scores": score_documents(programme)}


_full = data_of_programme


def create(
    programme: Programme, actor: str, file_hashes: dict[str, str], action: str
) -> ProgrammeRecord:
    """Store a new programme and record its creation in the audit trail.

    Raises:
        InvalidInput: when a programme with the same id already exists.
    """
    with transaction.atomic():
        if ProgrammeRecord.objects.filter(slug=programme.id).exists():
            raise InvalidInput(
                [Problem(("id",), f"a programme with id '{programme.id}' already exists")]
            )
        row = ProgrammeRecord.objects.create(
            slug=programme.id,
            title=programme.title,
            document=programme_document(programme),
            scores=score_documents(programme),
            file_hashes=file_hashes,
        )
        record(
            actor,
            action,
            f"{programme.id}:programme",
            programme=programme.id,
            after={
                "sha256": digest(programme),
                "options": len(programme.options),
                "scores": len(programme.scores),
                "files": file_hashes,
            },
        )
    return row


def save(
    row: ProgrammeRecord, programme: Programme, actor: str, action: str, revision: int
) -> list[tuple[str, Any, Any]]:
    """Replace the stored programme with ``programme`` and audit each changed figure.

    ``revision`` is the revision the editor started from; a later save by someone else wins
    and this one is refused, rather than silently overwriting it.

    Returns:
        The changes made, as (path, before, after).

    Raises:
        StaleEdit: when the programme changed since ``revision``, or is archived.
    """
    with transaction.atomic():
        current = ProgrammeRecord.objects.select_for_update().get(pk=row.pk)
        if current.revision != revision:
            raise StaleEdit(f"the programme changed (revision {current.revision}) since you began")
        if current.archived_at is not None:
            raise StaleEdit("the programme is archived: restore it before changing it")
        before = data_of(current)
        after = _full(programme)
        found = changes(before, after)
        if not found:
            return []
        current.document = programme_document(programme)
        current.scores = score_documents(programme)
        current.title = programme.title
        current.revision += 1
        current.save()
        if len(found) > MAX_FIELD_ENTRIES:
            record(
                actor,
                f"{action} (replaced)",
                f"{current.slug}:programme",
                programme=current.slug,
                before={"fields": len(flatten(before))},
                after={"sha256": digest(programme), "changed_fields": len(found)},
            )
        else:
            for path, old, new in found:
                record(
                    actor,
                    action,
                    f"{current.slug}:{path}",
                    programme=current.slug,
                    before=old,
                    after=new,
                )
    row.refresh_from_db()
    return found
