"""The bare Django project the benchmark compares every page with: Django's own
``startproject``, one view, served by the same gunicorn as the product."""

import ast
import json
import subprocess
import sys
from http.client import HTTPConnection
from pathlib import Path

import django
import pytest

from bench.serve import (
    BARE_PAGE,
    ROOT,
    Gunicorn,
    bare_env,
    production_env,
    write_bare_project,
    write_product_settings,
)

STARTPROJECT_SETTINGS = (
    Path(django.__file__).parent / "conf" / "project_template" / "project_name" / "settings.py-tpl"
)


def _assigned(source: str, name: str):
    """The last value ``source`` assigns to ``name``, evaluated as a literal."""
    value = None
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            value = ast.literal_eval(node.value)
    return value


def test_the_bare_project_keeps_startprojects_middleware_and_turns_debug_off(tmp_path):
    write_bare_project(tmp_path)
    settings = (tmp_path / "bareproject" / "settings.py").read_text()
    template = STARTPROJECT_SETTINGS.read_text().replace("{{ secret_key }}", "x")

    assert _assigned(settings, "MIDDLEWARE") == _assigned(template, "MIDDLEWARE")
    assert "django.middleware.csrf.CsrfViewMiddleware" in _assigned(settings, "MIDDLEWARE")
    assert _assigned(settings, "DEBUG") is False


def test_the_bare_environment_does_not_carry_the_products_settings(monkeypatch):
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "smartclusters.settings.production")
    monkeypatch.setenv("PYTHONPATH", "/somewhere")

    env = bare_env()

    assert env["DJANGO_SETTINGS_MODULE"] == "bareproject.settings"
    assert "PYTHONPATH" not in env


@pytest.mark.services
def test_gunicorn_serves_the_bare_view(tmp_path):
    app = write_bare_project(tmp_path / "bare")

    with Gunicorn(
        app, workers=2, chdir=tmp_path / "bare", env=bare_env(), log=tmp_path / "log"
    ) as g:
        connection = HTTPConnection("127.0.0.1", g.port, timeout=60)
        connection.request("GET", "/", headers={"Host": "localhost"})
        response = connection.getresponse()
        body = response.read().decode()

    assert response.status == 200
    assert body == BARE_PAGE
    assert response.getheader("X-Frame-Options") == "DENY"  # the default middleware ran


def test_the_product_is_served_with_production_settings_and_static_files_elsewhere(tmp_path):
    write_product_settings(tmp_path / "settings", tmp_path / "static")
    env = production_env(
        database_url="postgres://postgres@127.0.0.1:5432/unused",
        redis_url="redis://127.0.0.1:6379/15",
        settings_dir=tmp_path / "settings",
        page_cache=False,
    )
    show = (
        "import json, django; from django.conf import settings; django.setup(); "
        "print(json.dumps([settings.DEBUG, str(settings.STATIC_ROOT), "
        "settings.STAFF_REQUIRE_MFA, settings.STORAGES['staticfiles']['BACKEND']]))"
    )

    done = subprocess.run(
        [sys.executable, "-c", show], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    )

    assert json.loads(done.stdout.splitlines()[-1]) == [
        False,
        str(tmp_path / "static"),
        True,
        "whitenoise.storage.CompressedManifestStaticFilesStorage",
    ]
    assert env["PAGE_CACHE"] == "off"
