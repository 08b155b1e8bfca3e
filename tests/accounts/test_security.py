"""Two-factor authentication, password reset and login rate limits, through the real views."""

import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from accounts.signals import MFA_PROMPT
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def _current_code(secret: str) -> str:
    counter = next(iter(yield_hotp_counters_from_time()))
    return format_hotp_value(hotp_value(secret, counter))


def _log_in(client, email, password=TEST_PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def _activate_totp(client, user) -> str:
    _log_in(client, user.email)
    client.post(reverse("account_reauthenticate"), {"password": TEST_PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post(reverse("mfa_activate_totp"), {"code": _current_code(secret)})
    assert response.status_code == 302, response.content.decode()[:500]
    return secret


def test_manager_turns_on_totp_and_then_needs_a_code_to_log_in(client, manager):
    secret = _activate_totp(client, manager)
    assert Authenticator.objects.filter(user=manager, type="totp").exists()

    client.post(reverse("account_logout"))
    response = _log_in(client, manager.email)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    # Not logged in yet: the profile still sends them to the login page.
    assert client.get(reverse("accounts:profile")).status_code == 302

    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200
    assert "Incorrect code" in wrong.content.decode()

    # allauth refuses a code already used (kept in the cache): forget the activation's.
    cache.clear()
    response = client.post(reverse("mfa_authenticate"), {"code": _current_code(secret)})
    assert response.status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_manager_with_totp_is_no_longer_prompted(client, manager):
    secret = _activate_totp(client, manager)
    client.post(reverse("account_logout"))
    _log_in(client, manager.email)
    cache.clear()
    response = client.post(
        reverse("mfa_authenticate"), {"code": _current_code(secret)}, follow=True
    )
    assert response.wsgi_request.user == manager
    messages = [str(m) for m in response.context["messages"]]
    assert str(MFA_PROMPT) not in messages
    assert response.redirect_chain[-1][0] == reverse("dashboard")
    assert (
        "Two-factor authentication is on."
        in client.get(reverse("accounts:profile")).content.decode()
    )


def test_password_reset_sends_a_link_that_sets_a_new_password(client, member):
    response = client.post(reverse("account_reset_password"), {"email": member.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/password/reset/key/\S+/)", mail.outbox[0].body)
    assert link, mail.outbox[0].body
    form_page = client.get(link.group(1), follow=True)
    assert form_page.status_code == 200
    response = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link.group(1),
        {"password1": "a-brand-new-passphrase-42", "password2": "a-brand-new-passphrase-42"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password("a-brand-new-passphrase-42")


def test_repeated_failed_logins_are_rate_limited(client, member):
    for _ in range(5):
        response = _log_in(client, member.email, "wrong-password")
        assert response.status_code == 200
    # Even the right password is refused for a while after too many failures.
    response = _log_in(client, member.email)
    assert response.status_code in (200, 429)
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session
