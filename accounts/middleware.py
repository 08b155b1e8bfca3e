"""Staff accounts hold the keys to everyone's data: they get a shorter leash."""

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


class StaffSessionIdleTimeoutMiddleware:
    """A staff session expires after ``STAFF_SESSION_IDLE_SECONDS`` without a request.

    The expiry is set after the view, so it also covers the request that logged the
    person in, and every later request pushes it back. Members keep the normal session.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff:
            request.session.set_expiry(settings.STAFF_SESSION_IDLE_SECONDS)
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
