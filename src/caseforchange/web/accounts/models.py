"""Who may do what on which programme."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Role(models.TextChoices):
    """A person's role on one programme; administrators (superusers) have every right."""

    LEAD = "lead", "Programme lead"
    FACILITATOR = "facilitator", "Facilitator"
    VIEWER = "viewer", "Viewer"


class Membership(models.Model):
    """Gives a user a role on one programme."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    programme = models.ForeignKey(
        "programmes.ProgrammeRecord", on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "programme"], name="one_role_per_programme")
        ]

    def __str__(self) -> str:
        return f"{self.user} is {self.get_role_display()} on {self.programme_id}"


class LoginFailure(models.Model):
    """One wrong password, kept only for the throttle's window.

    ``key`` is a keyed hash of the typed username or of the client address: neither is stored.
    """

    key = models.CharField(max_length=64, db_index=True)
    at = models.DateTimeField(db_index=True)
