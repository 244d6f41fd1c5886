"""Routes of the patient-flow pages: the model, its edit forms, runs and results."""

from __future__ import annotations

from django.urls import URLPattern, path

from caseforchange.web.flow import views

app_name = "flow"

urlpatterns: list[URLPattern] = [
    path("programmes/<slug:slug>/flow/", views.flow_model, name="model"),
    path("programmes/<slug:slug>/flow/flow.yaml", views.flow_file, name="file"),
    path(
        "programmes/<slug:slug>/flow/teams/<str:scope>/<str:team>/",
        views.flow_team,
        name="team",
    ),
    path("programmes/<slug:slug>/flow/demand/", views.flow_demand, name="demand"),
    path("programmes/<slug:slug>/flow/costs/", views.flow_costs, name="costs"),
    path("programmes/<slug:slug>/flow/settings/", views.flow_settings, name="settings"),
    path("programmes/<slug:slug>/flow/runs/", views.flow_run_start, name="run_start"),
    path("programmes/<slug:slug>/flow/runs/<int:pk>/", views.flow_run, name="run"),
    path(
        "programmes/<slug:slug>/flow/runs/<int:pk>/status/",
        views.flow_run_status,
        name="run_status",
    ),
]
