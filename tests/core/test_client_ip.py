"""Behind the compose proxy, every request reaches gunicorn from Caddy's address; the
client's own is in the header Caddy sets. The rate limits (the site's and allauth's) key
on that header, and a request without it (the container's health check) still gets an
answer rather than a 500."""

import runpy
from pathlib import Path

import pytest
import yaml
from django.urls import reverse

from smartclusters.settings import base as base_settings
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent.parent
PROXY = "172.18.0.5"  # Caddy's address inside the compose network
LIMIT = 3
# Settings that say where the client's address is.
CLIENT_IP_SETTINGS = (
    "CLIENT_IP_HEADER",
    "RATELIMIT_IP_META_KEY",
    "ALLAUTH_TRUSTED_CLIENT_IP_HEADER",
)


@pytest.fixture
def compose_settings(settings, monkeypatch):
    """The client-address settings the web service gets from docker-compose.yml."""
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    for name, value in compose["x-app"]["environment"].items():
        monkeypatch.setenv(name, str(value))
    built = runpy.run_path(base_settings.__file__)
    applied = {name: built[name] for name in CLIENT_IP_SETTINGS if name in built}
    assert any(applied.values()), "compose names no header for the client's address"
    for name, value in applied.items():
        setattr(settings, name, value)
    return settings


def test_the_compose_health_check_without_the_proxy_header_gets_readyz(client, compose_settings):
    response = client.get(reverse("readyz"), REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "ok"


def test_a_rate_limited_search_without_the_proxy_header_is_served(client, db, compose_settings):
    response = client.get(reverse("practices:repository") + "?q=data", REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 200


def test_clients_behind_the_same_proxy_are_limited_separately(client, db, compose_settings):
    compose_settings.RATELIMIT_RATES = {**compose_settings.RATELIMIT_RATES, "search": f"{LIMIT}/h"}
    # Each search a new one: the page cache serves one it has rendered without counting it.
    urls = [reverse("practices:repository") + f"?q=data{n}" for n in range(LIMIT + 3)]
    for n in range(LIMIT):
        assert (
            client.get(urls[n], REMOTE_ADDR=PROXY, HTTP_X_REAL_IP="203.0.113.7").status_code == 200
        )
    assert (
        client.get(urls[LIMIT], REMOTE_ADDR=PROXY, HTTP_X_REAL_IP="203.0.113.7").status_code == 429
    )
    # Another client, through the same proxy, is not held back.
    assert (
        client.get(urls[LIMIT + 1], REMOTE_ADDR=PROXY, HTTP_X_REAL_IP="198.51.100.20").status_code
        == 200
    )
    # Nor is a request without the header (keyed on the proxy's own address).
    assert client.get(urls[LIMIT + 2], REMOTE_ADDR=PROXY).status_code == 200


def test_a_header_that_is_not_an_address_falls_back_to_the_connection(client, db, compose_settings):
    response = client.get(
        reverse("practices:repository") + "?q=data", REMOTE_ADDR=PROXY, HTTP_X_REAL_IP="nonsense"
    )
    assert response.status_code == 200


def test_failed_logins_of_one_client_do_not_lock_out_another_behind_the_proxy(
    client, member, compose_settings
):
    compose_settings.ACCOUNT_RATE_LIMITS = {"login_failed": f"{LIMIT}/m/ip"}
    login = reverse("account_login")
    attacker = {"REMOTE_ADDR": PROXY, "HTTP_X_REAL_IP": "203.0.113.66"}
    for attempt in range(LIMIT + 1):
        client.post(login, {"login": member.email, "password": f"wrong-{attempt}"}, **attacker)
    # The attacker is now throttled: even the right password is refused.
    response = client.post(login, {"login": member.email, "password": TEST_PASSWORD}, **attacker)
    assert response.status_code != 302
    assert "_auth_user_id" not in client.session

    # The member, through the same proxy from another address, logs in.
    response = client.post(
        login,
        {"login": member.email, "password": TEST_PASSWORD},
        REMOTE_ADDR=PROXY,
        HTTP_X_REAL_IP="198.51.100.20",
    )
    assert response.status_code == 302, response.status_code
    assert client.session["_auth_user_id"] == str(member.pk)
