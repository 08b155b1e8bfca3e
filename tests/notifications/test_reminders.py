"""The reminder framework, with the real reminder about join requests left waiting."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from clusters.models import JoinRequest
from clusters.notifications import JOIN_REQUEST_WAITING, JOIN_REQUEST_WAITING_DAYS
from notifications import registry, reminders
from notifications.models import Notification
from notifications.reminders import Reminder
from notifications.tasks import run_reminder
from smartclusters.celery import app
from tests.factories import JoinRequestFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

REMINDER = JOIN_REQUEST_WAITING.name
MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # ISO week 2026-W10
SUNDAY = datetime(2026, 3, 8, 20, 0, tzinfo=UTC)  # still 2026-W10 (21:00 in Brussels)
NEXT_MONDAY = MONDAY + timedelta(days=7)  # 2026-W11


@pytest.fixture
def secretariat_team(secretariat):
    """Two active coordinators; an inactive one and ordinary members hear nothing."""
    colleague = StaffFactory(email="coordinator@example.org")
    StaffFactory(email="retired@example.org", is_active=False)
    UserFactory(email="bystander@example.org")
    return [secretariat, colleague]


def submitted(days_before, now=MONDAY, **kwargs):
    join_request = JoinRequestFactory(**kwargs)
    JoinRequest.objects.filter(pk=join_request.pk).update(created=now - timedelta(days=days_before))
    join_request.refresh_from_db()
    return join_request


def reminders_sent():
    return Notification.objects.filter(kind=REMINDER)


def test_a_request_waiting_more_than_five_days_reminds_each_secretariat_member(
    secretariat_team, member
):
    join_request = submitted(6, name="Porto Energy", requester=member)

    assert reminders.run(REMINDER, now=MONDAY) == 2

    rows = reminders_sent().order_by("recipient_id")
    assert [n.recipient for n in rows] == secretariat_team
    for row in rows:
        assert row.subject == "Waiting 6 days: join request from Porto Energy"
        assert "Porto Energy" in row.body
        assert "Mia Member" in row.body
        assert row.link == reverse("clusters:join_request_detail", args=[join_request.pk])
        assert row.email_state == "pending"


def test_the_reminder_is_emailed_to_the_secretariat_after_commit(
    django_capture_on_commit_callbacks, secretariat_team
):
    submitted(6, name="Porto Energy")

    with django_capture_on_commit_callbacks(execute=True):
        reminders.run(REMINDER, now=MONDAY)

    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in secretariat_team)
    assert all("Porto Energy" in m.subject for m in mail.outbox)


def test_each_waiting_request_gets_its_own_reminder(secretariat_team):
    submitted(6, name="Porto Energy")
    submitted(9, name="Lisbon Mobility")

    assert reminders.run(REMINDER, now=MONDAY) == 4

    subjects = set(reminders_sent().values_list("subject", flat=True))
    assert subjects == {
        "Waiting 6 days: join request from Porto Energy",
        "Waiting 9 days: join request from Lisbon Mobility",
    }


def test_running_the_reminder_twice_the_same_day_reminds_once(secretariat_team):
    submitted(6)

    assert reminders.run(REMINDER, now=MONDAY) == 2
    assert reminders.run(REMINDER, now=MONDAY + timedelta(hours=3)) == 0

    assert reminders_sent().count() == 2


def test_running_the_reminder_again_in_the_same_iso_week_reminds_once(secretariat_team):
    submitted(6)

    reminders.run(REMINDER, now=MONDAY)

    assert reminders.run(REMINDER, now=SUNDAY) == 0
    assert reminders_sent().count() == 2


def test_a_week_later_the_reminder_comes_again(secretariat_team):
    join_request = submitted(6, name="Porto Energy")

    reminders.run(REMINDER, now=MONDAY)

    assert reminders.run(REMINDER, now=NEXT_MONDAY) == 2
    assert reminders_sent().count() == 4
    for person in secretariat_team:
        assert list(
            reminders_sent().filter(recipient=person).values_list("subject", flat=True)
        ) == [
            "Waiting 13 days: join request from Porto Energy",
            "Waiting 6 days: join request from Porto Energy",
        ]
    keys = set(reminders_sent().values_list("dedupe_key", flat=True))
    assert keys == {
        f"{REMINDER}:clusters.joinrequest:{join_request.pk}:2026-W10",
        f"{REMINDER}:clusters.joinrequest:{join_request.pk}:2026-W11",
    }


@pytest.mark.parametrize("days", [0, 4, JOIN_REQUEST_WAITING_DAYS])
def test_a_request_not_yet_waiting_five_days_reminds_nobody(secretariat_team, days):
    submitted(days)

    assert reminders.run(REMINDER, now=MONDAY) == 0
    assert not reminders_sent().exists()


@pytest.mark.parametrize(
    "decision",
    [
        {"status": JoinRequest.Status.APPROVED},
        {"status": JoinRequest.Status.REJECTED, "rejection_reason": "Not a cluster."},
    ],
    ids=["approved", "rejected"],
)
def test_a_decided_request_reminds_nobody(secretariat_team, decision):
    submitted(30, **decision)

    assert reminders.run(REMINDER, now=MONDAY) == 0
    assert not reminders_sent().exists()


def test_a_new_secretariat_member_is_reminded_in_the_same_week(secretariat_team):
    submitted(6)
    reminders.run(REMINDER, now=MONDAY)
    newcomer = StaffFactory(email="newcomer@example.org")

    assert reminders.run(REMINDER, now=SUNDAY) == 1

    assert reminders_sent().filter(recipient=newcomer).count() == 1
    assert reminders_sent().count() == 3


def test_the_run_reminder_task_reminds_once_per_week(secretariat_team):
    submitted(6, now=timezone.now())

    run_reminder.delay(REMINDER)
    run_reminder.delay(REMINDER)

    assert sorted(reminders_sent().values_list("recipient_id", flat=True)) == sorted(
        u.pk for u in secretariat_team
    )


def test_the_run_reminder_task_leaves_a_young_request_alone(secretariat_team):
    submitted(1, now=timezone.now())

    run_reminder.delay(REMINDER)

    assert not reminders_sent().exists()


# --- the framework ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "key"),
    [("day", "2026-03-05"), ("week", "2026-W10"), ("month", "2026-03")],
)
def test_dedupe_key_names_the_object_and_the_local_period(member, period, key):
    reminder = Reminder(name="clusters.something", due=lambda now: [], period=period)
    late_evening_utc = datetime(2026, 3, 4, 23, 30, tzinfo=UTC)  # already Thursday in Brussels

    assert reminder.dedupe_key(member, late_evening_utc) == (
        f"clusters.something:accounts.user:{member.pk}:{key}"
    )


def test_registering_a_reminder_with_an_unknown_period_is_refused():
    with pytest.raises(ValueError, match="fortnight"):
        reminders.register(Reminder(name="clusters.fortnightly", due=list, period="fortnight"))

    assert "clusters.fortnightly" not in {r.name for r in reminders.all_reminders()}


def test_every_reminder_sends_a_registered_kind():
    for reminder in reminders.all_reminders():
        assert registry.get(reminder.name).name == reminder.name


# --- the beat schedule ------------------------------------------------------------------


def registered_tasks():
    app.loader.import_default_modules()
    return set(app.tasks)


def test_every_beat_schedule_entry_names_a_registered_task():
    tasks = registered_tasks()

    assert app.conf.beat_schedule
    for name, entry in app.conf.beat_schedule.items():
        assert entry["task"] in tasks, name


def test_every_reminder_entry_in_the_beat_schedule_names_a_registered_reminder():
    names = {r.name for r in reminders.all_reminders()}
    scheduled = [
        entry["args"][0]
        for entry in app.conf.beat_schedule.values()
        if entry["task"] == run_reminder.name
    ]

    assert scheduled
    assert set(scheduled) <= names


def test_every_registered_reminder_is_in_the_beat_schedule():
    scheduled = {
        entry["args"][0]
        for entry in app.conf.beat_schedule.values()
        if entry["task"] == run_reminder.name
    }

    assert {r.name for r in reminders.all_reminders()} <= scheduled
