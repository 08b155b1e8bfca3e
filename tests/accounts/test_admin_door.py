"""The admin is the strongest door: its login is allauth's (rate limits, TOTP step), and
with STAFF_REQUIRE_MFA a staff account without TOTP is sent to set it up first."""

import subprocess
import sys

import pytest
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.core.cache import cache
from django.urls import reverse

from accounts.middleware import STAFF_MFA_REQUIRED
from tests.factories import TEST_PASSWORD
from tests.test_deployment import ROOT, SAMPLE_ENV, _env

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def _code(secret: str) -> str:
    counter = next(iter(yield_hotp_counters_from_time()))
    return format_hotp_value(hotp_value(secret, counter))


def _with_totp(user) -> str:
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def _admin_login(client, email, password):
    return client.post(
        reverse("admin:login"),
        {"username": email, "password": password, "next": reverse("admin:index")},
    )


def test_admin_login_with_the_password_alone_gives_no_session_to_a_totp_account(
    client, secretariat
):
    _with_totp(secretariat)
    response = _admin_login(client, secretariat.email, TEST_PASSWORD)
    assert "_auth_user_id" not in client.session
    # The admin's door leads to allauth's login, which then asks for the code.
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert client.get(reverse("admin:index")).status_code == 302


def test_the_admin_door_asks_a_totp_account_for_its_code_then_opens(client, secretariat):
    secret = _with_totp(secretariat)
    door = client.get(reverse("admin:index"), follow=True)
    login_url = door.redirect_chain[-1][0]
    assert login_url.startswith(reverse("account_login"))
    response = client.post(login_url, {"login": secretariat.email, "password": TEST_PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session

    response = client.post(reverse("mfa_authenticate"), {"code": _code(secret)})
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    assert client.get(reverse("admin:index")).status_code == 200


def test_wrong_passwords_at_the_admin_door_are_throttled(client, secretariat):
    wrong = [_admin_login(client, secretariat.email, "not-the-password") for _ in range(15)]
    # The door itself checks no password: it sends to allauth's login every time.
    assert {response.status_code for response in wrong} == {302}
    login_url = wrong[0]["Location"]
    assert login_url.startswith(reverse("account_login"))
    attempts = [
        client.post(login_url, {"login": secretariat.email, "password": "not-the-password"})
        for _ in range(15)
    ]
    assert "Too many failed login attempts" in attempts[-1].content.decode()
    # Even the right password, at either door, gives no session while throttled.
    _admin_login(client, secretariat.email, TEST_PASSWORD)
    client.post(login_url, {"login": secretariat.email, "password": TEST_PASSWORD})
    assert "_auth_user_id" not in client.session


def _log_in(client, user):
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    return response


def test_staff_without_totp_is_sent_to_set_it_up_before_any_admin_page(
    client, secretariat, settings
):
    settings.STAFF_REQUIRE_MFA = True
    _log_in(client, secretariat)
    for name in ("admin:index", "admin:clusters_cluster_changelist", "admin:login"):
        response = client.get(reverse(name))
        assert response.status_code == 302, name
        assert response["Location"] == reverse("mfa_activate_totp"), name

    page = client.get(reverse("admin:index"), follow=True)
    assert str(STAFF_MFA_REQUIRED) in [str(m) for m in page.context["messages"]]
    # What they need to finish stays open: the MFA pages and their e-mail addresses.
    # (allauth asks for the password again before it shows the secret.)
    client.post(reverse("account_reauthenticate"), {"password": TEST_PASSWORD})
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    assert client.get(reverse("mfa_index")).status_code == 200
    assert client.get(reverse("account_email")).status_code == 200

    _with_totp(secretariat)
    assert client.get(reverse("admin:index")).status_code == 200


def test_staff_without_totp_can_still_log_out_of_the_admin(client, secretariat, settings):
    settings.STAFF_REQUIRE_MFA = True
    _log_in(client, secretariat)
    response = client.post(reverse("admin:logout"))
    assert response.status_code == 302
    assert response["Location"] != reverse("mfa_activate_totp")
    assert "_auth_user_id" not in client.session


def test_members_are_not_sent_to_set_up_totp(client, member, settings):
    settings.STAFF_REQUIRE_MFA = True
    _log_in(client, member)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_staff_without_totp_opens_the_admin_when_the_rule_is_off(client, secretariat, settings):
    settings.STAFF_REQUIRE_MFA = False
    _log_in(client, secretariat)
    assert client.get(reverse("admin:index")).status_code == 200


def _setting_in(module: str, name: str) -> str:
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            f"from django.conf import settings; print(settings.{name})",
        ],
        cwd=ROOT,
        env=_env(
            **{
                **SAMPLE_ENV,
                "DJANGO_SETTINGS_MODULE": module,
                "REDIS_URL": "redis://127.0.0.1:6379/2",
            }
        ),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_production_requires_totp_for_staff_and_the_local_demo_does_not():
    assert _setting_in("smartclusters.settings.production", "STAFF_REQUIRE_MFA") == "True"
    assert _setting_in("smartclusters.settings.local", "STAFF_REQUIRE_MFA") == "False"


def _decision_pending():
    """An application the host has accepted: the secretariat's decision is next."""
    from exchange.services import application_review, application_submit
    from tests.factories import ApplicationFactory, MembershipFactory

    application = ApplicationFactory()
    application_submit(application=application, actor=application.applicant)
    host = MembershipFactory(cluster=application.host, role="manager").user
    return application_review(
        application=application, actor=host, recommendation="accept", comment="Strong profile."
    )


def test_staff_without_totp_gets_no_staff_page_outside_the_admin_either(
    client, secretariat, settings
):
    settings.STAFF_REQUIRE_MFA = True
    _log_in(client, secretariat)
    for name in ("exchange:decisions", "practices:moderation", "admin:index", "home"):
        response = client.get(reverse(name))
        assert response.status_code == 302, name
        assert response["Location"] == reverse("mfa_activate_totp"), name
    page = client.get(reverse("exchange:decisions"), follow=True)
    assert str(STAFF_MFA_REQUIRED) in [str(m) for m in page.context["messages"]]
    # The probes stay open.
    assert client.get(reverse("healthz")).status_code == 200
    assert client.get(reverse("readyz")).status_code == 200

    _with_totp(secretariat)
    assert client.get(reverse("exchange:decisions")).status_code == 200
    assert client.get(reverse("practices:moderation")).status_code == 200


def test_a_decision_posted_by_staff_without_totp_changes_nothing(client, secretariat, settings):
    from tests.exchange.steps import snapshot

    settings.STAFF_REQUIRE_MFA = True
    application = _decision_pending()
    before = snapshot(application)
    _log_in(client, secretariat)

    response = client.post(
        reverse("exchange:application_decide", args=[application.pk]),
        {"outcome": "approved", "message": "", "funding_granted": "1"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    assert snapshot(application) == before


def test_members_pages_are_not_affected_by_the_staff_totp_rule(client, member, settings):
    settings.STAFF_REQUIRE_MFA = True
    _log_in(client, member)
    for name in ("home", "exchange:applications", "practices:mine", "accounts:profile"):
        assert client.get(reverse(name)).status_code == 200, name
