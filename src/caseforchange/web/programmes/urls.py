"""Routes of the programmes app: the workspace, its editing pages, sign-off and the audit trail.

The project's ``urls.py`` puts ``routes`` in the ``programmes`` namespace, after the services'
routes (``import/`` and ``archived/`` come before ``<slug>/``) and with the decision file's.
"""

from __future__ import annotations

from django.urls import URLPattern, path

from caseforchange.web.programmes import (
    ahp_views,
    appraisal_settings,
    audit_views,
    criteria_order,
    criteria_views,
    nested,
    option_configuration,
    programme_details,
    scores_grid,
    signoff,
    views,
)

#: The site's front door (no namespace).
root_routes: list[URLPattern] = [path("", views.home, name="home")]

#: The ``programmes`` namespace's own routes, under ``/programmes/``.
routes: list[URLPattern] = [
    path("", views.programme_list, name="list"),
    path("new/", views.programme_new, name="new"),
    path("<slug:slug>/", views.programme_detail, name="detail"),
    path("<slug:slug>/criteria/", views.criteria, name="criteria"),
    path("<slug:slug>/criteria/new/", criteria_views.criterion_item, name="criterion_new"),
    path("<slug:slug>/criteria/weighting/", criteria_views.weighting, name="weighting"),
    path("<slug:slug>/criteria/weighting/ahp/", ahp_views.ahp_index, name="ahp"),
    path(
        "<slug:slug>/criteria/weighting/ahp/<str:group>/",
        ahp_views.ahp_group,
        name="ahp_group",
    ),
    path("<slug:slug>/details/", programme_details.programme_details, name="details"),
    path("<slug:slug>/signoff/", signoff.signoff_new, name="signoff_new"),
    path("<slug:slug>/signoff/<int:revision>/", signoff.signoff_detail, name="signoff"),
    path(
        "<slug:slug>/signoff/<int:revision>/changes/",
        signoff.changes_since,
        name="signoff_changes",
    ),
    path("<slug:slug>/scores/", scores_grid.scores_index, name="scores"),
    path("<slug:slug>/scores/<str:panel_id>/", scores_grid.scores_grid, name="scores_grid"),
    path("<slug:slug>/criteria/move/", criteria_order.criterion_move, name="criterion_move"),
    path("<slug:slug>/criteria/scales/", criteria_views.scales, name="scales"),
    path("<slug:slug>/criteria/scales/new/", criteria_views.scale_item, name="scale_new"),
    path(
        "<slug:slug>/criteria/scales/<str:scale_id>/edit/",
        criteria_views.scale_item,
        name="scale",
    ),
    path(
        "<slug:slug>/criteria/scales/<str:scale_id>/remove/",
        criteria_views.scale_delete,
        name="scale_delete",
    ),
    path(
        "<slug:slug>/criteria/<str:criterion_id>/edit/",
        criteria_views.criterion_item,
        name="criterion",
    ),
    path(
        "<slug:slug>/criteria/<str:criterion_id>/remove/",
        criteria_views.criterion_delete,
        name="criterion_delete",
    ),
    path(
        "<slug:slug>/appraisal/settings/",
        appraisal_settings.appraisal_settings,
        name="appraisal_settings",
    ),
    path("<slug:slug>/appraisal/", views.appraisal, name="appraisal"),
    path("<slug:slug>/report.<str:fmt>", views.download, name="download"),
    path("<slug:slug>/access/", views.members, name="members"),
    path("<slug:slug>/records/<str:section>/", views.section_list, name="section"),
    path("<slug:slug>/records/<str:section>/new/", views.section_item, name="item_new"),
    path(
        "<slug:slug>/records/<str:section>/<str:item_id>/",
        views.section_item,
        name="item",
    ),
    path(
        "<slug:slug>/records/<str:section>/<str:item_id>/remove/",
        views.section_delete,
        name="item_delete",
    ),
    path(
        "<slug:slug>/records/options/<str:option_id>/configuration/",
        option_configuration.configuration,
        name="configuration",
    ),
    path(
        "<slug:slug>/records/<str:section>/<str:parent_id>/<str:child>/",
        nested.nested_list,
        name="nested",
    ),
    path(
        "<slug:slug>/records/<str:section>/<str:parent_id>/<str:child>/new/",
        nested.nested_item,
        name="nested_new",
    ),
    path(
        "<slug:slug>/records/<str:section>/<str:parent_id>/<str:child>/<str:item_id>/",
        nested.nested_item,
        name="nested_item",
    ),
    path(
        "<slug:slug>/records/<str:section>/<str:parent_id>/<str:child>/<str:item_id>/remove/",
        nested.nested_delete,
        name="nested_delete",
    ),
]

#: The ``audit`` namespace: a programme's history and the chain check.
audit_routes: list[URLPattern] = [
    path("programmes/<slug:slug>/history/", audit_views.programme_history, name="history"),
    path("audit/verify/", audit_views.verify_chain, name="verify"),
]
