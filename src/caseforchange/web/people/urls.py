"""Routes of people management, under ``/people/``: administrators only."""

from __future__ import annotations

from django.urls import URLPattern, path

from caseforchange.web.people import views

app_name = "people"

urlpatterns: list[URLPattern] = [
    path("", views.people_list, name="list"),
    path("invite/", views.people_invite, name="invite"),
    path("<int:pk>/", views.person, name="detail"),
]
