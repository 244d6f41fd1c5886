"""Sign in and out."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse

from caseforchange.web.accounts import throttle


class LoginView(auth_views.LoginView):
    """Django's sign-in, rendered with the NHS.UK layout, with wrong passwords throttled.

    Every failure shows the same message whether or not the username exists; once a username
    or an address has failed too often, attempts are refused unchecked (429) until the window
    passes.
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

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        """Count and audit the wrong password, then show the form again."""
        throttle.failed(self.request, str(form.data.get("username", "")), refused=False)
        return super().form_invalid(form)


class LogoutView(auth_views.LogoutView):
    """Sign out (POST only, so a link cannot sign someone out)."""
