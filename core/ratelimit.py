"""Per-client rate limits on the expensive public endpoints (django-ratelimit).

Searches, CSV exports, calendar feeds and the readiness probe each cost queries that
anyone can ask for in a loop. Each such view counts its requests per client IP address
in the cache; over ``settings.RATELIMIT_RATES[kind]`` (``"60/m"``: 60 a minute) the
client gets the 429 page, with ``Retry-After`` saying when the window ends. A cache
outage lets requests through (``RATELIMIT_FAIL_OPEN``), as the fail-soft cache does.

The client is :func:`client_ip` (``RATELIMIT_IP_META_KEY`` names it; allauth's own limits
use it too, see accounts.adapters).
"""

import ipaddress
import logging
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.shortcuts import render
from django_ratelimit import ALL
from django_ratelimit.core import get_usage

from core.cache import OUTAGE_ERRORS

logger = logging.getLogger(__name__)


def client_ip(request) -> str:
    """The client's address: the ``settings.CLIENT_IP_HEADER`` the proxy sets, else the
    connection's address.

    A request without the header (or with something that is not an address in it) is keyed
    on ``REMOTE_ADDR``: behind the proxy that is every request that did not come through
    the proxy, such as the container's own health check. This is safe only because the
    web service is reachable through the proxy alone, which always sets the header.
    """
    header = settings.CLIENT_IP_HEADER
    if header:
        forwarded = request.headers.get(header, "").strip()
        try:
            return str(ipaddress.ip_address(forwarded))
        except ValueError:
            pass
    return request.META.get("REMOTE_ADDR", "")


def is_search(request) -> bool:
    """A listing asked for with a filter or query (a plain page, or a page number, is not)."""
    return any(value for key, value in request.GET.items() if key != "page")


def too_many_requests(request, *, retry_after: int):
    response = render(request, "429.html", {"retry_after": retry_after}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def _usage(request, kind: str, key: Callable | None = None) -> dict | None:
    # ``key(request)`` names what is counted; None (or no ``key``): the client's address.
    counted = key(request) if key is not None else None
    try:
        return get_usage(
            request,
            group=f"smartclusters.{kind}",
            key=(lambda _group, _request: counted) if counted else "ip",
            rate=settings.RATELIMIT_RATES[kind],
            method=ALL,
            increment=True,
        )
    except OUTAGE_ERRORS as exc:  # a cache without the fail-soft wrapper: fail open too
        logger.warning("rate limit %s not checked, cache unavailable: %s", kind, exc)
        return None


def rate_limit(kind: str, *, when: Callable | None = None, key: Callable | None = None):
    """Limit the view to ``settings.RATELIMIT_RATES[kind]`` requests per client IP.

    ``when(request)``, if given, says which requests count (the others pass freely).
    ``key(request)``, if given, names what a request counts against instead of the
    client's address (a string), or returns None to count it against the address.
    """

    def decorator(view):
        @wraps(view)
        def limited_view(request, *args, **kwargs):
            if when is None or when(request):
                usage = _usage(request, kind, key)
                if usage is not None and usage["should_limit"]:
                    return too_many_requests(request, retry_after=max(usage["time_left"], 1))
            return view(request, *args, **kwargs)

        return limited_view

    return decorator
