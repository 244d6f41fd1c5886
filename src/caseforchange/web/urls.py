"""The web app's routes."""

from __future__ import annotations

from django.urls import include, path

from caseforchange.web.accounts import views as accounts
from caseforchange.web.accounts.urls import account_routes, people_urls
from caseforchange.web.audit import views as audit
from caseforchange.web.consultation import coding_views
from caseforchange.web.consultation import views as consultation
from caseforchange.web.flow import views as flow
from caseforchange.web.jobs import views as jobs
from caseforchange.web.programmes import (
    ahp_views,
    appraisal_settings,
    criteria_order,
    criteria_views,
    decision_forms,
    decision_views,
    lifecycle,
    nested,
    programme_details,
    scores_grid,
    signoff,
)
from caseforchange.web.programmes import option_configuration as configuration
from caseforchange.web.programmes import views as programmes
from caseforchange.web.workshops import room_views
from caseforchange.web.workshops import views as workshops

accounts_urls = (
    [
        path("login/", accounts.LoginView.as_view(), name="login"),
        path("logout/", accounts.LogoutView.as_view(), name="logout"),
        *account_routes,
    ],
    "accounts",
)

programme_urls = (
    [
        path("", programmes.programme_list, name="list"),
        path("new/", programmes.programme_new, name="new"),
        path("import/", programmes.programme_import, name="import"),
        path("archived/", lifecycle.archived_list, name="archived"),
        path("<slug:slug>/", programmes.programme_detail, name="detail"),
        path("<slug:slug>/criteria/", programmes.criteria, name="criteria"),
        path("<slug:slug>/criteria/new/", criteria_views.criterion_item, name="criterion_new"),
        path("<slug:slug>/criteria/weighting/", criteria_views.weighting, name="weighting"),
        path("<slug:slug>/criteria/weighting/ahp/", ahp_views.ahp_index, name="ahp"),
        path(
            "<slug:slug>/criteria/weighting/ahp/<str:group>/",
            ahp_views.ahp_group,
            name="ahp_group",
        ),
        path("<slug:slug>/details/", programme_details.programme_details, name="details"),
        path("<slug:slug>/decision/", decision_views.decision_page, name="decision"),
        path(
            "<slug:slug>/decision/settings/<str:part>/",
            decision_forms.part_settings,
            name="decision_part",
        ),
        path(
            "<slug:slug>/decision/finance/<str:option>/",
            decision_forms.finance_option,
            name="decision_finance",
        ),
        path(
            "<slug:slug>/decision/equality/<str:option>/",
            decision_forms.equality_option,
            name="decision_equality",
        ),
        path(
            "<slug:slug>/decision/workforce/<str:option>/",
            decision_forms.workforce_moves,
            name="decision_moves",
        ),
        path(
            "<slug:slug>/decision/assurance/<str:checklist>/<str:item>/",
            decision_forms.assurance_item,
            name="decision_assurance",
        ),
        path("<slug:slug>/versions/", lifecycle.programme_versions, name="versions"),
        path("<slug:slug>/signoff/", signoff.signoff_new, name="signoff_new"),
        path("<slug:slug>/signoff/<int:revision>/", signoff.signoff_detail, name="signoff"),
        path(
            "<slug:slug>/signoff/<int:revision>/changes/",
            signoff.changes_since,
            name="signoff_changes",
        ),
        path("<slug:slug>/duplicate/", lifecycle.programme_duplicate, name="duplicate"),
        path("<slug:slug>/archive/", lifecycle.programme_archive, name="archive"),
        path("<slug:slug>/delete/", lifecycle.programme_delete, name="delete"),
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
        path("<slug:slug>/appraisal/", programmes.appraisal, name="appraisal"),
        path("<slug:slug>/report.<str:fmt>", programmes.download, name="download"),
        path("<slug:slug>/export/<str:kind>/", programmes.export, name="export"),
        path("<slug:slug>/access/", programmes.members, name="members"),
        path("<slug:slug>/records/<str:section>/", programmes.section_list, name="section"),
        path("<slug:slug>/records/<str:section>/new/", programmes.section_item, name="item_new"),
        path(
            "<slug:slug>/records/<str:section>/<str:item_id>/",
            programmes.section_item,
            name="item",
        ),
        path(
            "<slug:slug>/records/<str:section>/<str:item_id>/remove/",
            programmes.section_delete,
            name="item_delete",
        ),
        path(
            "<slug:slug>/records/options/<str:option_id>/configuration/",
            configuration.configuration,
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
    ],
    "programmes",
)

workshop_urls = (
    [
        path("join/", workshops.join, name="join"),
        path("join/you/", workshops.join_details, name="join_details"),
        path("w/", workshops.participant_home, name="participant_home"),
        path("w/score/<str:option>/", workshops.score_option, name="score"),
        path("w/submit/", workshops.submit, name="submit"),
        path("w/leave/", workshops.leave, name="leave"),
        path("w/withdraw/", workshops.withdraw, name="withdraw"),
        path("w/results/", workshops.participant_results, name="participant_results"),
        path("w/outputs/", workshops.participant_outputs, name="participant_outputs"),
        path("programmes/<slug:slug>/sessions/", workshops.session_list, name="list"),
        path("sessions/<int:pk>/", workshops.dashboard, name="dashboard"),
        path("sessions/<int:pk>/progress/", workshops.progress, name="progress"),
        path("sessions/<int:pk>/action/", workshops.session_action, name="action"),
        path("sessions/<int:pk>/results/", workshops.results, name="results"),
        path("sessions/<int:pk>/outputs/", workshops.facilitator_outputs, name="outputs"),
        path("sessions/<int:pk>/participants/", room_views.participants, name="participants"),
        path(
            "sessions/<int:pk>/personal-data/",
            room_views.delete_personal_data,
            name="delete_personal_data",
        ),
        path("sessions/<int:pk>/export/<str:name>", room_views.room_export, name="export"),
    ],
    "workshops",
)

other_urls = (
    [
        path("programmes/<slug:slug>/history/", audit.programme_history, name="history"),
        path("audit/verify/", audit.verify_chain, name="verify"),
    ],
    "audit",
)

jobs_urls = (
    [
        path("<int:pk>/", jobs.job_status, name="status"),
        path("<int:pk>/download/", jobs.job_download, name="download"),
        path("<int:pk>/retry/", jobs.job_retry, name="retry"),
    ],
    "jobs",
)

consultation_urls = (
    [
        path("programmes/<slug:slug>/engagement/", consultation.overview, name="activities"),
        path(
            "programmes/<slug:slug>/engagement/engagement.yaml",
            consultation.engagement_file,
            name="file",
        ),
        path(
            "programmes/<slug:slug>/engagement/responses/",
            consultation.responses,
            name="responses",
        ),
        path(
            "programmes/<slug:slug>/engagement/consultation-report.<str:fmt>",
            consultation.report,
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
    ],
    "consultation",
)

flow_urls = (
    [
        path("programmes/<slug:slug>/flow/", flow.flow_model, name="model"),
        path("programmes/<slug:slug>/flow/flow.yaml", flow.flow_file, name="file"),
        path(
            "programmes/<slug:slug>/flow/teams/<str:scope>/<str:team>/",
            flow.flow_team,
            name="team",
        ),
        path("programmes/<slug:slug>/flow/demand/", flow.flow_demand, name="demand"),
        path("programmes/<slug:slug>/flow/costs/", flow.flow_costs, name="costs"),
        path("programmes/<slug:slug>/flow/settings/", flow.flow_settings, name="settings"),
        path("programmes/<slug:slug>/flow/runs/", flow.flow_run_start, name="run_start"),
        path("programmes/<slug:slug>/flow/runs/<int:pk>/", flow.flow_run, name="run"),
        path(
            "programmes/<slug:slug>/flow/runs/<int:pk>/status/",
            flow.flow_run_status,
            name="run_status",
        ),
    ],
    "flow",
)

urlpatterns = [
    path("", programmes.home, name="home"),
    path("accounts/", include(accounts_urls)),
    path("people/", include(people_urls)),
    path("programmes/", include(programme_urls)),
    path("", include(workshop_urls)),
    path("", include(other_urls)),
    path("", include(consultation_urls)),
    path("", include(flow_urls)),
    path("jobs/", include(jobs_urls)),
]
