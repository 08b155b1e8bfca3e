"""E-mail delivery when workers meet on PostgreSQL: what is locked, how soon a busy row retries.

A delivery locks its notification's row while the e-mail goes out, so two workers
never send it twice. It must lock that row only: the recipient's user row, joined
for the address, stays free, so a second e-mail to the same person goes out at once
instead of being skipped until the sweep (minutes later). A delivery that does find
its own row held by another worker tries again within seconds.
"""

import pytest
from celery.exceptions import Retry
from django.core import mail

from notifications.models import Notification
from notifications.services import Outcome, digest_send, notification_deliver
from notifications.tasks import deliver_notification
from tests.concurrency import held_while, lock_at_once, require_postgresql
from tests.factories import NotificationFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

LOCKED_RETRY_SECONDS = 2.0
LOCKED_RETRIES = 10


@pytest.fixture(autouse=True)
def postgresql(settings):
    require_postgresql()
    settings.NOTIFICATIONS_LOCKED_RETRY_SECONDS = LOCKED_RETRY_SECONDS
    settings.NOTIFICATIONS_LOCKED_RETRIES = LOCKED_RETRIES


def pending_for(user):
    return NotificationFactory(recipient=user, email_state="pending")


def lock_row(notification):
    return Notification.objects.select_for_update().get(pk=notification.pk)


def run_task_as_a_worker(monkeypatch, notification_id, **kwargs):
    """Run the delivery task as a worker would (not eagerly); what it returned or raised,
    and the retries it scheduled (the broker is the only thing replaced)."""
    scheduled = []
    monkeypatch.setattr(
        deliver_notification,
        "apply_async",
        lambda args=None, kwargs=None, **options: scheduled.append((args, kwargs, options)),
    )
    deliver_notification.push_request(
        id="test-delivery",
        args=[notification_id],
        kwargs=kwargs,
        retries=0,
        is_eager=False,
        called_directly=False,
    )
    try:
        result = deliver_notification.run(notification_id, **kwargs)
    except Retry as retry:
        result = retry
    finally:
        deliver_notification.pop_request()
    return result, scheduled


# --- two e-mails to one person --------------------------------------------------------


def test_two_deliveries_to_one_person_at_once_both_send(settings):
    person = UserFactory(email="busy@example.org")
    first, second = pending_for(person), pending_for(person)

    # The first worker is still sending (its transaction open) when the second starts.
    results = held_while(
        lambda: notification_deliver(notification_id=first.pk),
        lambda: notification_deliver(notification_id=second.pk),
    )

    assert results == {"held": Outcome("sent"), "then": Outcome("sent")}
    assert set(Notification.objects.values_list("email_state", flat=True)) == {"sent"}
    assert sorted(m.subject for m in mail.outbox) == sorted(
        f"[{settings.SITE_NAME}] {n.subject}" for n in (first, second)
    )
    assert [m.to for m in mail.outbox] == [[person.email], [person.email]]


def test_a_delivery_leaves_the_recipients_user_row_unlocked():
    person = UserFactory()
    notification = pending_for(person)

    results = held_while(
        lambda: notification_deliver(notification_id=notification.pk),
        lambda: lock_at_once(person),
    )

    assert results == {"held": Outcome("sent"), "then": person}


def test_a_digest_being_sent_leaves_the_recipients_user_row_unlocked():
    person = UserFactory()
    NotificationFactory(recipient=person, email_state="digest")

    results = held_while(
        lambda: digest_send(user_id=person.pk),
        lambda: lock_at_once(person),
    )

    assert results == {"held": 1, "then": person}
    assert len(mail.outbox) == 1


# --- one e-mail held by another worker --------------------------------------------------


def test_a_delivery_of_a_row_another_worker_holds_is_told_to_retry_within_seconds():
    notification = pending_for(UserFactory())

    results = held_while(
        lambda: lock_row(notification),
        lambda: notification_deliver(notification_id=notification.pk),
    )

    assert results["then"] == Outcome("locked", retry_in=LOCKED_RETRY_SECONDS)
    assert mail.outbox == []
    notification.refresh_from_db()
    assert (notification.email_state, notification.attempts) == ("pending", 0)


def test_the_task_retries_a_locked_delivery_after_a_short_countdown(monkeypatch):
    notification = pending_for(UserFactory())

    results = held_while(
        lambda: lock_row(notification),
        lambda: run_task_as_a_worker(monkeypatch, notification.pk),
    )

    retry, scheduled = results["then"]
    assert isinstance(retry, Retry)
    assert retry.when == LOCKED_RETRY_SECONDS
    [(args, kwargs, options)] = scheduled
    assert (list(args), kwargs) == ([notification.pk], {"locked_tries": 1})
    assert options["countdown"] == LOCKED_RETRY_SECONDS
    assert mail.outbox == []


def test_the_task_stops_retrying_a_locked_delivery_after_the_last_try(monkeypatch):
    notification = pending_for(UserFactory())

    results = held_while(
        lambda: lock_row(notification),
        lambda: run_task_as_a_worker(monkeypatch, notification.pk, locked_tries=LOCKED_RETRIES),
    )

    assert results["then"] == ("locked", [])  # the sweep is the safety net from here


def test_the_retry_after_the_holder_sent_the_email_sends_nothing(monkeypatch):
    notification = pending_for(UserFactory())

    results = held_while(
        lambda: notification_deliver(notification_id=notification.pk),
        lambda: run_task_as_a_worker(monkeypatch, notification.pk),
    )
    assert results["held"] == Outcome("sent")
    assert isinstance(results["then"][0], Retry)

    # The retry runs once the holder has committed: the row is sent, nothing goes out.
    again, scheduled = run_task_as_a_worker(monkeypatch, notification.pk, locked_tries=1)

    assert (again, scheduled) == ("skipped", [])
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert (notification.email_state, notification.attempts) == ("sent", 1)
