"""The bare Django project the benchmark compares every page with: Django's own
``startproject``, one view, served by the same gunicorn as the product."""

import ast
from http.client import HTTPConnection
from pathlib import Path

import django
import pytest

from bench.serve import BARE_PAGE, Gunicorn, bare_env, write_bare_project

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
