"""Stored results: what a job built for one programme revision, its progress and its payload."""

from __future__ import annotations

from django.db import models


class InputSnapshot(models.Model):
    """The inputs a result is built from, frozen: the programme at a revision and its engagement.

    ``fingerprint`` is the SHA-256 of the revision and the engagement data as stored; ``inputs``
    is the programme document with its scores and file hashes, and the engagement document,
    salt and imported responses, so a job builds from exactly what was asked for even when the
    programme has changed since.
    """

    programme = models.ForeignKey(
        "programmes.ProgrammeRecord", on_delete=models.CASCADE, related_name="input_snapshots"
    )
    revision = models.PositiveIntegerField()
    fingerprint = models.CharField(max_length=64)
    inputs = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "revision", "fingerprint"], name="one_snapshot_per_inputs"
            )
        ]


class ResultStatus(models.TextChoices):
    """Where a stored result is in its life."""

    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Being built"
    DONE = "done", "Ready"
    FAILED = "failed", "Could not be built"


class StoredResult(models.Model):
    """One built result: a programme revision, a kind and a parameters hash, built at most once.

    The key ``(programme, revision, kind, params_hash)`` is unique, and a job writes the payload
    and ``done`` in one transaction only if the row is not done already, so a job retried after
    its worker died never stores a second result. ``frozen`` results (a signed-off version's)
    are never deleted or rebuilt.
    """

    programme = models.ForeignKey(
        "programmes.ProgrammeRecord", on_delete=models.CASCADE, related_name="stored_results"
    )
    revision = models.PositiveIntegerField()
    kind = models.CharField(max_length=40)
    params = models.JSONField(default=dict)
    #: SHA-256 of the parameters and the inputs' fingerprint (see ``service.params_hash``).
    params_hash = models.CharField(max_length=64)
    snapshot = models.ForeignKey(InputSnapshot, on_delete=models.PROTECT, related_name="results")
    status = models.CharField(
        max_length=10, choices=ResultStatus.choices, default=ResultStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0)
    message = models.CharField(max_length=200, blank=True)
    payload_json = models.JSONField(null=True, blank=True)
    payload_bytes = models.BinaryField(null=True, blank=True)
    content_type = models.CharField(max_length=120, blank=True)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    #: The queue's task id of the latest attempt (a django-tasks result id).
    task_id = models.CharField(max_length=64, blank=True)
    #: ``host:pid`` of the worker running it, and when that worker last said it was alive.
    worker = models.CharField(max_length=120, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    frozen = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "revision", "kind", "params_hash"],
                name="one_result_per_revision_kind_params",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} of {self.programme_id} revision {self.revision} ({self.status})"

    @property
    def ready(self) -> bool:
        """True when the result is built and its payload can be served."""
        return self.status == ResultStatus.DONE

    @property
    def finished(self) -> bool:
        """True when nothing more will happen to it (built, or failed for good)."""
        return self.status in (ResultStatus.DONE, ResultStatus.FAILED)
