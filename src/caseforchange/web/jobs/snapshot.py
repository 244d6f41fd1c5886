"""Frozen inputs of a job: the programme at one revision and its engagement data, as JSON.

A job never reads the programme's row: it builds from the snapshot taken when the result was
asked for, so a result (and a signed-off paper) is always of the revision it is stored under.
The job queue sits below the apps whose data it freezes, so it does not read their tables: the
function that takes a snapshot is provided from above (``web/services/job_inputs.py``).
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from caseforchange.domain.checks.engagement import check_engagement
from caseforchange.domain.consultation import Engagement
from caseforchange.io.engagement_file import ENGAGEMENT_FILE, LoadedEngagement
from caseforchange.io.folder import LoadedProgramme
from caseforchange.io.responses import SALT_FILE, responses_path
from caseforchange.io.validation import validate_programme
from caseforchange.io.yamlsource import SourceMap


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
        data = json.loads(json.dumps(self.data))
        programme = validate_programme(data, SourceMap(default=f"programme {self.slug}"))
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


class ProgrammeRow(Protocol):
    """What the job queue reads of a programme's row (``programmes.ProgrammeRecord``)."""

    pk: Any
    slug: str
    revision: int


#: Names a row's inputs now (a SHA-256), cheaply: results are stored under it.
Fingerprint = Callable[[Any], str]
#: Takes a row's inputs as they are now.
Take = Callable[[Any], Snapshot]

_inputs: dict[str, Any] = {}


def provide_inputs(fingerprint_of: Fingerprint, take_of: Take) -> None:
    """Set how a programme's inputs are named and taken (done once, when the apps are ready)."""
    _inputs["fingerprint"] = fingerprint_of
    _inputs["take"] = take_of


def _provided(name: str) -> Any:
    """Return the provided function ``name``.

    Raises:
        LookupError: when no app provided it (``caseforchange.web.services`` not installed).
    """
    try:
        return _inputs[name]
    except KeyError:
        raise LookupError(
            "no job inputs provided: install the caseforchange.web.services app"
        ) from None


def fingerprint(row: ProgrammeRow) -> str:
    """Return the SHA-256 naming the inputs of ``row`` now (see ``services.job_inputs``).

    Raises:
        LookupError: when no app provided the inputs.
    """
    return str(_provided("fingerprint")(row))


def take(row: ProgrammeRow) -> Snapshot:
    """Return the inputs of ``row`` as they are now (see ``services.job_inputs``).

    Raises:
        LookupError: when no app provided the inputs.
    """
    result: Snapshot = _provided("take")(row)
    return result
