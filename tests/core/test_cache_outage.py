"""A Redis outage is not a site outage: the account pages keep working on the cache the
settings build from ``REDIS_URL``, and the readiness probe still names the cache."""

import logging

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def _cache_warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]


def test_login_signup_and_password_reset_work_while_redis_is_down(
    client, member, redis_down, caplog
):
    caplog.set_level(logging.WARNING)
    login = reverse("account_login")
    for method in ("get", "head", "options"):
        response = getattr(client, method)(login)
        assert response.status_code == 200, (method, response.status_code)

    response = client.post(login, {"login": member.email, "password": TEST_PASSWORD})
    assert response.status_code == 302, response.status_code
    assert client.session["_auth_user_id"] == str(member.pk)
    client.post(reverse("account_logout"))

    signup = reverse("account_signup")
    assert client.get(signup).status_code == 200
    response = client.post(
        signup,
        {
            "email": "newcomer@example.org",
            "password1": "a-long-enough-passphrase",
            "password2": "a-long-enough-passphrase",
            "name": "New Comer",
        },
    )
    assert response.status_code == 302, response.status_code

    reset = reverse("account_reset_password")
    assert client.get(reset).status_code == 200
    response = client.post(reset, {"email": member.email})
    assert response.status_code == 302, response.status_code

    warnings = _cache_warnings(caplog)
    assert any("cache unavailable" in message for message in warnings), warnings


def test_readyz_still_names_the_cache_while_redis_is_down(client, redis_down, caplog):
    caplog.set_level(logging.WARNING)
    response = client.get(reverse("readyz"))
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["cache"]
    assert body["checks"]["cache"].startswith("error:")


def test_rate_limits_let_requests_through_while_redis_is_down(client, redis_down, settings):
    settings.RATELIMIT_RATES = {**settings.RATELIMIT_RATES, "search": "2/h", "export": "2/h"}
    for _ in range(5):
        assert client.get(reverse("practices:repository") + "?q=data").status_code == 200


def _totp_code(secret: str) -> str:
    from allauth.mfa.totp.internal.auth import (
        format_hotp_value,
        hotp_value,
        yield_hotp_counters_from_time,
    )

    return format_hotp_value(hotp_value(secret, next(iter(yield_hotp_counters_from_time()))))


def _password_then_code(client, user, code):
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    return client.post(reverse("mfa_authenticate"), {"code": code})


def test_a_totp_code_cannot_be_replayed_while_redis_is_down(
    secretariat, member, redis_down, caplog
):
    """allauth refuses a code it finds marked as used; with Redis down nothing can be
    marked, so the TOTP step refuses every code rather than accept one twice."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    caplog.set_level(logging.WARNING)
    secret = generate_totp_secret()
    TOTP.activate(secretariat, secret)
    code = _totp_code(secret)

    for attempt in ("first use", "replay"):
        client = Client()
        response = _password_then_code(client, secretariat, code)
        assert response.status_code == 200, (attempt, response.status_code)
        assert "_auth_user_id" not in client.session, attempt
    assert redis_down.add(f"allauth.mfa.totp.used?user={secretariat.pk}&code={code}", "y") is False

    # Other keys still fail soft, and a member without TOTP still logs in.
    assert redis_down.add("some-other-key", "y") is True
    client = Client()
    response = client.post(
        reverse("account_login"), {"login": member.email, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(member.pk)
    assert any("cache unavailable" in message for message in _cache_warnings(caplog))
