"""Routes of engagement and consultation: the plan, file, responses, report and free text."""

from __future__ import annotations

from django.urls import URLPattern, path

from caseforchange.web.consultation import coding_views, views

app_name = "consultation"

urlpatterns: list[URLPattern] = [
    path("programmes/<slug:slug>/engagement/", views.overview, name="activities"),
    path(
        "programmes/<slug:slug>/engagement/engagement.yaml",
        views.engagement_file,
        name="file",
    ),
    path(
        "programmes/<slug:slug>/engagement/responses/",
        views.responses,
        name="responses",
    ),
    path(
        "programmes/<slug:slug>/engagement/consultation-report.<str:fmt>",
        views.report,
        name="report",
    ),
    path("programmes/<slug:slug>/engagement/text/", coding_views.text_index, name="text"),
    path(
        "programmes/<slug:slug>/engagement/text/<str:questionnaire>/<str:question>/",
        coding_views.question_summary,
        name="text_question",
    ),
    path(
        "programmes/<slug:slug>/engagement/text/<str:questionnaire>/<str:question>/codebook/",
        coding_views.codebook,
        name="text_codebook",
    ),
    path(
        "programmes/<slug:slug>/engagement/text/<str:questionnaire>/<str:question>/"
        "codebook/<str:key>/",
        coding_views.theme_edit,
        name="text_theme",
    ),
    path(
        "programmes/<slug:slug>/engagement/text/<str:questionnaire>/<str:question>/code/",
        coding_views.code_answer,
        name="text_code",
    ),
    path(
        "programmes/<slug:slug>/engagement/text/<str:questionnaire>/<str:question>/review/",
        coding_views.review,
        name="text_review",
    ),
    path(
        "programmes/<slug:slug>/engagement/text/<str:questionnaire>/<str:question>/"
        "ledger.<str:fmt>",
        coding_views.ledger,
        name="text_ledger",
    ),
]
