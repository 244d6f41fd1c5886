"""A scratch programme folder for the engine functions that work on a folder.

The response importer and the consultation report read and write ``responses/`` and the
salt file inside a programme folder. Rather than fork them for the database, the web app
lays out the stored rows in a temporary folder, runs the engine unchanged, and reads back
what it wrote.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from caseforchange.domain.programme import Programme
from caseforchange.io.engagement_file import ENGAGEMENT_FILE, LoadedEngagement
from caseforchange.io.folder import LoadedProgramme
from caseforchange.io.responses import SALT_FILE, responses_path
from caseforchange.io.yamlsource import SourceMap
from caseforchange.web.consultation import coding
from caseforchange.web.consultation.repository import EngagementState, response_sets


def _write_codebooks(root: Path, state: EngagementState) -> None:
    """Write each stored codebook and its codings where the report looks for them."""
    for name, data in coding.folder_text_files(state).items():
        path = root / name
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)


@contextmanager
def engine_folder(
    programme: Programme, state: EngagementState, file_hashes: dict[str, str] | None = None
) -> Iterator[LoadedEngagement]:
    """Yield the engagement as the engine loads it, in a folder removed afterwards.

    The folder holds the programme's salt, its stored responses and the free-text codebooks
    and a person's codings (``text/``); ``programme.yaml`` is not written, since the engine
    takes the validated programme as it is.
    """
    with tempfile.TemporaryDirectory(prefix="cfc-engagement-") as tmp:
        root = Path(tmp)
        if state.record is not None:
            (root / SALT_FILE).write_text(state.record.salt + "\n", encoding="ascii")
        for questionnaire, responses in response_sets(state).items():
            path = responses_path(root, questionnaire)
            path.parent.mkdir(exist_ok=True)
            path.write_text(responses.csv_text, encoding="utf-8")
        _write_codebooks(root, state)
        loaded = LoadedProgramme(programme, root, dict(file_hashes or {}))
        yield LoadedEngagement(loaded, state.engagement, SourceMap(default=ENGAGEMENT_FILE))
