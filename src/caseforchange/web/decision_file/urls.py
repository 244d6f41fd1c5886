"""Routes of the decision file's pages, in the ``programmes`` namespace under ``/programmes/``."""

from __future__ import annotations

from django.urls import URLPattern, path

from caseforchange.web.decision_file import forms, views

routes: list[URLPattern] = [
    path("<slug:slug>/decision/", views.decision_page, name="decision"),
    path(
        "<slug:slug>/decision/settings/<str:part>/",
        forms.part_settings,
        name="decision_part",
    ),
    path(
        "<slug:slug>/decision/finance/<str:option>/",
        forms.finance_option,
        name="decision_finance",
    ),
    path(
        "<slug:slug>/decision/equality/<str:option>/",
        forms.equality_option,
        name="decision_equality",
    ),
    path(
        "<slug:slug>/decision/workforce/<str:option>/",
        forms.workforce_moves,
        name="decision_moves",
    ),
    path(
        "<slug:slug>/decision/assurance/<str:checklist>/<str:item>/",
        forms.assurance_item,
        name="decision_assurance",
    ),
]
