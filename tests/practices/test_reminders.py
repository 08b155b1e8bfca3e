"""The weekly reminder about practices left waiting for moderation."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from notifications import reminders
from notifications.models import Notification
from notifications.tasks import run_reminder
from practices.notifications import WAITING, WAITING_DAYS
from practices.services import practice_publish
from smartclusters.celery import app
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

REMINDER = WAITING.name
MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # ISO week 2026-W10
SUNDAY = datetime(2026, 3, 8, 20, 0, tzinfo=UTC)  # still 2026-W10 (21:00 in Brussels)
NEXT_MONDAY = MONDAY + timedelta(days=7)  # 2026-W11


@pytest.fixture
def secretariat_team(secretariat, colleague):
    """Two active coordinators; an inactive one, members and cluster teams hear nothing."""
    StaffFactory(email="retired@example.org", is_active=False)
    UserFactory(email="bystander@example.org")
    return [secretariat, colleague]


@pytest.fixture
def waiting(make_practice):
    """Submitted for moderation ``days`` before ``now``."""

    def _waiting(days, now=MONDAY, **kwargs):
        return make_practice("submitted", submitted_at=now - timedelta(days=days), **kwargs)

    return _waiting


def reminders_sent():
    return Notification.objects.filter(kind=REMINDER)


def test_a_practice_waiting_more_than_five_days_reminds_each_secretariat_member_once(
    secretariat_team, manager, waiting
):
    practice = waiting(6, title="Shared procurement of e-buses")

    assert reminders.run(REMINDER, now=MONDAY) == 2

    rows = reminders_sent().order_by("recipient_id")
    assert [n.recipient for n in rows] == secretariat_team
    for row in rows:
        assert row.subject == "Waiting 6 days for moderation: Shared procurement of e-buses"
        assert "Mobility Valley" in row.body
        assert row.link == practice.get_absolute_url()
    assert not Notification.objects.exclude(kind=REMINDER).exists()


def test_running_twice_in_the_same_iso_week_tells_nobody_again(secretariat_team, waiting):
    waiting(6)

    first = reminders.run(REMINDER, now=MONDAY)
    again = reminders.run(REMINDER, now=MONDAY + timedelta(hours=1))
    sunday = reminders.run(REMINDER, now=SUNDAY)

    assert (first, again, sunday) == (2, 0, 0)
    assert reminders_sent().count() == 2


def test_the_next_iso_week_reminds_again(secretariat_team, waiting):
    waiting(6)
    reminders.run(REMINDER, now=MONDAY)

    assert reminders.run(REMINDER, now=NEXT_MONDAY) == 2
    assert reminders_sent().count() == 4


@pytest.mark.parametrize("days", [0, 1, 4, WAITING_DAYS - 0.01])
def test_a_practice_waiting_five_days_or_less_reminds_nobody(secretariat_team, waiting, days):
    waiting(days)

    assert reminders.run(REMINDER, now=MONDAY) == 0
    assert not reminders_sent().exists()


@pytest.mark.parametrize(
    "status", ["draft", "changes_requested", "published", "rejected", "archived"]
)
def test_a_practice_no_longer_waiting_reminds_nobody(secretariat_team, make_practice, status):
    make_practice(status, submitted_at=MONDAY - timedelta(days=30))

    assert reminders.run(REMINDER, now=MONDAY) == 0


def test_each_waiting_practice_is_named_in_its_own_reminder(secretariat_team, waiting):
    waiting(6, title="First")
    waiting(12, title="Second")

    assert reminders.run(REMINDER, now=MONDAY) == 4
    assert reminders.run(REMINDER, now=MONDAY) == 0

    subjects = sorted(n.subject for n in reminders_sent().filter(recipient=secretariat_team[0]))
    assert subjects == [
        "Waiting 12 days for moderation: Second",
        "Waiting 6 days for moderation: First",
    ]


def test_a_practice_decided_in_the_week_is_not_reminded_next_week(
    secretariat_team, secretariat, waiting
):
    practice = waiting(6)
    reminders.run(REMINDER, now=MONDAY)

    practice_publish(practice=practice, actor=secretariat)

    assert reminders.run(REMINDER, now=NEXT_MONDAY) == 0


def test_nobody_to_remind_without_a_secretariat(waiting):
    waiting(6)

    assert reminders.run(REMINDER, now=MONDAY) == 0


def test_the_reminder_is_emailed_through_the_celery_task(
    secretariat_team, waiting, django_capture_on_commit_callbacks
):
    waiting(WAITING_DAYS + 3, now=timezone.now())  # the task runs at the real time

    with django_capture_on_commit_callbacks(execute=True):
        run_reminder.delay(REMINDER)

    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in secretariat_team)
    assert all("for moderation" in m.subject for m in mail.outbox)


def test_the_reminder_is_scheduled_with_celery_beat():
    scheduled = [
        entry["args"]
        for entry in app.conf.beat_schedule.values()
        if entry["task"] == "notifications.tasks.run_reminder"
    ]

    assert (REMINDER,) in scheduled
    assert reminders._REMINDERS[REMINDER].period == "week"
