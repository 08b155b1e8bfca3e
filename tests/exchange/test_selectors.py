"""Who sees which application (selectors.application_get), and what its timeline shows to whom."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from exchange.models import Application
from exchange.selectors import application_get, decision_queue, review_queue, timeline
from tests.factories import ApplicationFactory, MembershipFactory, StaffFactory, UserFactory

from .steps import decide, host_member, review, submit

pytestmark = pytest.mark.django_db

S = Application.Status
REVIEW_COMMENT = "Internal: strong profile, but check the budget."
MORE_INFO = "Tell us who you will meet."


@pytest.fixture
def application():
    return ApplicationFactory(applicant__email="visitor@sme.example.de")


@pytest.fixture
def host(application):
    return host_member(application, email="host@lyon.example.fr")


@pytest.fixture
def people(application, host, member, other_manager, secretariat):
    return {
        "applicant": application.applicant,
        "host_manager": host,
        "host_staff": host_member(application, role="staff"),
        "member": member,
        "other_manager": other_manager,
        "secretariat": secretariat,
        "anonymous": AnonymousUser(),
    }


def sees(user, application):
    try:
        return application_get(pk=application.pk, user=user) == application
    except Http404:
        return False


@pytest.mark.parametrize(
    ("role", "visible"),
    [
        ("applicant", True),
        ("secretariat", True),
        ("host_manager", False),  # a draft stays with the applicant
        ("host_staff", False),
        ("member", False),
        ("other_manager", False),
        ("anonymous", False),
    ],
)
def test_who_sees_a_draft(role, visible, people, application):
    assert sees(people[role], application) is visible


@pytest.mark.parametrize(
    ("role", "visible"),
    [
        ("applicant", True),
        ("secretariat", True),
        ("host_manager", True),
        ("host_staff", True),
        ("member", False),
        ("other_manager", False),
        ("anonymous", False),
    ],
)
def test_who_sees_a_submitted_application(role, visible, people, application):
    submit(application)

    assert sees(people[role], application) is visible


def test_another_members_id_gives_404(member, application):
    submit(application)

    with pytest.raises(Http404):
        application_get(pk=application.pk, user=member)


def test_the_manager_of_another_host_gets_404(application):
    other = ApplicationFactory(offer__call=application.call)  # another host in the same call
    submit(application)

    with pytest.raises(Http404):
        application_get(pk=application.pk, user=host_member(other))


def test_an_unknown_id_gives_404_even_to_the_secretariat(secretariat):
    with pytest.raises(Http404):
        application_get(pk=987654, user=secretariat)


@pytest.mark.parametrize("status", [s for s in S if s != S.DRAFT])
def test_the_secretariat_sees_every_state(status, secretariat):
    application = ApplicationFactory(status=status)

    assert sees(secretariat, application)
    assert sees(StaffFactory(), application)


# --- queues ---------------------------------------------------------------------------


def test_the_host_queue_holds_its_own_applications_waiting_first(application, host):
    waiting = submit(application)
    reviewed = review(submit(ApplicationFactory(offer=application.offer)), host)
    ApplicationFactory(offer=application.offer)  # a draft
    ApplicationFactory(status=S.SUBMITTED)  # to another host

    assert list(review_queue(user=host)) == [waiting, reviewed]
    assert list(review_queue(user=UserFactory())) == []


def test_the_decision_queue_holds_what_the_hosts_reviewed(application, host):
    accepted = review(submit(application), host)
    ApplicationFactory(status=S.SUBMITTED)
    ApplicationFactory(status=S.APPROVED)

    assert list(decision_queue()) == [accepted]


# --- the timeline ---------------------------------------------------------------------


@pytest.fixture
def sent_back(application, host, secretariat):
    """Accepted by the host with an internal comment, then sent back with a message."""
    review(submit(application), host, comment=REVIEW_COMMENT)
    return decide(application, secretariat, "more_info", message=MORE_INFO)


def rows(application, user):
    return [
        (r["label"], r["comment"], r["state"]) for r in timeline(application=application, user=user)
    ]


def test_the_applicant_sees_the_hosts_answer_but_not_its_comment(sent_back):
    assert rows(sent_back, sent_back.applicant) == [
        ("Submitted to the host", "", "submitted"),
        ("Accepted by the host", "", "host_accepted"),
        ("More information requested by the secretariat", MORE_INFO, "more_info"),
    ]


@pytest.mark.parametrize("role", ["host_manager", "secretariat"])
def test_the_host_and_the_secretariat_see_the_review_comment(role, people, sent_back):
    assert rows(sent_back, people[role])[1] == (
        "Accepted by the host",
        REVIEW_COMMENT,
        "host_accepted",
    )


def test_the_applicant_sees_a_decline_and_the_decision_message(application, host, secretariat):
    review(submit(application), host, "decline", comment="We are full that month.")
    decide(application, secretariat, "rejected", message="The host cannot take you this round.")

    assert rows(application, application.applicant)[1:] == [
        ("Declined by the host", "", "host_declined"),
        ("Rejected by the secretariat", "The host cannot take you this round.", "rejected"),
    ]


def test_the_timeline_names_who_acted(sent_back, host, secretariat):
    actors = [r["actor"] for r in timeline(application=sent_back, user=secretariat)]

    assert actors == [sent_back.applicant, host, secretariat]


def test_a_host_team_member_who_applied_does_not_see_the_review_of_their_own(application, host):
    submit(application)
    # They joined the host's team after applying (applying to one's own cluster is refused).
    MembershipFactory(cluster=application.host, user=application.applicant, role="staff")
    review(application, host, comment=REVIEW_COMMENT)

    assert rows(application, application.applicant)[1] == (
        "Accepted by the host",
        "",
        "host_accepted",
    )


def test_a_draft_withdrawn_before_it_was_sent_stays_with_the_applicant(application, host):
    from exchange.services import application_withdraw

    application_withdraw(application=application, actor=application.applicant)
    application.refresh_from_db()
    assert application.status == S.WITHDRAWN
    assert not sees(host, application)
    assert application not in review_queue(user=host)
    assert sees(application.applicant, application)


def test_an_application_withdrawn_after_it_was_sent_stays_visible_to_the_host(application, host):
    from exchange.services import application_withdraw

    submit(application)
    application_withdraw(application=application, actor=application.applicant)
    application.refresh_from_db()
    assert sees(host, application)
    assert application in review_queue(user=host)
