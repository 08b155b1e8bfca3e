"""Celery entry points for notifications. Each takes ids, calls one service, holds no logic."""

from datetime import date

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from . import reminders, services

# How many people's digests one task sends, over one SMTP connection.
DIGEST_BATCH = 100


@shared_task(bind=True, acks_late=True, max_retries=None, ignore_result=True)
def deliver_notification(self, notification_id: int, locked_tries: int = 0) -> str:
    """Deliver one e-mail; try again after a transient error or while another worker holds it.

    The transient retries are counted on the row (``NOTIFICATIONS_MAX_ATTEMPTS``);
    the "locked" ones in ``locked_tries``, up to ``NOTIFICATIONS_LOCKED_RETRIES``,
    after which the periodic sweep is the safety net.
    """
    outcome = services.notification_deliver(notification_id=notification_id)
    # In-process (eager) runs don't wait for a retry: the periodic sweep tries again.
    if self.request.is_eager:
        return outcome.state
    if outcome.state == "retry":
        raise self.retry(countdown=outcome.retry_in)
    if outcome.state == "locked" and locked_tries < settings.NOTIFICATIONS_LOCKED_RETRIES:
        raise self.retry(
            args=[notification_id],
            kwargs={"locked_tries": locked_tries + 1},
            countdown=outcome.retry_in,
        )
    return outcome.state


@shared_task(acks_late=True, ignore_result=True)
def deliver_notifications(notification_ids: list[int], locked_tries: int = 0) -> dict[str, int]:
    """Deliver a batch of e-mails over one SMTP connection (the outbox queues them so).

    Queues again, as a batch each, the ones that met a transient error (at their
    ``retry_in``) and, up to ``NOTIFICATIONS_LOCKED_RETRIES`` times, the ones another
    worker held; the periodic sweep is the safety net after that.
    """
    outcomes = services.notifications_deliver(notification_ids=notification_ids)
    states: dict[str, int] = {}
    again: dict[tuple[float, int], list[int]] = {}
    for pk, outcome in outcomes.items():
        states[outcome.state] = states.get(outcome.state, 0) + 1
        if outcome.state == "retry":
            again.setdefault((outcome.retry_in or 0.0, 0), []).append(pk)
        elif outcome.state == "locked" and locked_tries < settings.NOTIFICATIONS_LOCKED_RETRIES:
            again.setdefault((outcome.retry_in or 0.0, locked_tries + 1), []).append(pk)
    # In-process (eager) runs don't wait for a retry: the periodic sweep tries again.
    if not deliver_notifications.request.is_eager:
        for (countdown, tries), ids in again.items():
            deliver_notifications.apply_async(
                args=[ids], kwargs={"locked_tries": tries}, countdown=countdown
            )
    return states


@shared_task(ignore_result=True)
def requeue_stale_notifications() -> int:
    return len(services.notifications_requeue_stale())


@shared_task(ignore_result=True)
def send_daily_digests() -> int:
    """Run every hour: queue today's digest of each person due one (their hour has come
    and they have not had today's); the day goes with it, so a late worker sends that
    day's digest, not tomorrow's."""
    now = timezone.now()
    day = timezone.localdate(now).isoformat()
    user_ids = services.digest_recipients(now=now)
    for start in range(0, len(user_ids), DIGEST_BATCH):
        send_digests.delay(user_ids[start : start + DIGEST_BATCH], day)
    return len(user_ids)


@shared_task(acks_late=True, ignore_result=True)
def send_digests(user_ids: list[int], day: str | None = None) -> int:
    """The digests of a batch of people, over one SMTP connection; returns how many went."""
    results = services.digests_send(user_ids=user_ids, day=date.fromisoformat(day) if day else None)
    return sum(1 for result in results.values() if not isinstance(result, Exception))


@shared_task(acks_late=True, ignore_result=True)
def send_digest(user_id: int, day: str | None = None) -> int:
    """One person's digest (queued by earlier releases; ``send_digests`` now)."""
    return services.digest_send(user_id=user_id, day=date.fromisoformat(day) if day else None)


@shared_task(ignore_result=True)
def run_reminder(name: str) -> int:
    return reminders.run(name)
