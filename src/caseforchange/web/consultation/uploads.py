"""Uploaded engagement files and survey exports, checked by the command line's own validators.

Nothing here writes to the database: each function returns validated data or raises
:class:`InvalidInput` with every problem located by the uploaded file's name, line (or
sheet row) and column, and the views store the result in one transaction.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.core.files.uploadedfile import UploadedFile

from caseforchange.domain.consultation import Engagement
from caseforchange.domain.problems import InvalidInput, Problem
from caseforchange.domain.programme import Programme
from caseforchange.io.responses import (
    ResponseMapping,
    builtin_mapping_path,
    builtin_mappings,
    convert_export,
    load_mapping,
    load_mapping_text,
)
from caseforchange.io.text import decode_bytes
from caseforchange.web.consultation.repository import (
    EngagementState,
    ImportedResponses,
    parse_engagement,
)
from caseforchange.web.uploads import check_size, upload_name

#: The kinds of survey export the importer reads.
EXPORT_SUFFIXES = (".csv", ".xlsx", ".xlsm")
#: The form value that asks for an uploaded mapping file instead of a shipped one.
OWN_MAPPING = "own"


class MappingInvalid(InvalidInput):
    """Raised when the chosen or uploaded mapping is the problem, not the export."""


def _fail(name: str | None, message: str, path: tuple[str, ...] = ()) -> InvalidInput:
    return InvalidInput([Problem(path, message, name)])


def _mapping_fail(name: str | None, message: str) -> MappingInvalid:
    return MappingInvalid([Problem(("mapping",), message, name)])


def read_engagement(upload: UploadedFile[bytes], programme: Programme) -> tuple[Engagement, str]:
    """Validate an uploaded ``engagement.yaml`` against the programme.

    Returns:
        The engagement data and the file's text (kept so an export gives it back as it came).

    Raises:
        InvalidInput: for a file too large, not UTF-8 or not YAML, or with any problem the
            command line reports, located as ``NAME:LINE`` and field.
    """
    name = upload_name(upload)
    check_size(upload)
    if Path(name).suffix.lower() not in (".yaml", ".yml"):
        raise _fail(name, "upload the engagement file as YAML (engagement.yaml)")
    text = decode_bytes(upload.read(), name, "utf-8").text
    return parse_engagement(text, name, programme), text


def _mapping(choice: str, upload: UploadedFile[bytes] | None) -> ResponseMapping:
    """Return the shipped mapping named ``choice``, or the uploaded one when ``choice`` is own."""
    if choice == OWN_MAPPING:
        if upload is None:
            raise _mapping_fail(None, "choose your mapping file, or pick a shipped mapping")
        name = upload_name(upload)
        try:
            check_size(upload)
        except InvalidInput as error:
            raise MappingInvalid(error.problems) from None
        if Path(name).suffix.lower() not in (".yaml", ".yml"):
            raise _mapping_fail(name, "a mapping file is YAML (.yaml)")
        try:
            text = decode_bytes(upload.read(), name, "utf-8").text
            return load_mapping_text(text, name)
        except InvalidInput as error:
            raise MappingInvalid(error.problems) from None
    if upload is not None:
        raise _mapping_fail(
            upload_name(upload),
            f"you chose the shipped mapping '{choice}' and also a mapping file; choose "
            "'my own mapping file' to use the file",
        )
    # Only shipped names reach load_mapping, never a path a user typed.
    if choice not in builtin_mappings():
        known = ", ".join(builtin_mappings())
        raise _mapping_fail(None, f"choose a mapping ({known}, or your own file)")
    try:
        return load_mapping(builtin_mapping_path(choice))
    except InvalidInput as error:
        raise MappingInvalid(error.problems) from None


def read_responses(
    programme: Programme,
    state: EngagementState,
    upload: UploadedFile[bytes],
    mapping_choice: str,
    mapping_upload: UploadedFile[bytes] | None,
    questionnaire: str | None,
    encoding: str | None = None,
) -> ImportedResponses:
    """Import a survey export through the engine's importer, all or nothing, in memory.

    ``encoding`` is the one chosen on the form (None or "" detects it, and the guess is
    returned in ``ImportedResponses.encoding``).

    Returns:
        The normalised rows (pseudonymous ids, personal columns dropped) and what was done.

    Raises:
        InvalidInput: for a file too large or of the wrong kind, a bad mapping, or any
            problem the importer finds, each located as ``FILE:LINE`` (``FILE:Sheet!ROW``)
            and column, with the uploaded file's own name.
    """
    name = upload_name(upload)
    check_size(upload)
    if Path(name).suffix.lower() not in EXPORT_SUFFIXES:
        raise _fail(name, "upload the survey export as CSV (.csv) or Excel (.xlsx)")
    if not state.engagement.questionnaires or state.record is None:
        raise _fail(name, "the engagement file has no questionnaires to import responses to")
    mapping = _mapping(mapping_choice, mapping_upload)
    if encoding:
        mapping = mapping.model_copy(update={"encoding": encoding})
    wanted = questionnaire or mapping.questionnaire
    chosen = state.engagement.questionnaire(wanted) if wanted else None
    if chosen is None and wanted is None and len(state.engagement.questionnaires) == 1:
        chosen = state.engagement.questionnaires[0]
    if chosen is None:
        known = ", ".join(q.id for q in state.engagement.questionnaires)
        what = f"unknown questionnaire '{wanted}'" if wanted else "say which questionnaire"
        raise _fail(name, f"{what} (known: {known})", ("questionnaire",))
    data = upload.read()
    converted = convert_export(
        data,
        name,
        mapping,
        chosen,
        salt=bytes.fromhex(state.record.salt),
        groups={g.id for g in programme.stakeholders},
    )
    decoded = converted.decoded
    return ImportedResponses(
        questionnaire=converted.questionnaire,
        csv_text=converted.csv_text,
        rows=converted.rows,
        file_name=name,
        file_sha256=hashlib.sha256(data).hexdigest(),
        mapping=mapping.name,
        dropped=converted.dropped,
        kept=converted.kept,
        encoding="" if decoded is None else decoded.encoding,
        encoding_guessed=decoded is not None and decoded.guessed,
    )
