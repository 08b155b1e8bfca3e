"""One value in the shared cache that every stored page must match to be served.

A change gives it a value never used before (random), rather than counting up: if the key
is evicted or Redis restarts, a new count could meet an old entry's number again.
"""

import logging
import secrets
import threading

from django.conf import settings
from django.core.cache import BaseCache, caches

logger = logging.getLogger(__name__)

GENERATION_KEY = "pagecache:generation"
# Where the middleware leaves the generation it read for the request (see fragments.py).
REQUEST_ATTRIBUTE = "_page_cache_generation"

# Set when a change could not reach the cache (an outage): the next request or write of
# this process tries again, so pages stored before the outage are not served afterwards.
_missed_bump = threading.Event()
# Counts the pages this process stored; see writes.py (a transaction that writes again
# after one of its own readers stored a page must change the generation again).
_stored = [0]


def page_cache() -> BaseCache:
    return caches[settings.PAGE_CACHE_ALIAS]


def new_generation() -> str:
    return secrets.token_hex(8)


def current_or_new(cache: BaseCache, found: object) -> str | None:
    """The generation ``found`` in the cache, or a new one when the cache lost it (or never
    had one); None if another process started one first (then nothing is stored)."""
    if isinstance(found, str):
        return found
    candidate = new_generation()
    return candidate if cache.add(GENERATION_KEY, candidate, timeout=None) else None


def bump() -> None:
    """Give the generation a new value: every page stored so far stops being served."""
    cache = page_cache()
    # The fail-soft Redis cache hides an outage; its strict twin tells us, so that the
    # change is tried again later instead of being lost.
    strict = getattr(cache, "strict", cache)
    try:
        strict.set(GENERATION_KEY, new_generation(), timeout=None)
    except Exception as exc:  # a cache outage must never fail a write
        logger.warning("page cache generation not changed (%s: %s)", type(exc).__name__, exc)
        _missed_bump.set()
    else:
        _missed_bump.clear()


def retry_missed_bump() -> None:
    if _missed_bump.is_set():
        bump()


def note_stored() -> None:
    _stored[0] += 1


def stored_count() -> int:
    return _stored[0]
