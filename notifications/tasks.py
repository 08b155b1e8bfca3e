"""Celery entry points for notifications. Each takes ids, calls one service, holds no logic."""

from datetime import date

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from . import reminders, services


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
    for user_id in user_ids:
        send_digest.delay(user_id, day)
    return len(user_ids)


@shared_task(acks_late=True, ignore_result=True)
def send_digest(user_id: int, day: str | None = None) -> int:
    return services.digest_send(user_id=user_id, day=date.fromisoformat(day) if day else None)


@shared_task(ignore_result=True)
def run_reminder(name: str) -> int:
    return reminders.run(name)
