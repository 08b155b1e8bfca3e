"""New passwords have at least 12 characters; an idle staff session ends, a member's
keeps the normal lifetime."""

import re
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

ELEVEN = "kq7-Wz9!pLm"  # not common, not numeric: only its length is wrong
TOO_SHORT = "This password is too short. It must contain at least 12 characters."


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def _user_exists(email: str) -> bool:
    return get_user_model().objects.filter(email=email).exists()


def test_signup_refuses_an_eleven_character_password(client):
    assert len(ELEVEN) == 11
    response = client.post(
        reverse("account_signup"),
        {"email": "new@example.org", "name": "New", "password1": ELEVEN, "password2": ELEVEN},
    )
    assert response.status_code == 200
    assert TOO_SHORT in response.content.decode()
    assert not _user_exists("new@example.org")


def test_signup_accepts_a_twelve_character_password(client):
    twelve = ELEVEN + "x"
    response = client.post(
        reverse("account_signup"),
        {"email": "new@example.org", "name": "New", "password1": twelve, "password2": twelve},
    )
    assert response.status_code == 302
    assert _user_exists("new@example.org")


def test_password_change_refuses_an_eleven_character_password(client, member):
    client.force_login(member)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": TEST_PASSWORD, "password1": ELEVEN, "password2": ELEVEN},
    )
    assert response.status_code == 200
    assert TOO_SHORT in response.content.decode()
    member.refresh_from_db()
    assert member.check_password(TEST_PASSWORD)


def test_password_reset_refuses_an_eleven_character_password(client, member):
    client.post(reverse("account_reset_password"), {"email": member.email})
    link = re.search(r"https?://[^/]+(/accounts/password/reset/key/\S+/)", mail.outbox[0].body)
    form_page = client.get(link.group(1), follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link.group(1),
        {"password1": ELEVEN, "password2": ELEVEN},
    )
    assert response.status_code == 200
    assert TOO_SHORT in response.content.decode()
    member.refresh_from_db()
    assert member.check_password(TEST_PASSWORD)


def _stored_expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def _seconds_from_now(moment) -> float:
    return (moment - timezone.now()).total_seconds()


def test_a_staff_session_expires_after_the_idle_period_and_activity_renews_it(
    client, secretariat, settings
):
    settings.STAFF_SESSION_IDLE_SECONDS = 1800
    client.force_login(secretariat)
    assert client.get(reverse("home")).status_code == 200
    assert client.session.get_expiry_age() == 1800
    assert 1790 <= _seconds_from_now(_stored_expiry(client)) <= 1800

    # Twenty-five minutes idle: five left. A request brings back the full half hour.
    session = client.session
    session["staff_activity_at"] -= 25 * 60
    session.save()
    Session.objects.filter(session_key=session.session_key).update(
        expire_date=timezone.now() + timedelta(minutes=5)
    )
    client.get(reverse("accounts:profile"))
    assert 1790 <= _seconds_from_now(_stored_expiry(client)) <= 1800

    # Idle past the period: the session is gone, the admin asks to log in again.
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_a_staff_session_started_at_the_login_form_has_the_idle_period(client, secretariat):
    client.post(reverse("account_login"), {"login": secretariat.email, "password": TEST_PASSWORD})
    assert client.session.get_expiry_age() == django_settings.STAFF_SESSION_IDLE_SECONDS


def test_a_member_session_keeps_the_normal_lifetime(client, member):
    client.force_login(member)
    assert client.get(reverse("accounts:profile")).status_code == 200
    assert "_session_expiry" not in client.session
    assert client.session.get_expiry_age() == django_settings.SESSION_COOKIE_AGE
    lifetime = _seconds_from_now(_stored_expiry(client))
    assert lifetime > django_settings.SESSION_COOKIE_AGE - 10
