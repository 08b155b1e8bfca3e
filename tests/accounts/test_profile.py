import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils.html import escape

from accounts.forms import ORGANISATION_NEEDS_COUNTRY, ORGANISATION_NEEDS_KIND
from accounts.signals import MFA_PROMPT
from accounts.views import PROFILE_SAVED
from clusters.models import ClusterMembership, JoinRequest, Organisation
from core.models import AuditEvent
from tests.factories import (
    TEST_PASSWORD,
    JoinRequestFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

User = get_user_model()

REQUIRED = "This field is required."


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """allauth keeps its login and signup rate limits in the cache: start each test clean."""
    cache.clear()
    yield
    cache.clear()


def field_errors(response, field):
    html = response.content.decode()
    match = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', html, re.S)
    return match.group(1) if match else ""


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def logged_in_user_id(client):
    user_id = client.session.get("_auth_user_id")
    return int(user_id) if user_id else None


def profile_data(**overrides):
    data = {
        "name": "Mia Member",
        "country": "DE",
        "organisation_name": "",
        "organisation_kind": "",
        "organisation_size": "",
    }
    data.update(overrides)
    return data


def user_state(user):
    user.refresh_from_db()
    return (user.name, str(user.country), user.organisation_id)


def log_in(client, login, password=TEST_PASSWORD):
    return client.post(reverse("account_login"), {"login": login, "password": password})


# --- the profile page -------------------------------------------------------------------


def test_visitor_is_sent_to_login_from_the_profile(client):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_visitor_cannot_post_a_profile(client, member):
    response = client.post(reverse("accounts:profile"), profile_data(name="Someone else"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    member.refresh_from_db()
    assert member.name == "Mia Member"


def test_member_sees_their_profile_filled_in(login, member):
    organisation = OrganisationFactory(name="Acme Mobility", country="DE")
    member.organisation = organisation
    member.country = "DE"
    member.save()
    response = login(member).get(reverse("accounts:profile"))
    assert response.status_code == 200
    assert b"member@example.org" in response.content
    initial = response.context["form"].initial
    assert initial["name"] == "Mia Member"
    assert initial["country"] == "DE"
    assert initial["organisation_name"] == "Acme Mobility"
    assert initial["organisation_kind"] == Organisation.Kind.SME


def test_member_edits_name_country_and_a_new_organisation(login, member):
    response = login(member).post(
        reverse("accounts:profile"),
        profile_data(
            name="  Mia Müller ",
            country="FR",
            organisation_name="Acme Mobility",
            organisation_kind="startup",
            organisation_size="micro",
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:profile")
    assert str(PROFILE_SAVED) in messages_of(response)
    member.refresh_from_db()
    assert member.name == "Mia Müller"
    assert member.country.code == "FR"
    organisation = Organisation.objects.get()
    assert member.organisation == organisation
    assert (organisation.name, organisation.country.code) == ("Acme Mobility", "FR")
    assert (organisation.kind, organisation.size) == ("startup", "micro")
    assert organisation.created_by == member
    event = AuditEvent.objects.get(verb="profile.update")
    assert event.actor == member
    assert event.changes["organisation"] == ["", "Acme Mobility"]


def test_existing_organisation_of_the_same_name_and_country_is_reused(login, member):
    existing = OrganisationFactory(
        name="Acme Mobility", country="FR", kind=Organisation.Kind.LARGE, size="large"
    )
    response = login(member).post(
        reverse("accounts:profile"),
        profile_data(country="FR", organisation_name="ACME mobility", organisation_kind="sme"),
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.organisation == existing
    assert Organisation.objects.count() == 1
    existing.refresh_from_db()
    assert (existing.name, existing.kind, existing.size) == ("Acme Mobility", "large", "large")


def test_same_organisation_name_in_another_country_is_a_new_organisation(login, member):
    german = OrganisationFactory(name="Acme Mobility", country="DE")
    login(member).post(
        reverse("accounts:profile"),
        profile_data(country="AT", organisation_name="Acme Mobility", organisation_kind="sme"),
    )
    member.refresh_from_db()
    assert member.organisation != german
    assert member.organisation.country.code == "AT"
    assert Organisation.objects.count() == 2


def test_clearing_the_organisation_unlinks_the_member(login, member):
    organisation = OrganisationFactory(name="Acme Mobility", country="DE")
    member.organisation = organisation
    member.save()
    response = login(member).post(reverse("accounts:profile"), profile_data())
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.organisation is None
    assert Organisation.objects.filter(pk=organisation.pk).exists()


def test_organisation_without_kind_is_refused_and_nothing_saved(login, member):
    before = user_state(member)
    response = login(member).post(
        reverse("accounts:profile"),
        profile_data(name="Changed Name", organisation_name="Acme Mobility"),
    )
    assert response.status_code == 400
    assert "organisation_kind" in response.context["form"].errors
    assert escape(str(ORGANISATION_NEEDS_KIND)) in field_errors(response, "organisation_kind")
    assert user_state(member) == before
    assert not Organisation.objects.exists()
    assert not AuditEvent.objects.exists()


def test_organisation_without_country_is_refused(login, member):
    before = user_state(member)
    response = login(member).post(
        reverse("accounts:profile"),
        profile_data(country="", organisation_name="Acme", organisation_kind="sme"),
    )
    assert response.status_code == 400
    assert escape(str(ORGANISATION_NEEDS_COUNTRY)) in field_errors(response, "country")
    assert user_state(member) == before
    assert not Organisation.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", REQUIRED),
        ("name", "x" * 151, "Ensure this value has at most 150 characters"),
        ("country", "XX", "Select a valid choice."),
        ("organisation_kind", "guild", "Select a valid choice."),
        ("organisation_size", "huge", "Select a valid choice."),
    ],
)
def test_bad_profile_input_is_refused_next_to_the_field(login, member, field, value, message):
    before = user_state(member)
    response = login(member).post(
        reverse("accounts:profile"),
        profile_data(**{"organisation_name": "Acme", "organisation_kind": "sme", field: value}),
    )
    assert response.status_code == 400
    assert message in field_errors(response, field)
    assert user_state(member) == before
    assert not Organisation.objects.exists()


def test_markup_in_the_name_is_escaped_on_the_profile(login, member):
    client = login(member)
    client.post(reverse("accounts:profile"), profile_data(name="<script>alert(1)</script>"))
    member.refresh_from_db()
    assert member.name == "<script>alert(1)</script>"
    response = client.get(reverse("accounts:profile"))
    assert b"<script>alert(1)</script>" not in response.content


def test_member_sees_their_clusters_and_roles(login, member, cluster, other_cluster):
    MembershipFactory(user=member, cluster=cluster, role=ClusterMembership.Role.MANAGER)
    MembershipFactory(user=member, cluster=other_cluster, role=ClusterMembership.Role.STAFF)
    response = login(member).get(reverse("accounts:profile"))
    assert response.status_code == 200
    roles = {m.cluster.name: m.role for m in response.context["memberships"]}
    assert roles == {"Mobility Valley": "manager", "Energy Coast": "staff"}
    html = response.content.decode()
    assert "Mobility Valley" in html
    assert "Energy Coast" in html
    assert "Manager" in html
    assert "Staff" in html
    assert reverse("clusters:edit", args=[cluster.slug]) in html
    assert reverse("clusters:edit", args=[other_cluster.slug]) not in html


def test_member_without_a_cluster_is_invited_to_ask_to_join(login, member, cluster, manager):
    response = login(member).get(reverse("accounts:profile"))
    assert list(response.context["memberships"]) == []
    assert "Mobility Valley" not in response.content.decode()
    assert reverse("clusters:join") in response.content.decode()


def test_member_sees_their_join_requests(login, member, secretariat):
    from clusters.services import join_request_approve, join_request_reject

    JoinRequestFactory(requester=member, name="Waiting Cluster")
    rejected = JoinRequestFactory(requester=member, name="Refused Cluster")
    join_request_reject(join_request=rejected, actor=secretariat, reason="Outside our scope.")
    approved = JoinRequestFactory(requester=member, name="Welcome Cluster")
    cluster = join_request_approve(join_request=approved, actor=secretariat)
    JoinRequestFactory(name="Somebody Else's Cluster")

    response = login(member).get(reverse("accounts:profile"))
    assert response.status_code == 200
    statuses = {jr.name: jr.status for jr in response.context["join_requests"]}
    assert statuses == {
        "Waiting Cluster": JoinRequest.Status.SUBMITTED,
        "Refused Cluster": JoinRequest.Status.REJECTED,
        "Welcome Cluster": JoinRequest.Status.APPROVED,
    }
    html = response.content.decode()
    assert "Waiting Cluster" in html
    assert "Outside our scope." in html
    assert cluster.get_absolute_url() in html
    assert "Somebody Else" not in html


# --- logging in, MFA prompt -------------------------------------------------------------


def test_logging_in_is_by_email_and_lands_on_your_work(client, member):
    response = log_in(client, "member@example.org")
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
    assert logged_in_user_id(client) == member.pk


def test_logging_in_ignores_the_case_of_the_email(client, member):
    log_in(client, "Member@EXAMPLE.org")
    assert logged_in_user_id(client) == member.pk


def test_logging_in_with_the_name_instead_of_the_email_fails(client, member):
    response = log_in(client, "Mia Member")
    assert response.status_code == 200
    assert response.context["form"].errors
    assert logged_in_user_id(client) is None


def test_logging_in_with_a_wrong_password_fails(client, member):
    response = log_in(client, "member@example.org", password="wrong-password-123")
    assert response.status_code == 200
    assert response.context["form"].errors
    assert logged_in_user_id(client) is None


def test_manager_without_totp_is_prompted_for_mfa_at_login(client, manager):
    response = log_in(client, manager.email)
    assert logged_in_user_id(client) == manager.pk
    assert str(MFA_PROMPT) in messages_of(response)


def test_secretariat_without_totp_is_prompted_for_mfa_at_login(client, secretariat):
    response = log_in(client, secretariat.email)
    assert logged_in_user_id(client) == secretariat.pk
    assert str(MFA_PROMPT) in messages_of(response)


def test_plain_member_is_not_prompted_for_mfa_at_login(client, member):
    response = log_in(client, member.email)
    assert logged_in_user_id(client) == member.pk
    assert str(MFA_PROMPT) not in messages_of(response)


def test_cluster_staff_is_not_prompted_for_mfa_at_login(client, staff_member):
    response = log_in(client, staff_member.email)
    assert logged_in_user_id(client) == staff_member.pk
    assert str(MFA_PROMPT) not in messages_of(response)


# --- signing up -------------------------------------------------------------------------


def sign_up(client, email="New.Person@Example.org"):
    return client.post(
        reverse("account_signup"),
        {
            "name": "New Person",
            "email": email,
            "password1": "a-long-and-unusual-passphrase-42",
            "password2": "a-long-and-unusual-passphrase-42",
        },
    )


def test_signup_sends_a_confirmation_email(client, db):
    response = sign_up(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get()
    assert user.email == "new.person@example.org"
    assert user.name == "New Person"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.person@example.org"]
    assert "/accounts/confirm-email/" in mail.outbox[0].body
    assert not EmailAddress.objects.get(user=user).verified


def test_signup_with_an_address_already_registered_creates_no_second_account(client, member):
    """allauth does not reveal that the address is taken; it tells the owner by e-mail."""
    sign_up(client, email="MEMBER@example.org")
    assert User.objects.count() == 1
    assert [m.to for m in mail.outbox] == [["member@example.org"]]
    member.refresh_from_db()
    assert member.name == "Mia Member"
    assert member.check_password(TEST_PASSWORD)


def test_new_user_cannot_log_in_before_confirming(client, db):
    sign_up(client)
    client.logout()
    response = log_in(client, "new.person@example.org", password="a-long-and-unusual-passphrase-42")
    assert logged_in_user_id(client) is None
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")


def test_new_user_logs_in_after_confirming(client, db):
    sign_up(client)
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", mail.outbox[0].body)
    assert link
    client.logout()
    confirm = client.post(link.group(1))
    assert confirm.status_code == 302
    assert EmailAddress.objects.get(email="new.person@example.org").verified
    response = log_in(client, "new.person@example.org", password="a-long-and-unusual-passphrase-42")
    assert response.status_code == 302
    assert logged_in_user_id(client) == User.objects.get().pk


def test_unverified_factory_user_cannot_log_in(client):
    user = UserFactory(email="unverified@example.org", verified=False)
    log_in(client, user.email)
    assert logged_in_user_id(client) is None
