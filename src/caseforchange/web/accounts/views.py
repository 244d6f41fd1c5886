"""Sign in and out, and set a password from an invitation or reset link."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse_lazy

from caseforchange.web.accounts import oidc, throttle
from caseforchange.web.audit.chain import record


class LoginView(auth_views.LoginView):
    """Django's sign-in, rendered with the NHS.UK layout, with wrong passwords throttled.

    Each sign-in and each failure is audited. Every failure shows the same message whether or
    not the username exists; once a username or an address has failed too often, attempts are
    refused unchecked (429) until the window passes.
    """

    template_name = "accounts/login.jinja"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """Refuse a throttled attempt unchecked; otherwise sign in as Django does."""
        username = str(request.POST.get("username", ""))
        if throttle.throttled(request, username):
            throttle.failed(request, username, refused=True)
            form = self.get_form()
            response = self.render_to_response(self.get_context_data(form=form, throttled=True))
            response.status_code = 429
            return response
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        """Add whether single sign-on is offered, and its button's words."""
        context: dict[str, Any] = super().get_context_data(**kwargs)
        context.update(sso_enabled=oidc.enabled(), sso_label=settings.OIDC_LABEL)
        return context

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        """Sign in as Django does, and audit it (a second factor, if any, is audited apart)."""
        response = super().form_valid(form)
        name = form.get_user().get_username()
        record(f"user {name}", "signed in", f"account[{name}]")
        return response

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        """Count and audit the wrong password, then show the form again."""
        throttle.failed(self.request, str(form.data.get("username", "")), refused=False)
        return super().form_invalid(form)


class LogoutView(auth_views.LogoutView):
    """Sign out (POST only, so a link cannot sign someone out)."""


class PasswordResetView(auth_views.PasswordResetView):
    """Ask for a link to set a new password; the page says the same whether or not it exists."""

    template_name = "accounts/password_reset.jinja"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        """Send the link unless this address or client asked too often; answer the same."""
        if throttle.reset_allowed(self.request, str(form.cleaned_data["email"])):
            return super().form_valid(form)
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    """Say that a link was sent if the address belongs to an account."""

    template_name = "accounts/password_reset_done.jinja"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Set a password from an invitation or reset link (signed, expiring, works once)."""

    template_name = "accounts/password_set.jinja"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: SetPasswordForm[Any]) -> HttpResponse:
        """Save the password and record in the audit trail that it was set."""
        response = super().form_valid(form)
        record(
            f"user {form.user.get_username()}",
            "password set",
            f"account[{form.user.get_username()}]",
        )
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    """Say the password is set and offer to sign in."""

    template_name = "accounts/password_reset_complete.jinja"
