"""Liveness and readiness probes for load balancers and orchestrators."""

import logging
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.ratelimit import rate_limit

logger = logging.getLogger(__name__)


def check_database() -> None:
    for alias in connections:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()


def check_cache() -> None:
    # The real cache, not the fail-soft wrapper the pages use: an outage must show here.
    real = getattr(cache, "strict", cache)
    key = f"readyz:{uuid.uuid4().hex}"
    real.set(key, "ok", 10)
    if real.get(key) != "ok":
        raise RuntimeError("cache did not return the value just written")
    real.delete(key)


def check_broker() -> str:
    """Open a connection to the Celery broker. In-process (eager) mode has none."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "in-process"
    # The project's Celery app is the current one (smartclusters/__init__.py loads it);
    # core reaches it without importing the project package.
    from celery import current_app

    with current_app.connection_for_write(url=settings.CELERY_BROKER_URL) as conn:
        conn.ensure_connection(max_retries=1, timeout=3)
    return "ok"


@never_cache
@require_GET
def healthz(request):
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
@rate_limit("readyz")
def readyz(request):
    checks: dict[str, str] = {}
    failing: list[str] = []
    for name, check in (
        ("database", check_database),
        ("cache", check_cache),
        ("broker", check_broker),
    ):
        try:
            checks[name] = check() or "ok"
        except Exception as exc:
            logger.warning("readiness check %s failed: %s", name, exc)
            checks[name] = f"error: {exc.__class__.__name__}"
            failing.append(name)
    status = 503 if failing else 200
    return JsonResponse(
        {"status": "unavailable" if failing else "ok", "failing": failing, "checks": checks},
        status=status,
    )
