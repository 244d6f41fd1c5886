"""Programmes as stored by the web app: the validated document plus its scores, as JSON."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ProgrammeRecord(models.Model):
    """One programme: ``document`` is ``programme_document(...)``, ``scores`` its score list.

    The engine never sees this row: :mod:`caseforchange.web.programmes.repository` turns it
    into a validated :class:`~caseforchange.domain.programme.Programme` and back.
    """

    slug = models.CharField(max_length=80, unique=True)
    title = models.CharField(max_length=300)
    document = models.JSONField()
    scores = models.JSONField(default=list)
    file_hashes = models.JSONField(default=dict)
    revision = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    #: Set while the programme is archived: hidden from the list and read-only until restored.
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class AppraisalRun(models.Model):
    """A recorded run of the appraisal: its inputs' revision, seed, samples and JSON result."""

    programme = models.ForeignKey(ProgrammeRecord, on_delete=models.CASCADE, related_name="runs")
    revision = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    seed = models.BigIntegerField()
    samples = models.PositiveIntegerField()
    result = models.JSONField()

    class Meta:
        ordering = ["-created_at", "-id"]


class SignOff(models.Model):
    """A revision marked as the version that went to the Board, with its inputs as they were.

    ``document`` and ``scores`` are a copy of the programme at that revision, so later edits
    (which make new revisions) never change what was signed off.
    """

    programme = models.ForeignKey(
        ProgrammeRecord, on_delete=models.CASCADE, related_name="signoffs"
    )
    revision = models.PositiveIntegerField()
    title = models.CharField(max_length=300)
    document = models.JSONField()
    scores = models.JSONField(default=list)
    sha256 = models.CharField(max_length=64)
    note = models.CharField(max_length=300, blank=True)
    signed_at = models.DateTimeField(auto_now_add=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-signed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "revision"], name="one_signoff_per_revision"
            )
        ]
