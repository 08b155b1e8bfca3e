"""Four eyes on exchange decisions: nobody decides on their own application, nor on one
sent from a cluster whose team they are in; another member of the secretariat does."""

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from exchange import permissions as perms
from exchange.models import Application, Decision
from exchange.services import HOST_TEAM_DECISION, OWN_APPLICATION, OWN_REVIEW
from tests.factories import (
    ApplicantFactory,
    ApplicationFactory,
    ClusterFactory,
    MembershipFactory,
    StaffFactory,
)

from .steps import decide, host_member, review, snapshot, submit

pytestmark = pytest.mark.django_db

S = Application.Status
OUTCOMES = [("approved", ""), ("rejected", "Not this time."), ("more_info", "Who do you meet?")]


@pytest.fixture
def staff_applicant():
    """A secretariat member who applies for a visit themself."""
    return ApplicantFactory(is_staff=True, is_superuser=True, email="staff.applicant@example.org")


def accepted(**kwargs):
    application = submit(ApplicationFactory(**kwargs))
    return review(application, host_member(application))


@pytest.mark.parametrize(("outcome", "message"), OUTCOMES)
def test_a_staff_applicant_cannot_decide_on_their_own_application(
    outcome, message, staff_applicant
):
    application = accepted(applicant=staff_applicant)
    before = snapshot(application)

    with pytest.raises(PermissionDenied) as exc:
        decide(application, staff_applicant, outcome, message=message)

    assert str(exc.value) == str(OWN_APPLICATION)
    assert snapshot(application) == before  # no state, no audit event, no notification
    assert not perms.can_decide(staff_applicant, application)


@pytest.mark.parametrize(("outcome", "message"), OUTCOMES)
def test_staff_in_the_sending_clusters_team_cannot_decide(outcome, message):
    sending = ClusterFactory(country="DE", city="Munich")
    applicant = ApplicantFactory()
    MembershipFactory(cluster=sending, user=applicant, role="staff")
    colleague = StaffFactory(email="colleague@example.org")
    MembershipFactory(cluster=sending, user=colleague, role="manager")
    application = accepted(applicant=applicant, sending_cluster=sending)
    before = snapshot(application)

    with pytest.raises(PermissionDenied) as exc:
        decide(application, colleague, outcome, message=message)

    assert str(exc.value) == str(OWN_APPLICATION)
    assert snapshot(application) == before
    assert not perms.can_decide(colleague, application)


@pytest.mark.parametrize(("outcome", "message"), OUTCOMES)
def test_another_secretariat_member_decides(outcome, message, staff_applicant):
    application = accepted(applicant=staff_applicant)
    other = StaffFactory(email="other.secretariat@example.org")

    assert perms.can_decide(other, application)
    decided = decide(application, other, outcome, message=message)

    assert decided.status == outcome
    assert Decision.objects.get(application=application).decided_by == other


def test_an_applicant_in_the_host_team_is_told_they_cannot_review_their_own():
    application = submit(ApplicationFactory())
    MembershipFactory(cluster=application.host, user=application.applicant)
    before = snapshot(application)

    with pytest.raises(PermissionDenied) as exc:
        review(application, application.applicant)

    assert str(exc.value) == str(OWN_REVIEW)
    assert snapshot(application) == before
    assert not perms.can_review(application.applicant, application)


def test_the_decision_form_is_not_shown_to_the_staff_applicant(client, staff_applicant):
    application = accepted(applicant=staff_applicant)
    client.force_login(staff_applicant)

    page = client.get(application.get_absolute_url())

    assert page.status_code == 200
    assert reverse("exchange:application_decide", args=[application.pk]) not in (
        page.content.decode()
    )


def test_a_staff_applicant_posting_a_decision_is_refused_and_nothing_changes(
    client, staff_applicant
):
    application = accepted(applicant=staff_applicant)
    client.force_login(staff_applicant)
    before = snapshot(application)

    response = client.post(
        reverse("exchange:application_decide", args=[application.pk]),
        {"outcome": "approved", "message": "", "funding_granted": "1"},
        follow=True,
    )

    text = " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert str(OWN_APPLICATION) in text
    assert snapshot(application) == before


@pytest.mark.parametrize("action", ["approve", "reject", "ask_more_info"])
def test_the_admin_actions_refuse_the_staff_applicant_and_say_why(client, action, staff_applicant):
    application = accepted(applicant=staff_applicant)
    client.force_login(staff_applicant)
    before = snapshot(application)

    response = client.post(
        reverse("admin:exchange_application_changelist"),
        {"action": action, "_selected_action": [application.pk], "comment": "Looks fine."},
        follow=True,
    )

    text = " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert f"{application}: {OWN_APPLICATION}" in text
    assert snapshot(application) == before


@pytest.fixture
def staff_host():
    """A secretariat member in the host cluster's team, and the application they accepted
    as host: the host's check is theirs, the secretariat's is another person's."""
    application = submit(ApplicationFactory())
    user = host_member(application, role="staff", is_staff=True, is_superuser=True)
    return user, review(application, user)


@pytest.mark.parametrize(("outcome", "message"), OUTCOMES)
def test_staff_in_the_host_clusters_team_cannot_decide(outcome, message, staff_host):
    user, application = staff_host
    before = snapshot(application)

    with pytest.raises(PermissionDenied) as exc:
        decide(application, user, outcome, message=message)

    assert str(exc.value) == str(HOST_TEAM_DECISION)
    assert snapshot(application) == before
    assert not perms.can_decide(user, application)


def test_a_host_reviewer_who_left_the_team_still_cannot_decide(staff_host):
    user, application = staff_host
    application.host.memberships.filter(user=user).delete()
    before = snapshot(application)

    with pytest.raises(PermissionDenied) as exc:
        decide(application, user)

    assert str(exc.value) == str(HOST_TEAM_DECISION)
    assert snapshot(application) == before


def test_the_host_team_staff_posting_a_decision_is_refused_and_nothing_changes(client, staff_host):
    user, application = staff_host
    client.force_login(user)
    before = snapshot(application)

    page = client.get(application.get_absolute_url())
    assert reverse("exchange:application_decide", args=[application.pk]) not in (
        page.content.decode()
    )
    response = client.post(
        reverse("exchange:application_decide", args=[application.pk]),
        {"outcome": "approved", "message": "", "funding_granted": "1"},
        follow=True,
    )

    text = " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert str(HOST_TEAM_DECISION) in text
    assert snapshot(application) == before


@pytest.mark.parametrize("action", ["approve", "reject", "ask_more_info"])
def test_the_admin_actions_refuse_the_host_team_staff_and_say_why(client, action, staff_host):
    user, application = staff_host
    client.force_login(user)
    before = snapshot(application)

    response = client.post(
        reverse("admin:exchange_application_changelist"),
        {"action": action, "_selected_action": [application.pk], "comment": "Looks fine."},
        follow=True,
    )

    text = " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert f"{application}: {HOST_TEAM_DECISION}" in text
    assert snapshot(application) == before
