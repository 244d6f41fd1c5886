"""Sign in and out."""

from __future__ import annotations

from django.contrib.auth import views as auth_views


class LoginView(auth_views.LoginView):
    """Django's sign-in, rendered with the NHS.UK layout."""

    template_name = "accounts/login.jinja"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """Sign out (POST only, so a link cannot sign someone out)."""
