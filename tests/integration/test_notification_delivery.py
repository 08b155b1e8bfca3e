"""The delivery path for real: Redis, a Celery worker process and an SMTP server."""

import threading
import time

import pytest
from django.db import connections, transaction

from clusters.services import join_request_submit
from notifications.models import Notification
from notifications.services import notify
from notifications.tasks import deliver_notification, requeue_stale_notifications
from tests.concurrency import WAIT, require_postgresql
from tests.factories import NotificationFactory, StaffFactory, UserFactory
from tests.integration.conftest import set_broker, wait_until

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

DEAD_BROKER = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def _join_data(name="Porto Energy Communities"):
    return {
        "name": name,
        "country": "PT",
        "city": "Porto",
        "contact_email": "hi@pec.example.eu",
        "description": "Energy communities.",
        "motivation": "To learn and share.",
    }


def _tell(user, subject_key):
    with transaction.atomic():
        return notify(
            recipients=[user],
            kind="clusters.joinrequest_rejected",
            context={"join_request": {"name": subject_key, "rejection_reason": "None."}},
            link="/accounts/profile/",
        )[0]


def test_a_state_change_produces_exactly_one_email(worker, smtp):
    secretariat = StaffFactory(email="sec@network.example.org")
    member = UserFactory(email="ana@porto.example.org")
    with transaction.atomic():
        join_request_submit(requester=member, data=_join_data(), ecosystems=[])

    wait_until(lambda: smtp.to(secretariat.email), message="the secretariat's e-mail")
    notification = Notification.objects.get(recipient=secretariat)
    wait_until(
        lambda: Notification.objects.get(pk=notification.pk).email_state == "sent",
        message="the row to be marked sent",
    )
    # A marker sent after it proves the queue is drained: nothing else was sent.
    marker = _tell(UserFactory(email="marker@example.org"), "marker")
    wait_until(lambda: smtp.to("marker@example.org"), message="the marker")
    assert len(smtp.messages) == 2
    message = smtp.to(secretariat.email)[0].content.decode()
    assert "Porto Energy Communities" in message
    assert "https://smartclusters.example.eu/clusters/join-requests/" in message
    assert not smtp.to(member.email)
    assert Notification.objects.get(pk=marker.pk).email_state == "sent"


def test_the_delivery_task_run_twice_sends_once(worker, smtp):
    person = UserFactory(email="once@example.org")
    notification = _tell(person, "first")
    wait_until(lambda: smtp.to(person.email), message="the first delivery")
    deliver_notification.delay(notification.pk)
    deliver_notification.delay(notification.pk)
    marker_person = UserFactory(email="marker@example.org")
    _tell(marker_person, "marker")
    wait_until(lambda: smtp.to(marker_person.email), message="the marker")
    assert len(smtp.to(person.email)) == 1
    notification.refresh_from_db()
    assert notification.email_state == "sent"
    assert notification.attempts == 1


def test_broker_down_at_commit_leaves_the_row_pending_and_the_sweep_delivers_it(
    worker, smtp, redis_url
):
    person = UserFactory(email="later@example.org")
    set_broker(DEAD_BROKER)
    try:
        notification = _tell(person, "while the broker was down")
    finally:
        set_broker(redis_url)
    notification.refresh_from_db()
    assert notification.email_state == "pending"
    assert notification.attempts == 0

    # The periodic sweep, run by the worker as beat would, queues it again (its stale
    # age is 1 s in the worker), and the worker delivers it.
    def swept():
        requeue_stale_notifications.delay()
        return bool(smtp.to(person.email))

    wait_until(swept, timeout=30, interval=1.5, message="the sweep to deliver the e-mail")
    wait_until(
        lambda: Notification.objects.get(pk=notification.pk).email_state == "sent",
        message="the row to be marked sent",
    )
    marker_person = UserFactory(email="marker@example.org")
    _tell(marker_person, "marker")
    wait_until(lambda: smtp.to(marker_person.email), message="the marker")
    assert len(smtp.to(person.email)) == 1


def test_a_failing_smtp_server_leads_to_retries_then_a_failed_row(worker, smtp):
    smtp.failing = True
    person = UserFactory(email="unlucky@example.org")
    notification = _tell(person, "doomed")
    wait_until(
        lambda: Notification.objects.get(pk=notification.pk).email_state == "failed",
        timeout=30,
        message="the row to be marked failed",
    )
    notification.refresh_from_db()
    assert notification.attempts == 3  # NOTIFICATIONS_MAX_ATTEMPTS in the worker
    assert smtp.attempts == 3
    assert "451" in notification.last_error
    assert not smtp.messages


class RowHolder(threading.Thread):
    """Another worker: holds a notification's row lock until released, then commits,
    having marked the row sent if told so (as if it had e-mailed it)."""

    def __init__(self, notification):
        super().__init__()
        self.notification = notification
        self.locked, self.release = threading.Event(), threading.Event()
        self.mark_sent = False

    def run(self):
        try:
            with transaction.atomic():
                Notification.objects.select_for_update().get(pk=self.notification.pk)
                self.locked.set()
                self.release.wait(WAIT)
                if self.mark_sent:
                    Notification.objects.filter(pk=self.notification.pk).update(
                        email_state="sent", attempts=1
                    )
        finally:
            connections.close_all()


def worker_log_line(worker, text) -> str:
    """The worker's first log line that contains ``text`` ("" while there is none)."""
    lines = worker.log_path.read_text().splitlines()
    return next((line for line in lines if text in line), "")


def test_a_delivery_that_meets_a_held_row_is_retried_within_seconds(worker, smtp):
    require_postgresql()  # SQLite has no row locks to skip
    person = UserFactory(email="held@example.org")
    notification = NotificationFactory(recipient=person, email_state="pending")
    holder = RowHolder(notification)
    holder.start()
    assert holder.locked.wait(WAIT)

    task = deliver_notification.delay(notification.pk)
    retried = f"[{task.id}] retry: Retry in 1"  # NOTIFICATIONS_LOCKED_RETRY_SECONDS there
    wait_until(lambda: worker_log_line(worker, retried), message="the retry")
    assert not smtp.messages
    holder.release.set()
    holder.join(WAIT)
    released = time.monotonic()

    # No sweep runs here: only the task's own retry can deliver it.
    wait_until(lambda: smtp.to(person.email), timeout=10, message="the retried delivery")
    assert time.monotonic() - released < 5
    wait_until(
        lambda: Notification.objects.get(pk=notification.pk).email_state == "sent",
        message="the row to be marked sent",
    )
    assert len(smtp.to(person.email)) == 1
    assert Notification.objects.get(pk=notification.pk).attempts == 1


def test_the_retry_of_a_held_row_that_the_holder_sent_sends_nothing(worker, smtp):
    require_postgresql()
    person = UserFactory(email="sent-by-other@example.org")
    notification = NotificationFactory(recipient=person, email_state="pending")
    holder = RowHolder(notification)
    holder.mark_sent = True
    holder.start()
    assert holder.locked.wait(WAIT)

    task = deliver_notification.delay(notification.pk)
    retried = f"[{task.id}] retry: Retry in 1"  # NOTIFICATIONS_LOCKED_RETRY_SECONDS there
    wait_until(lambda: worker_log_line(worker, retried), message="the retry")
    holder.release.set()
    holder.join(WAIT)

    succeeded = f"[{task.id}] succeeded"
    wait_until(lambda: worker_log_line(worker, succeeded), timeout=10, message="the retried run")
    assert worker_log_line(worker, succeeded).endswith(": 'skipped'")
    assert not smtp.messages
    assert smtp.attempts == 0


def test_many_emails_queued_at_one_commit_go_out_in_batches_each_once(worker, smtp):
    people = [UserFactory(email=f"person{n}@example.org") for n in range(30)]
    with transaction.atomic():
        created = notify(
            recipients=people,
            kind="clusters.joinrequest_rejected",
            context={"join_request": {"name": "Batch", "rejection_reason": "None."}},
            link="/accounts/profile/",
        )

    wait_until(lambda: len(smtp.messages) >= 30, message="thirty e-mails")
    rows = Notification.objects.filter(pk__in=[n.pk for n in created])
    wait_until(lambda: rows.filter(email_state="sent").count() == 30, message="the rows sent")
    marker = _tell(UserFactory(email="marker@example.org"), "marker")
    wait_until(lambda: smtp.to("marker@example.org"), message="the marker")
    assert sorted(m.rcpt_tos[0] for m in smtp.messages) == sorted(
        [p.email for p in people] + ["marker@example.org"]
    )
    assert set(rows.values_list("attempts", flat=True)) == {1}
    assert Notification.objects.get(pk=marker.pk).email_state == "sent"
