"""Live workshop scoring: sessions with join codes, anonymous participants and their scores."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class SessionStatus(models.TextChoices):
    """Whether participants may still change their answers."""

    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class WorkshopSession(models.Model):
    """A facilitator's scoring session for one programme and one panel.

    ``options`` and ``criteria`` are snapshots taken when the session opened, so editing the
    programme mid-workshop cannot change what participants are scoring.
    """

    programme = models.ForeignKey(
        "programmes.ProgrammeRecord", on_delete=models.CASCADE, related_name="sessions"
    )
    panel = models.CharField(max_length=80)
    title = models.CharField(max_length=200)
    code = models.CharField(max_length=16, unique=True)
    status = models.CharField(max_length=10, choices=SessionStatus.choices, default="open")
    revealed = models.BooleanField(default=False)
    #: Options revealed one at a time before (or instead of) revealing everything.
    revealed_options = models.JSONField(default=list)
    #: Chosen when the session opens: an anonymous session never asks for, keeps or shows names.
    anonymous = models.BooleanField(default=False)
    #: How many people may join; more are told the session is full.
    participant_cap = models.PositiveIntegerField(default=300)
    personal_data_deleted_at = models.DateTimeField(null=True, blank=True)
    options = models.JSONField()
    criteria = models.JSONField()
    groups = models.JSONField(default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        """True while participants may join and change their answers."""
        return self.status == SessionStatus.OPEN

    def shows(self, option: str) -> bool:
        """True when the results of ``option`` have been revealed to the room."""
        return self.revealed or option in self.revealed_options

    @property
    def anything_revealed(self) -> bool:
        """True when some or all of the results have been revealed."""
        return self.revealed or bool(self.revealed_options)


class Participant(models.Model):
    """Someone who joined a session by its code: no account, an optional display name."""

    session = models.ForeignKey(
        WorkshopSession, on_delete=models.CASCADE, related_name="participants"
    )
    number = models.PositiveIntegerField()
    display_name = models.CharField(max_length=60, blank=True)
    group = models.CharField(max_length=80, blank=True)
    joined_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["session", "number"], name="participant_number")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """How the participant is shown: their display name, else a number."""
        return self.display_name or f"Participant {self.number}"

    @property
    def public_label(self) -> str:
        """How the participant is named outside the room: never a name in an anonymous session."""
        return self.label if not self.session.anonymous else f"Participant {self.number}"

    @property
    def member_id(self) -> str:
        """The panel member id their scores carry when applied to the programme."""
        return f"ws{self.session_id}-p{self.number}"


class SessionScore(models.Model):
    """One participant's score of one option on one criterion, with an optional rationale."""

    session = models.ForeignKey(WorkshopSession, on_delete=models.CASCADE, related_name="scores")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="scores")
    option = models.CharField(max_length=80)
    criterion = models.CharField(max_length=80)
    value = models.FloatField()
    rationale = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "option", "criterion"], name="one_score_per_cell"
            )
        ]


class OutputKind(models.TextChoices):
    """The three workshop questions."""

    ADVANTAGE = "advantage", "Advantage"
    ISSUE = "issue", "Issue"
    MITIGATION = "mitigation", "Mitigation"


class TableOutput(models.Model):
    """A point a table's scribe captured: an advantage, an issue or a mitigation."""

    session = models.ForeignKey(WorkshopSession, on_delete=models.CASCADE, related_name="outputs")
    table = models.CharField(max_length=40)
    kind = models.CharField(max_length=12, choices=OutputKind.choices)
    category = models.CharField(max_length=80, blank=True)
    option = models.CharField(max_length=80, blank=True)
    text = models.TextField()
    entered_by = models.CharField(max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["table", "kind", "id"]


class JoinFailure(models.Model):
    """One failed join-code attempt, kept only for the rate-limit window.

    Stored in the database, not a per-process cache, so every worker process sees the same
    count. ``key`` is a keyed hash of the client address or browser session: the raw address
    is personal data and is never stored.
    """

    key = models.CharField(max_length=64, db_index=True)
    at = models.DateTimeField(db_index=True)
