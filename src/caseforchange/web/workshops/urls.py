"""Routes of live workshop scoring: participants' phone pages and the facilitator's room."""

from __future__ import annotations

from django.urls import URLPattern, path

from caseforchange.web.workshops import room_views, views

app_name = "workshops"

urlpatterns: list[URLPattern] = [
    path("join/", views.join, name="join"),
    path("join/you/", views.join_details, name="join_details"),
    path("w/", views.participant_home, name="participant_home"),
    path("w/score/<str:option>/", views.score_option, name="score"),
    path("w/submit/", views.submit, name="submit"),
    path("w/leave/", views.leave, name="leave"),
    path("w/withdraw/", views.withdraw, name="withdraw"),
    path("w/results/", views.participant_results, name="participant_results"),
    path("w/outputs/", views.participant_outputs, name="participant_outputs"),
    path("programmes/<slug:slug>/sessions/", views.session_list, name="list"),
    path("sessions/<int:pk>/", views.dashboard, name="dashboard"),
    path("sessions/<int:pk>/progress/", views.progress, name="progress"),
    path("sessions/<int:pk>/action/", views.session_action, name="action"),
    path("sessions/<int:pk>/results/", views.results, name="results"),
    path("sessions/<int:pk>/outputs/", views.facilitator_outputs, name="outputs"),
    path("sessions/<int:pk>/participants/", room_views.participants, name="participants"),
    path(
        "sessions/<int:pk>/personal-data/",
        room_views.delete_personal_data,
        name="delete_personal_data",
    ),
    path("sessions/<int:pk>/export/<str:name>", room_views.room_export, name="export"),
]
