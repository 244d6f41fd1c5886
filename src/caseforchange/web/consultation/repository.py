"""Map engagement rows to the engine's domain objects and back, auditing every change.

The only place that reads or writes :class:`EngagementRecord` and :class:`ResponseSet`:
views get validated :class:`Engagement` objects and response rows from here, so the engine
never sees the ORM. Validation is the command line's own (:mod:`caseforchange.io.engagement_file`).
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from caseforchange.domain.checks.engagement import check_engagement
from caseforchange.domain.consultation import Engagement
from caseforchange.domain.problems import InvalidInput, Problem
from caseforchange.domain.programme import Programme
from caseforchange.io.cells import CsvWriter, csv_text_back
from caseforchange.io.engagement_file import ENGAGEMENT_FILE, validate_engagement
from caseforchange.io.folder import dump_yaml
from caseforchange.io.yamlsource import load_yaml_text
from caseforchange.web.audit.chain import Change, record_many
from caseforchange.web.consultation.models import EngagementRecord, ResponseSet
from caseforchange.web.programmes.models import ProgrammeRecord


def sha256_text(text: str) -> str:
    """Return the hex SHA-256 of ``text`` as UTF-8."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def engagement_document(engagement: Engagement) -> dict[str, Any]:
    """Return the engagement as plain JSON data (defaults left out, as a reader wrote it)."""
    return engagement.model_dump(mode="json", exclude_defaults=True)


def parse_engagement(text: str, name: str, programme: Programme) -> Engagement:
    """Parse and validate ``engagement.yaml`` text against ``programme``.

    Returns:
        The validated engagement data.

    Raises:
        InvalidInput: for a YAML error, a wrong field or a broken reference, located as
            ``NAME:LINE`` and field.
    """
    data, source = load_yaml_text(text, name)
    return validate_engagement(data, source, programme)


@dataclass
class EngagementState:
    """A programme's engagement data as stored, checked against the programme as it is now.

    ``problems`` lists references the programme no longer satisfies (an activity removed
    since the file was stored, say); the schema itself was checked when the file was stored.
    """

    record: EngagementRecord | None
    engagement: Engagement
    problems: list[Problem] = field(default_factory=list)

    @property
    def usable(self) -> bool:
        """True when the file matches the programme, so imports and the report may run."""
        return not self.problems


def load(row: ProgrammeRecord, programme: Programme) -> EngagementState:
    """Return the stored engagement data of ``row`` (empty when none is stored)."""
    record = EngagementRecord.objects.filter(programme=row).first()
    if record is None:
        return EngagementState(None, Engagement())
    engagement = Engagement.model_validate(record.document)
    where = record.source_name or ENGAGEMENT_FILE
    problems = [Problem(p.path, p.message, where) for p in check_engagement(engagement, programme)]
    return EngagementState(record, engagement, problems)


def _summary(engagement: Engagement, sha256: str) -> dict[str, Any]:
    return {
        "sha256": sha256,
        "workshops": len(engagement.workshops),
        "questionnaires": len(engagement.questionnaires),
        "ballots": len(engagement.ballots),
    }


def store(
    row: ProgrammeRecord, engagement: Engagement, text: str, name: str, actor: str
) -> list[str]:
    """Store a validated engagement file for ``row``, replacing any earlier one, and audit it.

    Responses to a questionnaire that is gone or whose questions changed are removed in the
    same transaction: they were checked against the old questions.

    Returns:
        The ids of the questionnaires whose responses were removed.
    """
    digest = sha256_text(text)
    changes: list[Change] = []
    removed: list[str] = []
    with transaction.atomic():
        record = EngagementRecord.objects.select_for_update().filter(programme=row).first()
        before = None
        if record is None:
            record = EngagementRecord(programme=row)
        else:
            before = _summary(Engagement.model_validate(record.document), record.sha256)
            record.revision += 1
            for responses in record.responses.all():
                now = engagement.questionnaire(responses.questionnaire)
                if now is None or now.model_dump(mode="json") != responses.questionnaire_document:
                    removed.append(responses.questionnaire)
                    changes.append(
                        Change(
                            actor,
                            "responses removed (questionnaire changed)",
                            f"{row.slug}:responses[{responses.questionnaire}]",
                            row.slug,
                            before={"rows": responses.rows, "sha256": responses.file_sha256},
                        )
                    )
                    responses.delete()
        record.document = engagement_document(engagement)
        record.source_text = text
        record.source_name = name
        record.sha256 = digest
        record.save()
        action = "engagement file stored" if before is None else "engagement file replaced"
        changes.insert(
            0,
            Change(
                actor,
                action,
                f"{row.slug}:{ENGAGEMENT_FILE}",
                row.slug,
                before=before,
                after=_summary(engagement, digest),
            ),
        )
        record_many(changes)
    return removed


def response_sets(state: EngagementState) -> dict[str, ResponseSet]:
    """Return the stored response sets by questionnaire id."""
    if state.record is None:
        return {}
    return {r.questionnaire: r for r in state.record.responses.all()}


def response_rows(responses: ResponseSet) -> list[dict[str, str]]:
    """Return the stored normalised rows of a response set as dicts (user text as typed)."""
    return [
        {k: csv_text_back(v) if isinstance(v, str) else v for k, v in row.items()}
        for row in csv.DictReader(io.StringIO(responses.csv_text, newline=""))
    ]


@dataclass(frozen=True)
class ImportedResponses:
    """What a validated import produced, ready to store."""

    questionnaire: str
    csv_text: str
    rows: int
    file_name: str
    file_sha256: str
    mapping: str
    dropped: list[str]
    kept: list[str]
    #: How the export's text was read ("" for a workbook), and whether that was a guess.
    encoding: str = ""
    encoding_guessed: bool = False


def store_responses(
    state: EngagementState, imported: ImportedResponses, actor: str, user_id: int | None
) -> None:
    """Store an import's rows, replacing earlier responses to the questionnaire, and audit it.

    Raises:
        InvalidInput: when the questionnaire is not in the stored engagement file.
    """
    record = state.record
    questionnaire = state.engagement.questionnaire(imported.questionnaire)
    if record is None or questionnaire is None:
        raise InvalidInput(
            [Problem(("questionnaire",), f"unknown questionnaire '{imported.questionnaire}'")]
        )
    slug = record.programme.slug
    with transaction.atomic():
        old = ResponseSet.objects.filter(
            engagement=record, questionnaire=imported.questionnaire
        ).first()
        before = None if old is None else {"rows": old.rows, "sha256": old.file_sha256}
        ResponseSet.objects.update_or_create(
            engagement=record,
            questionnaire=imported.questionnaire,
            defaults={
                "questionnaire_document": questionnaire.model_dump(mode="json"),
                "csv_text": imported.csv_text,
                "rows": imported.rows,
                "file_name": imported.file_name,
                "file_sha256": imported.file_sha256,
                "mapping": imported.mapping,
                "dropped": imported.dropped,
                "kept": imported.kept,
                "imported_by_id": user_id,
            },
        )
        record_many(
            [
                Change(
                    actor,
                    "responses imported",
                    f"{slug}:responses[{imported.questionnaire}]",
                    slug,
                    before=before,
                    after={
                        "rows": imported.rows,
                        "sha256": imported.file_sha256,
                        "file": imported.file_name,
                        "mapping": imported.mapping,
                        "dropped_columns": imported.dropped,
                    },
                )
            ]
        )


def export_responses_csv(responses: ResponseSet) -> str:
    """Return the response set as CSV for an export, without personal columns kept on import.

    Exports leave personal data out by default, so columns the mapping chose to ``keep``
    stay in the database only. Every cell is written through the formula guard (sets stored
    before the guard existed are guarded here too).
    """
    reader = csv.DictReader(io.StringIO(responses.csv_text, newline=""))
    names = [n for n in (reader.fieldnames or []) if n not in set(responses.kept)]
    out = io.StringIO()
    writer = CsvWriter(out)
    writer.writerow(names)
    for row in reader:
        writer.writerow([csv_text_back(row.get(name) or "") for name in names])
    return out.getvalue()


def folder_files(row: ProgrammeRecord) -> dict[str, bytes]:
    """Return the engagement files of a programme folder: ``engagement.yaml``, responses, text.

    Returns:
        Relative path -> bytes; empty when no engagement file is stored.
    """
    record = EngagementRecord.objects.filter(programme=row).first()
    if record is None:
        return {}
    # The text as uploaded keeps its comments (provenance notes); the document is the fallback.
    text = record.source_text or dump_yaml(record.document)
    files = {ENGAGEMENT_FILE: text.encode("utf-8")}
    for responses in record.responses.all():
        files[f"responses/{responses.questionnaire}.csv"] = export_responses_csv(responses).encode(
            "utf-8"
        )
    # The free-text codebooks and codings, as ``caseforchange text ...`` reads them.
    from caseforchange.web.consultation.coding import folder_text_files

    state = EngagementState(record, Engagement.model_validate(record.document))
    files.update(folder_text_files(state, guard=True))
    return files
