"""Uploads and downloads of whole programmes, through the same validated importers as the CLI."""

from __future__ import annotations

import hashlib
import io
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from caseforchange.domain.consultation import Engagement
from caseforchange.domain.problems import InvalidInput, Problem
from caseforchange.domain.programme import Programme
from caseforchange.io.engagement_file import ENGAGEMENT_FILE
from caseforchange.io.folder import (
    PROGRAMME_FILE,
    SCORES_FILE,
    LoadedProgramme,
    programme_from_bytes,
    write_programme,
)
from caseforchange.io.text import decode_bytes
from caseforchange.io.workbook_read import read_workbook_bytes
from caseforchange.web.consultation.repository import folder_files as engagement_files
from caseforchange.web.consultation.repository import parse_engagement
from caseforchange.web.consultation.repository import store as engagement_store
from caseforchange.web.programmes import repository
from caseforchange.web.programmes.models import ProgrammeRecord
from caseforchange.web.uploads import check_size, upload_name

#: A zipped folder may not unpack to more than this (a guard against zip bombs).
MAX_UNPACKED_BYTES = 20 * 1024 * 1024


def _fail(name: str, message: str) -> InvalidInput:
    return InvalidInput([Problem((), message, name)])


def _unzip(data: bytes, name: str) -> dict[str, bytes]:
    """Return the known files of a zipped programme folder by their fixed names.

    Raises:
        InvalidInput: for a file that is not a zip, unpacks to too much, or holds no
            ``programme.yaml``.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _fail(name, "this is not a zip file") from None
    with archive:
        entries = [i for i in archive.infolist() if not i.is_dir()]
        if sum(i.file_size for i in entries) > MAX_UNPACKED_BYTES:
            raise _fail(name, "the zip unpacks to more than 20 MB")
        yamls = [i for i in entries if PurePosixPath(i.filename).name == PROGRAMME_FILE]
        if not yamls:
            raise _fail(name, f"the zip holds no {PROGRAMME_FILE}")
        chosen = min(yamls, key=lambda i: i.filename.count("/"))
        folder = PurePosixPath(chosen.filename).parent
        files: dict[str, bytes] = {}
        for wanted in (PROGRAMME_FILE, SCORES_FILE, ENGAGEMENT_FILE):
            path = str(folder / wanted) if str(folder) != "." else wanted
            # Only the known files are read, under fixed names: no path traversal.
            if path in archive.namelist():
                try:
                    files[wanted] = archive.read(path)
                except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
                    raise _fail(f"{name}: {wanted}", f"cannot unzip: {error}") from None
        return files


@dataclass
class UploadedProgramme(LoadedProgramme):
    """An uploaded programme, with the ``engagement.yaml`` a zipped folder may hold."""

    engagement: Engagement | None = None
    engagement_text: str = ""


def _with_engagement(
    loaded: LoadedProgramme, files: dict[str, bytes], name: str
) -> UploadedProgramme:
    """Add the folder's engagement.yaml, validated against the programme, when there is one."""
    uploaded = UploadedProgramme(loaded.programme, loaded.root, loaded.file_hashes, loaded.source)
    data = files.get(ENGAGEMENT_FILE)
    if data is not None:
        shown = f"{name}: {ENGAGEMENT_FILE}"
        text = decode_bytes(data, shown, "utf-8").text
        uploaded.engagement = parse_engagement(text, shown, loaded.programme)
        uploaded.engagement_text = text
    return uploaded


def store_upload(loaded: LoadedProgramme, actor: str) -> ProgrammeRecord:
    """Store an imported programme and its engagement file (if any) in one transaction.

    Raises:
        InvalidInput: when a programme with the same id already exists.
    """
    with transaction.atomic():
        row = repository.create(loaded.programme, actor, loaded.file_hashes, "programme imported")
        if isinstance(loaded, UploadedProgramme) and loaded.engagement is not None:
            engagement_store(row, loaded.engagement, loaded.engagement_text, ENGAGEMENT_FILE, actor)
    return row


def read_upload(
    upload: UploadedFile[bytes], scores: UploadedFile[bytes] | None = None
) -> UploadedProgramme:
    """Validate an uploaded workbook (.xlsx), zipped folder (.zip) or programme.yaml.

    A zipped folder's ``engagement.yaml`` is validated too, against the programme.

    Raises:
        InvalidInput: for a file too large, of an unknown kind, or a programme with problems,
            each located by the uploaded file's name, row or line, and field.
    """
    name = upload_name(upload)
    for item in (upload, scores):
        if item is not None:
            check_size(item)
    suffix = Path(name).suffix.lower()
    if suffix == ".xlsx":
        return _with_engagement(read_workbook_bytes(upload.read(), name), {}, name)
    if suffix == ".zip":
        files = _unzip(upload.read(), name)
        shown = {wanted: f"{name}: {wanted}" for wanted in files}
    elif suffix in {".yaml", ".yml"}:
        files = {PROGRAMME_FILE: upload.read()}
        shown = {PROGRAMME_FILE: name}
        if scores is not None:
            files[SCORES_FILE] = scores.read()
            shown[SCORES_FILE] = upload_name(scores)
    else:
        raise _fail(
            name, "upload an Excel workbook (.xlsx), a zipped folder (.zip) or programme.yaml"
        )
    programme, source = programme_from_bytes(
        files[PROGRAMME_FILE],
        shown[PROGRAMME_FILE],
        files.get(SCORES_FILE),
        shown.get(SCORES_FILE, SCORES_FILE),
    )
    hashes = {
        key: hashlib.sha256(files[key]).hexdigest()
        for key in (PROGRAMME_FILE, SCORES_FILE)
        if key in files
    }
    loaded = LoadedProgramme(programme, Path(name), hashes, source)
    return _with_engagement(loaded, files, name)


def folder_zip(programme: Programme, extra: dict[str, bytes] | None = None) -> bytes:
    """Return the programme folder (programme.yaml and scores.csv) as a zip.

    ``extra`` adds further files of the folder by relative path (engagement.yaml, responses).
    """
    with tempfile.TemporaryDirectory(prefix="cfc-export-") as tmp:
        root = Path(tmp) / programme.id
        write_programme(programme, root)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(root.iterdir()):
                archive.write(path, f"{programme.id}/{path.name}")
            for name, data in sorted((extra or {}).items()):
                archive.writestr(f"{programme.id}/{name}", data)
        return buffer.getvalue()


def programme_folder_zip(row: ProgrammeRecord, programme: Programme) -> bytes:
    """Return a stored programme's whole folder as a zip: its engagement files included."""
    return folder_zip(programme, engagement_files(row))


def workbook_bytes(programme: Programme) -> bytes:
    """Return the programme as an Excel workbook."""
    from caseforchange.io.workbook import write_workbook

    with tempfile.TemporaryDirectory(prefix="cfc-export-") as tmp:
        path = Path(tmp) / f"{programme.id}.xlsx"
        write_workbook(programme, path)
        return path.read_bytes()
