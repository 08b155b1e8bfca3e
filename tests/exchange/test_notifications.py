"""Who hears of each step of an application, exactly once, and the three exchange reminders."""

from datetime import UTC, date, datetime, timedelta

import pytest

from exchange import notifications as kinds
from exchange.models import Application
from notifications import reminders
from notifications.models import Notification
from tests.factories import ApplicationFactory, StaffFactory, UserFactory

from .steps import decide, host_member, review, sent, submit, withdraw

pytestmark = pytest.mark.django_db

S = Application.Status
APPLICANT = "visitor@sme.example.de"
HOSTS = ["contact@lyon.example.fr", "host@lyon.example.fr", "second@lyon.example.fr"]
SECRETARIAT = ["coordinator@example.org", "secretariat@example.org"]
REVIEW_COMMENT = "Internal: strong profile, but check the budget."


@pytest.fixture
def secretariat_team(secretariat):
    """Two active coordinators; a retired one hears nothing."""
    StaffFactory(email="coordinator@example.org")
    StaffFactory(email="retired@example.org", is_active=False)
    return secretariat


@pytest.fixture
def application(secretariat_team, other_manager):
    """A draft to an offer whose host has two managers, a staff member who is the offer's
    contact and a staff member who is not; another cluster's manager looks on."""
    application = ApplicationFactory(applicant__email=APPLICANT)
    host_member(application, email="host@lyon.example.fr")
    host_member(application, email="second@lyon.example.fr")
    contact = host_member(application, role="staff", email="contact@lyon.example.fr")
    host_member(application, role="staff", email="backoffice@lyon.example.fr")
    application.offer.contact = contact
    application.offer.save()
    return application


@pytest.fixture
def host(application):
    return application.host.memberships.get(user__email="host@lyon.example.fr").user


def counts():
    """How many notifications of each kind exist."""
    return {
        kind: Notification.objects.filter(kind=kind).count()
        for kind in Notification.objects.values_list("kind", flat=True).distinct()
    }


# --- each step ------------------------------------------------------------------------


def test_a_new_application_tells_the_host_managers_and_the_offers_contact_once(application):
    submit(application)

    assert sent(kinds.NEW_APPLICATION) == HOSTS
    assert counts() == {kinds.NEW_APPLICATION.name: 3}
    row = Notification.objects.get(recipient__email="host@lyon.example.fr")
    assert (
        row.subject
        == f"New exchange application {application.reference} to {application.host.name}"
    )
    assert row.link == application.get_absolute_url()


def test_a_contact_who_is_also_a_manager_hears_once(application, host):
    application.offer.contact = host
    application.offer.save()

    submit(application)

    assert sent(kinds.NEW_APPLICATION) == ["host@lyon.example.fr", "second@lyon.example.fr"]


def test_the_host_accepting_tells_the_applicant_and_each_secretariat_member_once(application, host):
    submit(application)

    review(application, host, "accept", comment=REVIEW_COMMENT)

    assert sent(kinds.HOST_REVIEWED) == [APPLICANT]
    assert sent(kinds.HOST_ACCEPTED) == SECRETARIAT
    told = Notification.objects.get(kind=kinds.HOST_REVIEWED.name)
    assert told.subject == f"{application.reference}: the host accepted your visit"
    assert REVIEW_COMMENT not in told.body  # the review stays with the host and the network


def test_the_host_declining_tells_the_applicant_only(application, host):
    submit(application)

    review(application, host, "decline", comment=REVIEW_COMMENT)

    assert sent(kinds.HOST_REVIEWED) == [APPLICANT]
    assert sent(kinds.HOST_ACCEPTED) == []
    told = Notification.objects.get(kind=kinds.HOST_REVIEWED.name)
    assert told.subject == f"{application.reference}: the host declined your visit"
    assert REVIEW_COMMENT not in told.body


@pytest.mark.parametrize(
    ("outcome", "word"), [("approved", "approved"), ("rejected", "not approved")]
)
def test_the_decision_tells_the_applicant_once_with_its_message(
    outcome, word, application, host, secretariat
):
    review(submit(application), host)
    before = counts()

    decide(application, secretariat, outcome, message="Welcome aboard, or not this time.")

    assert sent(kinds.DECIDED) == [APPLICANT]
    told = Notification.objects.get(kind=kinds.DECIDED.name)
    assert told.subject == f"{application.reference}: {word}"
    assert "Welcome aboard, or not this time." in told.body
    assert counts() == {**before, kinds.DECIDED.name: 1}


def test_a_request_for_more_information_tells_the_applicant_once(application, host, secretariat):
    review(submit(application), host)

    decide(application, secretariat, "more_info", message="Tell us who you will meet.")

    assert sent(kinds.MORE_INFO) == [APPLICANT]
    assert sent(kinds.DECIDED) == []
    told = Notification.objects.get(kind=kinds.MORE_INFO.name)
    assert told.subject == f"{application.reference}: more information needed"
    assert "Tell us who you will meet." in told.body


def test_a_resubmission_tells_the_secretariat_not_the_host_again(application, host, secretariat):
    review(submit(application), host)
    decide(application, secretariat, "more_info", message="Tell us who you will meet.")

    submit(application)

    assert sent(kinds.RESUBMITTED) == SECRETARIAT
    assert sent(kinds.NEW_APPLICATION) == HOSTS  # from the first submission only
    assert sent(kinds.HOST_ACCEPTED) == SECRETARIAT  # not told again that the host accepted


@pytest.mark.parametrize("status", [S.SUBMITTED, S.HOST_ACCEPTED, S.APPROVED])
def test_a_withdrawal_tells_the_host(status, application):
    Application.objects.filter(pk=application.pk).update(status=status)

    withdraw(application, comment="Our budget was cut.")

    assert sent(kinds.WITHDRAWN) == HOSTS
    assert counts() == {kinds.WITHDRAWN.name: 3}


def test_withdrawing_a_draft_tells_nobody(application):
    withdraw(application)

    assert not Notification.objects.exists()


def test_a_whole_round_tells_each_person_once_per_step(application, host, secretariat):
    review(submit(application), host)
    decide(application, secretariat, "approved")

    assert counts() == {
        kinds.NEW_APPLICATION.name: 3,
        kinds.HOST_REVIEWED.name: 1,
        kinds.HOST_ACCEPTED.name: 2,
        kinds.DECIDED.name: 1,
    }
    assert not Notification.objects.filter(recipient__email="backoffice@lyon.example.fr").exists()
    assert not Notification.objects.filter(recipient__email="other@example.org").exists()
    assert not Notification.objects.filter(recipient__email="retired@example.org").exists()


# --- reminders ------------------------------------------------------------------------

MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # ISO week 2026-W10
THURSDAY = MONDAY + timedelta(days=3)
NEXT_MONDAY = MONDAY + timedelta(days=7)


def run(kind, now):
    return reminders.run(kind.name, now=now)


def waiting(application, days, now=MONDAY):
    Application.objects.filter(pk=application.pk).update(
        status=S.SUBMITTED, submitted_at=now - timedelta(days=days)
    )
    return application


def test_an_application_waiting_more_than_seven_days_reminds_the_host_once(application):
    waiting(application, 8)

    assert run(kinds.REVIEW_WAITING, MONDAY) == 3

    assert sent(kinds.REVIEW_WAITING) == HOSTS
    row = Notification.objects.get(kind=kinds.REVIEW_WAITING.name, recipient__email=HOSTS[1])
    assert row.subject == f"Waiting for your review for 8 days: {application.reference}"
    assert not Notification.objects.exclude(kind=kinds.REVIEW_WAITING.name).exists()


def test_the_review_reminder_is_sent_once_a_week(application):
    waiting(application, 8)

    first = run(kinds.REVIEW_WAITING, MONDAY)
    same_week = run(kinds.REVIEW_WAITING, THURSDAY)
    next_week = run(kinds.REVIEW_WAITING, NEXT_MONDAY)

    assert (first, same_week, next_week) == (3, 0, 3)
    assert len(sent(kinds.REVIEW_WAITING)) == 6


@pytest.mark.parametrize("days", [0, 6, 7])
def test_an_application_waiting_seven_days_or_less_reminds_nobody(days, application):
    waiting(application, days)

    assert run(kinds.REVIEW_WAITING, MONDAY) == 0
    assert not Notification.objects.exists()


def test_a_reviewed_application_is_not_reminded(application, host):
    waiting(application, 8)
    review(application, host)
    Notification.objects.all().delete()

    assert run(kinds.REVIEW_WAITING, MONDAY) == 0


VISIT_END = date(2026, 3, 6)  # a Friday


def at(day, hour=9):
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=UTC)


def visit_over(status=S.APPROVED, **kwargs):
    return ApplicationFactory(
        status=status,
        start_date=VISIT_END - timedelta(days=4),
        end_date=VISIT_END,
        applicant__email=APPLICANT,
        **kwargs,
    )


def test_the_report_is_asked_for_the_day_after_the_visit_then_again_after_14_days():
    application = visit_over()

    results = [
        run(kinds.REPORT_DUE, at(VISIT_END, hour=15)),  # the last day on site: not yet
        run(kinds.REPORT_DUE, at(VISIT_END + timedelta(days=1))),  # first
        run(kinds.REPORT_DUE, at(VISIT_END + timedelta(days=1), hour=18)),
        run(kinds.REPORT_DUE, at(VISIT_END + timedelta(days=14))),
        run(kinds.REPORT_DUE, at(VISIT_END + timedelta(days=15))),  # again
        run(kinds.REPORT_DUE, at(VISIT_END + timedelta(days=16))),
        run(kinds.REPORT_DUE, at(VISIT_END + timedelta(days=40))),
    ]

    assert results == [0, 1, 0, 0, 1, 0, 0]
    subjects = sorted(
        Notification.objects.filter(kind=kinds.REPORT_DUE.name).values_list("subject", flat=True)
    )
    assert subjects == [
        f"Due now: your visit report for {application.reference}",
        f"Still due: your visit report for {application.reference}",
    ]
    assert sent(kinds.REPORT_DUE) == [APPLICANT, APPLICANT]


def test_a_report_already_due_is_asked_for_too():
    visit_over(S.REPORT_DUE)

    assert run(kinds.REPORT_DUE, at(VISIT_END + timedelta(days=1))) == 1


@pytest.mark.parametrize("status", [S.COMPLETED, S.WITHDRAWN, S.REJECTED, S.HOST_ACCEPTED])
def test_no_report_is_asked_for_a_visit_that_did_not_happen_or_is_reported(status):
    visit_over(status)

    assert run(kinds.REPORT_DUE, at(VISIT_END + timedelta(days=1))) == 0
    assert run(kinds.REPORT_DUE, at(VISIT_END + timedelta(days=15))) == 0


def closing_draft(closes_in, now=MONDAY, **kwargs):
    return ApplicationFactory(
        offer__call__title="Spring round",
        offer__call__opens_at=now - timedelta(days=30),
        offer__call__closes_at=now + closes_in,
        applicant__email=APPLICANT,
        **kwargs,
    )


def test_holders_of_a_draft_hear_that_the_call_closes_in_three_days_once():
    draft = closing_draft(timedelta(days=2, hours=20))
    ApplicationFactory(offer=draft.offer, status=S.SUBMITTED)  # submitted: nothing to do

    first = run(kinds.CALL_CLOSING, MONDAY)
    again = run(kinds.CALL_CLOSING, MONDAY + timedelta(hours=12))
    next_day = run(kinds.CALL_CLOSING, MONDAY + timedelta(days=1))

    assert (first, again, next_day) == (1, 0, 0)
    assert sent(kinds.CALL_CLOSING) == [APPLICANT]
    row = Notification.objects.get(kind=kinds.CALL_CLOSING.name)
    assert (
        row.subject
        == f'"Spring round" closes in 3 days: your draft {draft.reference} is not submitted'
    )


@pytest.mark.parametrize("closes_in", [timedelta(days=3, hours=1), timedelta(hours=-1)])
def test_no_closing_reminder_too_early_or_once_closed(closes_in):
    closing_draft(closes_in)

    assert run(kinds.CALL_CLOSING, MONDAY) == 0


def test_a_draft_submitted_in_time_is_not_reminded():
    draft = closing_draft(timedelta(days=2))
    Application.objects.filter(pk=draft.pk).update(status=S.SUBMITTED)

    assert run(kinds.CALL_CLOSING, MONDAY) == 0


def test_each_draft_holder_is_reminded():
    draft = closing_draft(timedelta(days=1))
    ApplicationFactory(offer=draft.offer, applicant=UserFactory(email="late@example.org"))

    assert run(kinds.CALL_CLOSING, MONDAY) == 2
    assert sent(kinds.CALL_CLOSING) == ["late@example.org", APPLICANT]
