from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import PermissionDenied

from core.ratelimit import client_ip


class AccountAdapter(DefaultAccountAdapter):
    """Keeps e-mail addresses lower-case so one person has one account."""

    def clean_email(self, email: str) -> str:
        return super().clean_email(email).strip().lower()

    def get_client_ip(self, request) -> str:
        """The address allauth's rate limits key on: the same as the site's own limits
        (the proxy's ``CLIENT_IP_HEADER``, else the connection's address)."""
        ip = client_ip(request)
        if not ip:
            raise PermissionDenied("Unable to determine client IP address")
        return ip
