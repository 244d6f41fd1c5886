"""Routes of background jobs: a result's status, download and retry, under ``/jobs/``."""

from __future__ import annotations

from django.urls import URLPattern, path

from caseforchange.web.jobs import views

app_name = "jobs"

urlpatterns: list[URLPattern] = [
    path("<int:pk>/", views.job_status, name="status"),
    path("<int:pk>/download/", views.job_download, name="download"),
    path("<int:pk>/retry/", views.job_retry, name="retry"),
]
