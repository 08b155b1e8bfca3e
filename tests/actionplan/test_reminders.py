from datetime import UTC, datetime, timedelta

import pytest

from actionplan.models import Action, ProgressUpdate
from notifications.models import Notification
from notifications.reminders import run
from smartclusters.celery import app

from .conftest import ActionFactory

DUE_SOON = "actionplan.due_soon"
OVERDUE = "actionplan.overdue"
UPDATE_REQUEST = "actionplan.update_request"
MONDAY = datetime(2030, 3, 4, 9, 0, tzinfo=UTC)  # ISO week 2030-W10
FRIDAY = MONDAY + timedelta(days=4)
NEXT_MONDAY = MONDAY + timedelta(days=7)


def day(moment):
    return moment.date()


def recipients(kind):
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient__email", flat=True))


@pytest.fixture
def due_in_five_days(action):
    Action.objects.filter(pk=action.pk).update(
        start_date=day(MONDAY) - timedelta(days=60), due_date=day(MONDAY) + timedelta(days=5)
    )
    return action


@pytest.fixture
def overdue(action):
    Action.objects.filter(pk=action.pk).update(
        start_date=day(MONDAY) - timedelta(days=60), due_date=day(MONDAY) - timedelta(days=3)
    )
    return action


def test_due_soon_tells_owner_and_lead_managers_once(due_in_five_days, manager, other_manager):
    assert run(DUE_SOON, now=MONDAY) == 2
    assert recipients(DUE_SOON) == ["manager@example.org", "owner@example.org"]
    assert run(DUE_SOON, now=MONDAY + timedelta(hours=2)) == 0
    assert run(DUE_SOON, now=MONDAY + timedelta(days=1)) == 0
    assert Notification.objects.filter(kind=DUE_SOON).count() == 2


def test_due_soon_ignores_actions_due_later(action, manager):
    Action.objects.filter(pk=action.pk).update(due_date=day(MONDAY) + timedelta(days=40))
    assert run(DUE_SOON, now=MONDAY) == 0


def test_overdue_reminds_once_per_iso_week(overdue, manager):
    assert run(OVERDUE, now=MONDAY) == 2
    assert run(OVERDUE, now=FRIDAY) == 0
    assert run(OVERDUE, now=NEXT_MONDAY) == 2
    assert recipients(OVERDUE) == ["manager@example.org"] * 2 + ["owner@example.org"] * 2


def test_update_request_when_no_update_for_30_days_once_a_month(action, owner, manager):
    assert run(UPDATE_REQUEST, now=MONDAY) == 1  # the owner is asked, not the managers
    assert recipients(UPDATE_REQUEST) == ["owner@example.org"]
    assert run(UPDATE_REQUEST, now=MONDAY + timedelta(days=10)) == 0
    assert run(UPDATE_REQUEST, now=MONDAY + timedelta(days=31)) == 1


def test_no_update_request_after_a_recent_update(action, owner):
    update = ProgressUpdate.objects.create(
        action=action, author=owner, progress=10, status="in_progress", text="On it."
    )
    ProgressUpdate.objects.filter(pk=update.pk).update(created=MONDAY - timedelta(days=10))
    assert run(UPDATE_REQUEST, now=MONDAY) == 0
    ProgressUpdate.objects.filter(pk=update.pk).update(created=MONDAY - timedelta(days=31))
    assert run(UPDATE_REQUEST, now=MONDAY) == 1


@pytest.mark.parametrize("status", ["completed", "cancelled"])
def test_closed_actions_never_remind(overdue, manager, objective, status):
    Action.objects.filter(pk=overdue.pk).update(status=status)
    ActionFactory(
        objective=objective,
        lead_cluster=overdue.lead_cluster,
        status=status,
        start_date=day(MONDAY) - timedelta(days=60),
        due_date=day(MONDAY) + timedelta(days=3),
    )
    for name in (DUE_SOON, OVERDUE, UPDATE_REQUEST):
        assert run(name, now=MONDAY) == 0
    assert not Notification.objects.exists()


def test_draft_strategies_never_remind(draft_action, manager):
    Action.objects.filter(pk=draft_action.pk).update(
        start_date=day(MONDAY) - timedelta(days=60), due_date=day(MONDAY) - timedelta(days=1)
    )
    Action.objects.create(
        objective=draft_action.objective,
        title="Due soon in a draft",
        lead_cluster=draft_action.lead_cluster,
        owner=draft_action.owner,
        start_date=day(MONDAY) - timedelta(days=60),
        due_date=day(MONDAY) + timedelta(days=5),
    )
    for name in (DUE_SOON, OVERDUE, UPDATE_REQUEST):
        assert run(name, now=MONDAY) == 0
    assert not Notification.objects.exists()


@pytest.mark.parametrize("name", [DUE_SOON, OVERDUE, UPDATE_REQUEST])
def test_each_reminder_is_scheduled(name):
    entries = [
        entry
        for entry in app.conf.beat_schedule.values()
        if entry["task"] == "notifications.tasks.run_reminder" and tuple(entry["args"]) == (name,)
    ]
    assert len(entries) == 1
