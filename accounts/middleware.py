"""Staff accounts hold the keys to everyone's data: they get a shorter leash."""

import time

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils.translation import gettext_lazy as _

from .permissions import is_secretariat
from .selectors import user_has_mfa

STAFF_MFA_REQUIRED = _(
    "Staff accounts must use two-factor authentication. Confirm your password if asked, "
    "then set up an authenticator app; until then no other page opens."
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
        if user is not None and is_secretariat(user):
            session = request.session
            seen = session.get(_ACTIVITY_KEY, 0)
            # allauth's login form sets its own expiry ("remember me") after the login.
            overridden = session.get_expiry_age() != settings.STAFF_SESSION_IDLE_SECONDS
            if overridden or time.time() - seen >= STAFF_SESSION_REFRESH_SECONDS:
                staff_session_touch(session)
        return response


# What a staff account without TOTP may still open: what it needs to set TOTP up (allauth
# asks for the password again first), its e-mail addresses, logging out, and the probes.
MFA_SETUP_URL_NAMES = frozenset(
    {
        "account_reauthenticate",
        "account_logout",
        "account_email",
        "account_email_verification_sent",
        "account_confirm_email",
        "admin:logout",
        "healthz",
        "readyz",
        "favicon",
    }
)


class StaffMfaRequiredMiddleware:
    """With ``STAFF_REQUIRE_MFA``, a staff account without TOTP gets no page at all but the
    few it needs to set TOTP up (``MFA_SETUP_URL_NAMES``, allauth's MFA pages and static
    files): it is sent to the TOTP setup. ``is_staff`` is the secretariat's authority on
    ordinary pages too (decisions, moderation, exports, private files), not in the admin
    only; a request refused here reaches no view, so it changes nothing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.STAFF_REQUIRE_MFA and self._needs_totp(request):
            messages.warning(request, STAFF_MFA_REQUIRED)
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    @staticmethod
    def _allowed(request) -> bool:
        if settings.STATIC_URL and request.path.startswith(settings.STATIC_URL):
            return True
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        name = match.view_name
        return name in MFA_SETUP_URL_NAMES or name.startswith("mfa_")

    @classmethod
    def _needs_totp(cls, request) -> bool:
        user = request.user
        if not is_secretariat(user):
            return False
        if cls._allowed(request):
            return False
        return not user_has_mfa(user=user)
