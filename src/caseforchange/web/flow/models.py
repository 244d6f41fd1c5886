"""A programme's flow model as the web app stores it, and the runs made of it.

The engine never sees these rows: :mod:`caseforchange.web.flow.repository` turns them into a
validated :class:`~caseforchange.flow.model.FlowModel` and back.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from caseforchange.web.programmes.models import ProgrammeRecord


class FlowRecord(models.Model):
    """One programme's ``flow.yaml``: the validated document, as the fields a reader set.

    ``document`` is ``FlowModel.model_dump(mode="json", exclude_unset=True)``, so it reads
    like the file it came from; ``revision`` goes up with every saved edit, and an edit begun
    from an older revision is refused.
    """

    programme = models.OneToOneField(ProgrammeRecord, on_delete=models.CASCADE, related_name="flow")
    document = models.JSONField(default=dict)
    source_name = models.CharField(max_length=200, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    revision = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"flow model of {self.programme_id}"


class FlowRun(models.Model):
    """A requested run of the flow model: what was asked, how far it got, and its result.

    ``result`` is :meth:`caseforchange.flow.runner.RunResult.as_dict` once the run is done;
    ``error`` says why it failed. ``done`` of ``total`` replications give the progress.
    """

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    STATUSES = [(s, s) for s in (QUEUED, RUNNING, DONE, FAILED)]

    programme = models.ForeignKey(
        ProgrammeRecord, on_delete=models.CASCADE, related_name="flow_runs"
    )
    flow_revision = models.PositiveIntegerField()
    document = models.JSONField()
    scenarios = models.JSONField(default=list)
    replications = models.PositiveIntegerField()
    seed = models.BigIntegerField()
    status = models.CharField(max_length=10, choices=STATUSES, default=QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    job_id = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"flow run {self.pk} of {self.programme_id}"
