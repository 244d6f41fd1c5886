"""Frozen inputs of a job: the programme at one revision and its engagement data, as JSON.

A job never reads the programme's row: it builds from the snapshot taken when the result was
asked for, so a result (and a signed-off paper) is always of the revision it is stored under.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from caseforchange.domain.consultation import Engagement
from caseforchange.io.engagement_file import ENGAGEMENT_FILE, LoadedEngagement, check_engagement
from caseforchange.io.folder import LoadedProgramme
from caseforchange.io.responses import SALT_FILE, responses_path
from caseforchange.io.yamlsource import SourceMap
from caseforchange.web.consultation.models import (
    EngagementRecord,
    QuestionCodebook,
    ResponseSet,
)
from caseforchange.web.programmes import repository
from caseforchange.web.programmes.models import ProgrammeRecord


@dataclass(frozen=True)
class Snapshot:
    """A programme's inputs as they were at one revision (see :func:`take`)."""

    slug: str
    revision: int
    #: The programme document with its ``scores`` (``repository.data_of``).
    data: dict[str, Any]
    file_hashes: dict[str, str]
    #: ``{"document", "source_name", "salt", "responses": {questionnaire: csv_text},
    #: "text": {path: text}}`` or None; ``text`` holds the codebooks and their codings.
    engagement: dict[str, Any] | None

    def to_json(self) -> dict[str, Any]:
        """Return the snapshot as JSON data (what ``InputSnapshot.inputs`` holds)."""
        return {
            "slug": self.slug,
            "revision": self.revision,
            "data": self.data,
            "file_hashes": self.file_hashes,
            "engagement": self.engagement,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Snapshot:
        """Return the snapshot stored as ``data`` by :meth:`to_json`."""
        return cls(
            slug=str(data["slug"]),
            revision=int(data["revision"]),
            data=dict(data["data"]),
            file_hashes={str(k): str(v) for k, v in dict(data["file_hashes"]).items()},
            engagement=data.get("engagement"),
        )

    def loaded(self) -> LoadedProgramme:
        """Return the programme as the reports expect it (as ``repository.loaded`` does).

        Raises:
            InvalidInput: when the stored programme no longer validates.
        """
        hashes = dict(self.file_hashes)
        hashes["database revision"] = str(self.revision)
        programme = repository.validate(json.loads(json.dumps(self.data)), f"programme {self.slug}")
        return LoadedProgramme(programme, Path(self.slug), hashes)

    @contextmanager
    def engaged(self, loaded: LoadedProgramme) -> Iterator[LoadedEngagement | None]:
        """Yield the engagement as the engine loads it from a folder, or None when unusable.

        None when no engagement data was stored or it no longer matches the programme (the
        report is then built without it, as the web app always did). The folder holds the
        salt, the imported responses and the free-text codebooks with a person's codings
        (``text/``, as the consultation pages write them), and is removed afterwards.
        """
        if self.engagement is None:
            yield None
            return
        engagement = Engagement.model_validate(self.engagement["document"])
        if check_engagement(engagement, loaded.programme):
            yield None
            return
        with tempfile.TemporaryDirectory(prefix="cfc-job-") as tmp:
            root = Path(tmp)
            (root / SALT_FILE).write_text(self.engagement["salt"] + "\n", encoding="ascii")
            for questionnaire, text in sorted(self.engagement["responses"].items()):
                path = responses_path(root, questionnaire)
                path.parent.mkdir(exist_ok=True)
                path.write_text(text, encoding="utf-8")
            for name, text in sorted(dict(self.engagement.get("text") or {}).items()):
                path = root / name
                path.parent.mkdir(exist_ok=True)
                path.write_text(text, encoding="utf-8")
            folder = LoadedProgramme(loaded.programme, root, dict(loaded.file_hashes))
            yield LoadedEngagement(folder, engagement, SourceMap(default=ENGAGEMENT_FILE))


def fingerprint(row: ProgrammeRecord) -> str:
    """Return the SHA-256 naming the inputs of ``row`` now, cheaply (no document is read).

    It covers the revision and the engagement data's own revision and hash, each response
    set's file hash and import time, and the revision of each codebook that has themes (it
    goes up with every change to a theme or a coding): anything that changes what a report
    says.
    """
    found = (
        EngagementRecord.objects.filter(programme=row)
        .values_list("id", "revision", "sha256")
        .first()
    )
    engagement: list[Any] | None = None
    responses: list[Any] = []
    codebooks: list[Any] = []
    if found is not None:
        engagement = [found[1], found[2]]
        responses = [
            [q, sha, stamp.isoformat()]
            for q, sha, stamp in ResponseSet.objects.filter(engagement_id=found[0])
            .order_by("questionnaire")
            .values_list("questionnaire", "file_sha256", "imported_at")
        ]
        codebooks = [
            list(pair)
            for pair in QuestionCodebook.objects.filter(
                engagement_id=found[0], themes__isnull=False
            )
            .order_by("id")
            .values_list("id", "revision")
            .distinct()
        ]
    inputs: dict[str, Any] = {
        "revision": row.revision,
        "engagement": engagement,
        "responses": responses,
    }
    if codebooks:  # only then, so results stored before codebooks counted keep their names
        inputs["codebooks"] = codebooks
    text = json.dumps(inputs, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def take(row: ProgrammeRecord) -> Snapshot:
    """Return the inputs of ``row`` as they are now."""
    engagement: dict[str, Any] | None = None
    record = EngagementRecord.objects.filter(programme=row).first()
    if record is not None:
        from caseforchange.web.consultation.coding import folder_text_files
        from caseforchange.web.consultation.repository import EngagementState

        state = EngagementState(record, Engagement.model_validate(record.document))
        engagement = {
            "document": record.document,
            "source_name": record.source_name,
            "salt": record.salt,
            "responses": {r.questionnaire: r.csv_text for r in record.responses.all()},
            "text": {k: v.decode("utf-8") for k, v in folder_text_files(state).items()},
        }
    return Snapshot(
        slug=row.slug,
        revision=row.revision,
        data=repository.data_of(row),
        file_hashes=dict(row.file_hashes),
        engagement=engagement,
    )
