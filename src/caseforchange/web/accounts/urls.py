"""Routes of the accounts app: sign in and out, password links, second factor, single sign-on."""

from __future__ import annotations

from django.urls import URLPattern, path

from caseforchange.web.accounts import mfa_views, oidc, views

app_name = "accounts"

urlpatterns: list[URLPattern] = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password-reset/sent/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "set-password/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "set-password/done/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("second-factor/", mfa_views.enrol, name="mfa_enrol"),
    path("second-factor/code/", mfa_views.verify, name="mfa_verify"),
    path("sso/start/", oidc.StartSignOn.as_view(), name="sso_start"),
    path("sso/callback/", oidc.FinishSignOn.as_view(), name="sso_callback"),
]
