"""Fixtures of the core tests."""

import runpy
import socket

import pytest
from django.core.cache import caches

from smartclusters.settings import base as base_settings


def _closed_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def redis_down(settings, monkeypatch):
    """The CACHES the real settings build when ``REDIS_URL`` names a port nobody listens on."""
    monkeypatch.setenv("REDIS_URL", f"redis://127.0.0.1:{_closed_port()}/0")
    built = runpy.run_path(base_settings.__file__)
    assert built["CACHES"]["default"]["BACKEND"] != (
        "django.core.cache.backends.locmem.LocMemCache"
    )
    settings.CACHES = built["CACHES"]  # Django's setting_changed signal resets ``caches``
    return caches["default"]
