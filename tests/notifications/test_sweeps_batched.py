"""The background work at scale: each reminder sweep, the daily digest and the e-mail
delivery cost the same queries for a few objects as for more (one batch), and keep their
rules: a reminder is never sent twice, a digest goes once a day, each e-mail once."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from actionplan.models import Action
from clusters.models import JoinRequest
from exchange.models import Application, Call
from notifications import reminders, tasks
from notifications.models import DigestSent, Notification
from notifications.services import digests_send, enqueue_delivery, notifications_deliver
from practices.models import Practice
from tests.actionplan.conftest import ActionFactory, ObjectiveFactory
from tests.factories import (
    ApplicationFactory,
    JoinRequestFactory,
    MembershipFactory,
    NotificationFactory,
    PracticeFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def queries(job):
    """How many queries ``job()`` makes, and what it returns."""
    with CaptureQueriesContext(connection) as ctx:
        result = job()
    return len(ctx.captured_queries), result


# --- each reminder: what is due, made ``n`` times ---------------------------------------


def _action(objective, **dates):
    action = ActionFactory(objective=objective, owner=UserFactory())
    MembershipFactory(cluster=action.lead_cluster)  # a manager of the lead cluster
    Action.objects.filter(pk=action.pk).update(**dates)


def due_soon(n, now):
    today = timezone.localdate(now)
    objective = ObjectiveFactory()
    for _ in range(n):
        _action(objective, start_date=today - timedelta(days=60), due_date=today + timedelta(5))


def overdue(n, now):
    today = timezone.localdate(now)
    objective = ObjectiveFactory()
    for _ in range(n):
        _action(objective, start_date=today - timedelta(days=60), due_date=today - timedelta(3))


def needs_update(n, now):
    objective = ObjectiveFactory()
    for _ in range(n):
        _action(objective, created=now - timedelta(days=40))


def waiting_for_host(n, now):
    for _ in range(n):
        application = ApplicationFactory()
        MembershipFactory(cluster=application.host)
        Application.objects.filter(pk=application.pk).update(
            status="submitted", submitted_at=now - timedelta(days=8)
        )


def reports_due(n, now):
    today = timezone.localdate(now)
    for _ in range(n):
        application = ApplicationFactory()
        Application.objects.filter(pk=application.pk).update(
            status="approved",
            start_date=today - timedelta(days=6),
            end_date=today - timedelta(days=2),
            submitted_at=now - timedelta(days=40),
        )


def calls_closing(n, now):
    for _ in range(n):
        application = ApplicationFactory()
        Call.objects.filter(pk=application.call_id).update(closes_at=now + timedelta(days=2))


def one_secretariat():
    if not UserFactory._meta.model.objects.filter(is_staff=True).exists():
        StaffFactory()


def join_requests_waiting(n, now):
    one_secretariat()
    for _ in range(n):
        join_request = JoinRequestFactory()
        JoinRequest.objects.filter(pk=join_request.pk).update(created=now - timedelta(days=6))


def practices_waiting(n, now):
    one_secretariat()
    for _ in range(n):
        practice = PracticeFactory(status="submitted")
        Practice.objects.filter(pk=practice.pk).update(submitted_at=now - timedelta(days=6))


REMINDERS = {
    "actionplan.due_soon": due_soon,
    "actionplan.overdue": overdue,
    "actionplan.update_request": needs_update,
    "exchange.review_waiting": waiting_for_host,
    "exchange.report_due": reports_due,
    "exchange.call_closing": calls_closing,
    "clusters.joinrequest_waiting": join_requests_waiting,
    "practices.waiting": practices_waiting,
}


def test_every_registered_reminder_is_measured_here():
    assert {r.name for r in reminders.all_reminders()} == set(REMINDERS)


@pytest.mark.parametrize("name", sorted(REMINDERS))
def test_a_reminder_costs_the_same_queries_for_two_objects_as_for_five(name):
    now = timezone.now()
    make = REMINDERS[name]

    make(2, now)
    few, created_few = queries(lambda: reminders.run(name, now=now))
    Notification.objects.all().delete()
    make(3, now)
    more, created_more = queries(lambda: reminders.run(name, now=now))

    assert created_few > 0
    assert created_more == created_few * 5 // 2
    assert more == few
    assert reminders.run(name, now=now) == 0  # the same period: nobody is told twice


def test_a_sweep_goes_through_its_objects_a_batch_at_a_time(monkeypatch):
    now = timezone.now()
    overdue(5, now)
    monkeypatch.setattr(reminders, "BATCH_SIZE", 2)
    seen = []
    original = reminders.notify_all

    def notify_all(*, kind, messages):
        messages = list(messages)
        seen.append(len(messages))
        return original(kind=kind, messages=messages)

    monkeypatch.setattr(reminders, "notify_all", notify_all)

    assert reminders.run("actionplan.overdue", now=now) == 10
    assert seen == [2, 2, 1]
    assert reminders.run("actionplan.overdue", now=now) == 0


def test_a_batch_skips_the_people_a_concurrent_run_told_first(monkeypatch):
    """A duplicate written between the check and the insert: the batch is written row by
    row instead, and only the duplicate is left out."""
    now = timezone.now()
    overdue(2, now)
    first = Action.objects.order_by("pk").first()
    reminder = next(r for r in reminders.all_reminders() if r.name == "actionplan.overdue")
    real_filter = Notification.objects.filter

    def late_duplicate(*args, **kwargs):
        # The dedupe check sees nothing; the other run's row lands just after it.
        if "dedupe_key__in" in kwargs:
            NotificationFactory(
                recipient=first.owner,
                kind="actionplan.overdue",
                dedupe_key=reminder.dedupe_key(first, now),
            )
            return real_filter(*args, **kwargs).none()
        return real_filter(*args, **kwargs)

    monkeypatch.setattr(Notification.objects, "filter", late_duplicate)
    created = reminders.run("actionplan.overdue", now=now)
    monkeypatch.undo()

    assert created == 3  # four people; the owner of the first action was told already
    assert Notification.objects.filter(recipient=first.owner).count() == 1
    assert Notification.objects.filter(kind="actionplan.overdue").count() == 4


# --- the daily digest ------------------------------------------------------------------


def waiting_for_digest(n):
    people = [UserFactory() for _ in range(n)]
    for person in people:
        for _ in range(2):
            NotificationFactory(recipient=person, email_state="digest")
    return [p.pk for p in people]


def test_the_digests_of_two_people_cost_the_queries_of_five():
    first = waiting_for_digest(2)
    few, sent_few = queries(lambda: digests_send(user_ids=first))
    people = waiting_for_digest(5)
    more, sent_more = queries(lambda: digests_send(user_ids=people))

    assert list(sent_few.values()) == [2, 2]
    assert list(sent_more.values()) == [2] * 5
    assert more == few
    assert len(mail.outbox) == 7
    assert digests_send(user_ids=people) == {}  # once a day
    assert len(mail.outbox) == 7


def test_a_batch_of_digests_uses_one_mail_connection(monkeypatch):
    opened = []
    monkeypatch.setattr(EmailBackend, "open", lambda self: opened.append(self) or True)

    digests_send(user_ids=waiting_for_digest(4))

    assert len(mail.outbox) == 4
    assert len(opened) == 1


def test_a_failed_digest_in_a_batch_leaves_that_persons_day_free_and_sends_the_others(
    monkeypatch,
):
    people = waiting_for_digest(3)
    yesterday = timezone.localdate() - timedelta(days=1)
    DigestSent.objects.create(user_id=people[2], sent_on=yesterday)
    unlucky = {UserFactory._meta.model.objects.get(pk=pk).email for pk in people[1:]}
    real_send = EmailBackend.send_messages

    def refuse_some(self, messages):
        if messages[0].to[0] in unlucky:
            raise ConnectionResetError("the server went away")
        return real_send(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", refuse_some)

    results = digests_send(user_ids=people)

    assert results[people[0]] == 2
    assert isinstance(results[people[1]], ConnectionResetError)
    assert len(mail.outbox) == 1
    assert list(DigestSent.objects.order_by("user_id").values_list("user_id", "sent_on")) == [
        (people[0], timezone.localdate()),
        (people[2], yesterday),  # as it was
    ]
    waiting = Notification.objects.filter(email_state="digest")
    assert sorted(set(waiting.values_list("recipient_id", flat=True))) == people[1:]
    monkeypatch.undo()
    assert sorted(digests_send(user_ids=people)) == people[1:]


def test_the_hourly_run_queues_the_digests_in_batches(monkeypatch, frozen_at):
    frozen_at(23)
    people = waiting_for_digest(5)
    monkeypatch.setattr(tasks, "DIGEST_BATCH", 2)
    queued = []
    monkeypatch.setattr(tasks.send_digests, "delay", lambda ids, day: queued.append(ids))

    assert tasks.send_daily_digests() == 5

    assert sorted(pk for batch in queued for pk in batch) == sorted(people)
    assert [len(batch) for batch in queued] == [2, 2, 1]


# --- e-mail delivery ------------------------------------------------------------------------


def pending(n):
    return [
        NotificationFactory(recipient=UserFactory(), email_state="pending").pk for _ in range(n)
    ]


def test_delivering_two_emails_costs_the_queries_of_five():
    first = pending(2)
    few, _ = queries(lambda: notifications_deliver(notification_ids=first))
    ids = pending(5)
    more, outcomes = queries(lambda: notifications_deliver(notification_ids=ids))

    assert {o.state for o in outcomes.values()} == {"sent"}
    assert more == few
    assert len(mail.outbox) == 7
    assert set(Notification.objects.values_list("email_state", flat=True)) == {"sent"}


def test_a_batch_of_emails_goes_over_one_connection_and_each_once(monkeypatch):
    opened = []
    monkeypatch.setattr(EmailBackend, "open", lambda self: opened.append(self) or True)
    ids = pending(4)

    notifications_deliver(notification_ids=ids + ids[:2])
    notifications_deliver(notification_ids=ids)

    assert len(opened) == 1  # the second batch found nothing pending
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        Notification.objects.filter(pk__in=ids).values_list("recipient__email", flat=True)
    )


def test_a_failure_in_a_batch_is_recorded_on_its_row_and_the_others_are_sent(monkeypatch, settings):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 2
    ids = pending(3)
    refused = Notification.objects.get(pk=ids[1])
    real_send = EmailBackend.send_messages

    def refuse_one(self, messages):
        if messages[0].to[0] == refused.recipient.email:
            raise ConnectionRefusedError("mail server away")
        return real_send(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", refuse_one)

    first = notifications_deliver(notification_ids=ids)
    Notification.objects.filter(pk=ids[1]).update(next_attempt_at=None)
    second = notifications_deliver(notification_ids=ids)

    assert [first[pk].state for pk in ids] == ["sent", "retry", "sent"]
    assert [second[pk].state for pk in ids] == ["skipped", "failed", "skipped"]
    refused.refresh_from_db()
    assert (refused.email_state, refused.attempts) == ("failed", 2)
    assert refused.last_error == "ConnectionRefusedError: mail server away"
    assert len(mail.outbox) == 2


def test_the_outbox_queues_its_emails_in_batches(monkeypatch):
    queued = []
    monkeypatch.setattr(tasks.deliver_notifications, "delay", lambda ids: queued.append(ids))

    enqueue_delivery(list(range(1, 121)))

    assert [len(batch) for batch in queued] == [50, 50, 20]
    assert [pk for batch in queued for pk in batch] == list(range(1, 121))
