"""Engagement data as the web app stores it: a programme's ``engagement.yaml`` and responses.

The engine never sees these rows: :mod:`caseforchange.web.consultation.repository` turns them
into a validated :class:`~caseforchange.domain.consultation.Engagement` and back.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models

from caseforchange.web.programmes.models import ProgrammeRecord


def new_salt() -> str:
    """Return a fresh pseudonymisation salt: 32 random bytes as hex."""
    return secrets.token_bytes(32).hex()


class EngagementRecord(models.Model):
    """One programme's ``engagement.yaml``: the validated document and the text as uploaded.

    ``document`` is what the engine reads; ``source_text`` is kept so that an export gives
    back the file as it came, comments included. Both change only together, when a whole new
    file is stored. ``salt`` pseudonymises respondent ids (the folder's
    ``.caseforchange-salt``); it is never exported.
    """

    programme = models.OneToOneField(
        ProgrammeRecord, on_delete=models.CASCADE, related_name="engagement"
    )
    document = models.JSONField(default=dict)
    source_text = models.TextField(blank=True)
    source_name = models.CharField(max_length=200, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    salt = models.CharField(max_length=64, default=new_salt, editable=False)
    revision = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"engagement of {self.programme_id}"


class ResponseSet(models.Model):
    """The imported responses to one questionnaire, as the engine's normalised CSV.

    A new import replaces the set, as ``responses/<questionnaire>.csv`` is replaced in a
    folder. ``questionnaire_document`` is the questionnaire the rows were checked against, so
    a later change to the questionnaire can be detected.
    """

    engagement = models.ForeignKey(
        EngagementRecord, on_delete=models.CASCADE, related_name="responses"
    )
    questionnaire = models.CharField(max_length=80)
    questionnaire_document = models.JSONField(default=dict)
    csv_text = models.TextField()
    rows = models.PositiveIntegerField()
    file_name = models.CharField(max_length=200)
    file_sha256 = models.CharField(max_length=64)
    mapping = models.CharField(max_length=200)
    dropped = models.JSONField(default=list)
    kept = models.JSONField(default=list)
    imported_at = models.DateTimeField(auto_now=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["questionnaire"]
        constraints = [
            models.UniqueConstraint(
                fields=["engagement", "questionnaire"], name="one_response_set_per_questionnaire"
            )
        ]

    def __str__(self) -> str:
        return f"responses to {self.questionnaire}"


class QuestionCodebook(models.Model):
    """The codebook of one open question: its stance labels and a revision for the model cache.

    Themes and codings hang off it. ``revision`` goes up with every change to a theme or a
    coding, so a model trained on an older revision is never used again.
    """

    engagement = models.ForeignKey(
        EngagementRecord, on_delete=models.CASCADE, related_name="codebooks"
    )
    questionnaire = models.CharField(max_length=80)
    question = models.CharField(max_length=80)
    stances = models.JSONField(default=list)
    #: Candidate themes a person chose to ignore, by their distinctive words.
    ignored = models.JSONField(default=list)
    revision = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["engagement", "questionnaire", "question"], name="one_codebook_per_question"
            )
        ]

    def __str__(self) -> str:
        return f"codebook of {self.questionnaire}.{self.question}"


class CodebookTheme(models.Model):
    """A theme a person adopted: id, name, definition, what belongs and what does not."""

    codebook = models.ForeignKey(QuestionCodebook, on_delete=models.CASCADE, related_name="themes")
    key = models.CharField(max_length=80)
    name = models.CharField(max_length=200)
    definition = models.TextField(blank=True)
    includes = models.JSONField(default=list)
    excludes = models.JSONField(default=list)
    position = models.PositiveIntegerField(default=0)
    created_by = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["codebook", "key"], name="unique_theme_per_codebook")
        ]

    def __str__(self) -> str:
        return f"theme {self.key}"


class TextCoding(models.Model):
    """A decided coding of one answer: a person's, or a model proposal a person accepted.

    ``source`` is ``person`` or ``model``; for ``model`` the proposal's ``confidence`` is kept
    and ``reviewed_by`` names who accepted it.
    """

    PERSON, MODEL = "person", "model"

    codebook = models.ForeignKey(QuestionCodebook, on_delete=models.CASCADE, related_name="codings")
    response = models.CharField(max_length=200)
    themes = models.JSONField(default=list)
    stance = models.CharField(max_length=80, blank=True)
    reason = models.CharField(max_length=40, blank=True)
    evidence_rich = models.BooleanField(default=False)
    note = models.TextField(blank=True)
    source = models.CharField(max_length=10, default=PERSON)
    confidence = models.FloatField(null=True, blank=True)
    coder = models.CharField(max_length=200)
    reviewed_by = models.CharField(max_length=200, blank=True)
    coded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["codebook", "response"], name="one_coding_per_response")
        ]

    def __str__(self) -> str:
        return f"coding of {self.response}"
