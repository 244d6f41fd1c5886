"""A programme's inputs for the job queue: its document at the revision and its engagement data.

Registered with ``jobs.snapshot`` when the apps are ready: the queue sits below programmes and
consultation, so the one place that reads both for a job is here, above them.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from caseforchange.domain.consultation import Engagement
from caseforchange.web.consultation.coding import folder_text_files
from caseforchange.web.consultation.models import (
    EngagementRecord,
    QuestionCodebook,
    ResponseSet,
)
from caseforchange.web.consultation.repository import EngagementState
from caseforchange.web.jobs.snapshot import Snapshot, provide_inputs
from caseforchange.web.programmes import repository
from caseforchange.web.programmes.models import ProgrammeRecord


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


provide_inputs(fingerprint, take)
