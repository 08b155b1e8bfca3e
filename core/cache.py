"""A Redis cache that fails soft: a cache outage must not become a site outage.

Login, signup and password reset go through allauth's rate limits, which live in the
cache; the exports, feeds and searches go through django-ratelimit's. With Django's own
``RedisCache`` an unreachable Redis turns each of those pages into a 500. This backend
catches Redis connection and timeout errors on every operation, logs a warning, and
answers as if the key were missing: reads miss, writes do nothing, and ``add`` reports
success, so a rate limit lets the person through rather than locking everyone out while
Redis is down.

One exception fails closed: allauth records each TOTP code used with ``add`` and refuses
the code when the key is already there. A soft ``add`` would accept the same code twice
(a replay), so for those keys (``FAIL_CLOSED_KEY_PREFIXES``) an outage answers "already
used": staff cannot pass the TOTP step while Redis is down; members without TOTP still
log in.

The readiness probe must still see the outage: it uses :attr:`FailSoftRedisCache.strict`,
the same cache without the safety net.
"""

import logging
from collections.abc import Callable
from functools import cached_property
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

OUTAGE_ERRORS = (RedisConnectionError, RedisTimeoutError, OSError)

# allauth.mfa.totp.internal.auth.TOTP._get_used_cache_key: one key per code used.
FAIL_CLOSED_KEY_PREFIXES = ("allauth.mfa.totp.used",)


class FailSoftRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._server_setting = server
        self._params = params

    @cached_property
    def strict(self) -> RedisCache:
        """The same Redis cache with errors left to raise (for the readiness probe)."""
        return RedisCache(self._server_setting, self._params)

    def _soft(self, operation: str, call: Callable[[], Any], fallback: Any) -> Any:
        try:
            return call()
        except OUTAGE_ERRORS as exc:
            logger.warning(
                "cache unavailable, %s skipped (%s: %s)", operation, exc.__class__.__name__, exc
            )
            return fallback

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        fallback = not str(key).startswith(FAIL_CLOSED_KEY_PREFIXES)
        return self._soft(
            "add",
            lambda: super(FailSoftRedisCache, self).add(key, value, timeout, version),
            fallback,
        )

    def get(self, key, default=None, version=None):
        return self._soft(
            "get", lambda: super(FailSoftRedisCache, self).get(key, default, version), default
        )

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._soft(
            "set", lambda: super(FailSoftRedisCache, self).set(key, value, timeout, version), None
        )

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._soft(
            "touch", lambda: super(FailSoftRedisCache, self).touch(key, timeout, version), False
        )

    def delete(self, key, version=None):
        return self._soft(
            "delete", lambda: super(FailSoftRedisCache, self).delete(key, version), False
        )

    def get_many(self, keys, version=None):
        return self._soft(
            "get_many", lambda: super(FailSoftRedisCache, self).get_many(keys, version), {}
        )

    def has_key(self, key, version=None):
        return self._soft(
            "has_key", lambda: super(FailSoftRedisCache, self).has_key(key, version), False
        )

    def incr(self, key, delta=1, version=None):
        missing = object()
        result = self._soft(
            "incr", lambda: super(FailSoftRedisCache, self).incr(key, delta, version), missing
        )
        if result is missing:
            # What a cache says of a key it does not hold.
            raise ValueError(f"Key '{key}' not found (cache unavailable)")
        return result

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._soft(
            "set_many",
            lambda: super(FailSoftRedisCache, self).set_many(data, timeout, version),
            list(data),
        )

    def delete_many(self, keys, version=None):
        return self._soft(
            "delete_many", lambda: super(FailSoftRedisCache, self).delete_many(keys, version), None
        )

    def clear(self):
        return self._soft("clear", lambda: super(FailSoftRedisCache, self).clear(), False)
