"""Uploaded engagement files and survey exports, checked by the command line's own validators.

Nothing here writes to the database: each function returns validated data or raises
:class:`InvalidInput` with every problem located by the uploaded file's name, line (or
sheet row) and column, and the views store the result in one transaction.
"""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

from django.core.files.uploadedfile import UploadedFile

from caseforchange.domain.consultation import Engagement
from caseforchange.domain.problems import InvalidInput, Problem
from caseforchange.domain.programme import Programme
from caseforchange.io.responses import (
    ResponseMapping,
    builtin_mapping_path,
    builtin_mappings,
    import_responses,
    load_mapping,
)
from caseforchange.web.consultation.repository import (
    EngagementState,
    ImportedResponses,
    parse_engagement,
)
from caseforchange.web.consultation.workspace import engine_folder, relocate
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


def _save(upload: UploadedFile[bytes], folder: Path) -> tuple[Path, str]:
    """Write the upload into ``folder`` under its own name; return the path and SHA-256."""
    path = folder / upload_name(upload)
    digest = hashlib.sha256()
    with path.open("wb") as out:
        for chunk in upload.chunks():
            digest.update(chunk)
            out.write(chunk)
    return path, digest.hexdigest()


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
    try:
        text = upload.read().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _fail(name, f"not UTF-8 text: {error.reason}") from None
    return parse_engagement(text, name, programme), text


def _mapping(choice: str, upload: UploadedFile[bytes] | None, scratch: Path) -> ResponseMapping:
    """Return the shipped mapping named ``choice``, or the uploaded one when ``choice`` is own."""
    if choice == OWN_MAPPING:
        if upload is None:
            raise _mapping_fail(None, "choose your mapping file, or pick a shipped mapping")
        try:
            check_size(upload)
        except InvalidInput as error:
            raise MappingInvalid(error.problems) from None
        if Path(upload_name(upload)).suffix.lower() not in (".yaml", ".yml"):
            raise _mapping_fail(upload_name(upload), "a mapping file is YAML (.yaml)")
        folder = scratch / "mapping"
        folder.mkdir()
        path, _ = _save(upload, folder)
        try:
            return load_mapping(path)
        except InvalidInput as error:
            raise MappingInvalid(relocate(error, {folder: ""}).problems) from None
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
) -> ImportedResponses:
    """Import a survey export through the engine's importer, all or nothing.

    Returns:
        The normalised rows (pseudonymous ids, personal columns dropped) and what was done.

    Raises:
        InvalidInput: for a file too large or of the wrong kind, a bad mapping, or any
            problem the importer finds, each located as ``FILE:LINE`` (``FILE:Sheet!ROW``)
            and column.
    """
    name = upload_name(upload)
    check_size(upload)
    if Path(name).suffix.lower() not in EXPORT_SUFFIXES:
        raise _fail(name, "upload the survey export as CSV (.csv) or Excel (.xlsx)")
    if not state.engagement.questionnaires:
        raise _fail(name, "the engagement file has no questionnaires to import responses to")
    with tempfile.TemporaryDirectory(prefix="cfc-responses-") as tmp:
        scratch = Path(tmp)
        mapping = _mapping(mapping_choice, mapping_upload, scratch)
        folder = scratch / "upload"
        folder.mkdir()
        export, digest = _save(upload, folder)
        with engine_folder(programme, state) as loaded:
            try:
                summary = import_responses(loaded, export, mapping, questionnaire_id=questionnaire)
            except InvalidInput as error:
                raise relocate(error, {folder: "", loaded.root: ""}) from None
            csv_text = summary.path.read_text(encoding="utf-8")
    return ImportedResponses(
        questionnaire=summary.questionnaire,
        csv_text=csv_text,
        rows=summary.rows,
        file_name=name,
        file_sha256=digest,
        mapping=mapping.name,
        dropped=summary.dropped,
        kept=summary.kept,
    )
