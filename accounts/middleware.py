"""Staff accounts hold the keys to everyone's data: they get a shorter leash."""

import time

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .selectors import user_has_mfa

STAFF_MFA_REQUIRED = _(
    "Staff accounts must use two-factor authentication. Set up an authenticator app "
    "below; then the admin opens."
)


# The expiry of a staff session is pushed back at most this often: a session write per
# minute, not per request (the idle period is then exact to within this much).
STAFF_SESSION_REFRESH_SECONDS = 60
_ACTIVITY_KEY = "staff_activity_at"


def staff_session_touch(session) -> None:
    """Give the session ``STAFF_SESSION_IDLE_SECONDS`` from now."""
    session.set_expiry(settings.STAFF_SESSION_IDLE_SECONDS)
    session[_ACTIVITY_KEY] = int(time.time())


class StaffSessionIdleTimeoutMiddleware:
    """A staff session expires after ``STAFF_SESSION_IDLE_SECONDS`` without a request.

    Logging in sets the expiry (accounts.signals); later requests push it back, at most
    once a minute. Members keep the normal session.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff:
            session = request.session
            seen = session.get(_ACTIVITY_KEY, 0)
            # allauth's login form sets its own expiry ("remember me") after the login.
            overridden = session.get_expiry_age() != settings.STAFF_SESSION_IDLE_SECONDS
            if overridden or time.time() - seen >= STAFF_SESSION_REFRESH_SECONDS:
                staff_session_touch(session)
        return response


class StaffMfaRequiredMiddleware:
    """With ``STAFF_REQUIRE_MFA``, a staff account without TOTP gets no admin page: it is
    sent to set TOTP up. Pages outside the admin (the MFA pages, e-mail addresses,
    logout) stay open, so the person can finish; so does the admin's own logout."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.STAFF_REQUIRE_MFA and self._needs_totp(request):
            messages.warning(request, STAFF_MFA_REQUIRED)
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    @staticmethod
    def _needs_totp(request) -> bool:
        user = request.user
        if not (user.is_authenticated and user.is_staff):
            return False
        path = request.path
        if not path.startswith(reverse("admin:index")) or path == reverse("admin:logout"):
            return False
        return not user_has_mfa(user=user)
