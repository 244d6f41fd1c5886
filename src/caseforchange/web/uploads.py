"""What every upload is checked for before it is parsed: its name and its size.

Programme imports and consultation uploads both use these, so the limit and the message are
the same everywhere.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from caseforchange.domain.problems import InvalidInput, Problem


def upload_name(upload: UploadedFile[bytes]) -> str:
    """Return the file's own name, without any folders a browser may have sent."""
    # Only the last part: a sent path must never reach the file system.
    name = Path(upload.name or "upload").name
    return name if name not in ("", ".", "..") else "upload"


def check_size(upload: UploadedFile[bytes]) -> None:
    """Refuse a file larger than ``MAX_UPLOAD_BYTES``.

    Raises:
        InvalidInput: naming the file and the limit.
    """
    limit = settings.MAX_UPLOAD_BYTES
    if (upload.size or 0) > limit:
        message = f"files are limited to {limit // 1024 // 1024} MB"
        raise InvalidInput([Problem((), message, upload_name(upload))])
