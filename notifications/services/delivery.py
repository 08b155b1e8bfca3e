"""E-mail delivery of the outbox: one e-mail per pending row, retries, the sweep."""

from __future__ import annotations

import contextlib
import logging
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from core.services import record

from ..models import Notification

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)


def absolute_url(path: str) -> str:
    if not path or path.startswith(("http://", "https://")):
        return path
    return settings.SITE_URL.rstrip("/") + path


# How many e-mails one delivery task sends, over one SMTP connection.
DELIVERY_BATCH = 50


def enqueue_delivery(notification_ids: list[int]) -> None:
    """Hand notifications to Celery, ``DELIVERY_BATCH`` to a task. A broker that is down
    leaves them pending for the sweep."""
    from ..tasks import deliver_notifications

    for start in range(0, len(notification_ids), DELIVERY_BATCH):
        batch = list(notification_ids[start : start + DELIVERY_BATCH])
        try:
            deliver_notifications.delay(batch)
        except Exception:
            logger.warning("could not queue notifications %s; the sweep will retry", batch)


# ------------------------------------------------------------------------------
# E-mail delivery
# ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Outcome:
    state: str  # sent, failed, retry, locked, skipped
    retry_in: float | None = None


def is_transient(exc: Exception) -> bool:
    """Worth trying again later: the server is away or says "try later" (4xx)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _msg in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    if isinstance(exc, (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError)):
        return True
    if isinstance(exc, smtplib.SMTPException):
        # SMTPException is an OSError too; the rest (no AUTH, not supported...) is
        # a configuration problem that waiting will not fix.
        return False
    return isinstance(exc, OSError)  # refused, reset, timed out, name not resolved


def retry_delay(attempts: int) -> float:
    base = settings.NOTIFICATIONS_RETRY_BASE_SECONDS
    return min(base * 2 ** (attempts - 1), settings.NOTIFICATIONS_RETRY_MAX_SECONDS)


def _email_urls() -> dict[str, str]:
    return {
        "preferences_url": absolute_url(reverse("notifications:preferences")),
        "inbox_url": absolute_url(reverse("notifications:inbox")),
    }


def build_email(
    notification: Notification,
    *,
    urls: dict[str, str] | None = None,
    connection: BaseEmailBackend | None = None,
) -> EmailMultiAlternatives:
    urls = urls or _email_urls()
    ctx = {
        "notification": notification,
        "recipient": notification.recipient,
        "link": absolute_url(notification.link),
        **urls,
        "site_name": settings.SITE_NAME,
    }
    message = EmailMultiAlternatives(
        subject=f"[{settings.SITE_NAME}] {notification.subject}",
        body=render_to_string("notifications/email/notification.txt", ctx),
        to=[notification.recipient.email],
        headers={"List-Unsubscribe": f"<{urls['preferences_url']}>"},
        connection=connection,
    )
    message.attach_alternative(
        render_to_string("notifications/email/notification.html", ctx), "text/html"
    )
    return message


def notification_deliver(*, notification_id: int) -> Outcome:
    """E-mail one pending notification (``notifications_deliver`` for one)."""
    return notifications_deliver(notification_ids=[notification_id])[notification_id]


def notifications_deliver(*, notification_ids: list[int]) -> dict[int, Outcome]:
    """E-mail pending notifications, over one SMTP connection. Idempotent: only a pending
    row is sent. Returns each one's outcome, by id.

    The rows are locked while they are sent, so two workers never send one twice; a
    transient failure leaves a row pending with the time of the next try, and after
    ``NOTIFICATIONS_MAX_ATTEMPTS`` it is marked failed with the error kept. The rows are
    locked and read in one query, and the sent ones marked in one update (a failure
    costs one more), however many there are.

    Only the notifications' own rows are locked (``of=("self",)``): PostgreSQL
    would otherwise lock the joined recipients too, and a second e-mail to the
    same person would find its row "locked" while the first is being sent. A
    pending row that another delivery holds gives ``locked`` with a short
    ``retry_in``; the task tries again then, and finds it sent (a no-op) or free.
    """
    outcomes: dict[int, Outcome] = {}
    with transaction.atomic():
        rows = list(
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient")
            .filter(pk__in=notification_ids, email_state=Notification.EmailState.PENDING)
            .order_by("pk")
        )
        held = set(notification_ids) - {n.pk for n in rows}
        if held:  # the ones another delivery holds right now are still pending
            held = set(
                Notification.objects.filter(
                    pk__in=held, email_state=Notification.EmailState.PENDING
                ).values_list("pk", flat=True)
            )
        for pk in notification_ids:
            if pk in held:
                outcomes[pk] = Outcome(
                    "locked", retry_in=settings.NOTIFICATIONS_LOCKED_RETRY_SECONDS
                )
            else:
                outcomes[pk] = Outcome("skipped")
        soon = timezone.now() + timedelta(seconds=1)
        # Queued twice (a retry and the sweep): the other one will try at ``next_attempt_at``.
        rows = [n for n in rows if n.next_attempt_at is None or n.next_attempt_at <= soon]
        if not rows:
            return outcomes
        urls = _email_urls()
        sent = []
        smtp = get_connection()
        try:
            smtp.open()
        except Exception as exc:  # each e-mail then tries on its own and records why
            logger.info("could not open the mail connection: %s", exc)
        try:
            for notification in rows:
                try:
                    build_email(notification, urls=urls, connection=smtp).send()
                except Exception as exc:
                    outcomes[notification.pk] = _failed(notification, exc)
                    with contextlib.suppress(Exception):  # a broken one cannot say goodbye
                        smtp.close()  # the next one opens a connection of its own
                    continue
                sent.append(notification.pk)
                outcomes[notification.pk] = Outcome("sent")
        finally:
            with contextlib.suppress(Exception):
                smtp.close()
        if sent:
            Notification.objects.filter(pk__in=sent).update(
                email_state=Notification.EmailState.SENT,
                sent_at=timezone.now(),
                attempts=F("attempts") + 1,
                next_attempt_at=None,
                last_error="",
            )
    return outcomes


def _failed(notification: Notification, exc: Exception) -> Outcome:
    """Record a failed e-mail: to be tried again after a transient error, or failed."""
    notification.attempts += 1
    notification.last_error = f"{exc.__class__.__name__}: {exc}"[:2000]
    if is_transient(exc) and notification.attempts < settings.NOTIFICATIONS_MAX_ATTEMPTS:
        delay = retry_delay(notification.attempts)
        notification.next_attempt_at = timezone.now() + timedelta(seconds=delay)
        notification.save(update_fields=["attempts", "last_error", "next_attempt_at"])
        logger.info("notification %s: %s; retry in %ss", notification.pk, exc, delay)
        return Outcome("retry", retry_in=delay)
    notification.email_state = Notification.EmailState.FAILED
    notification.next_attempt_at = None
    notification.save(update_fields=["attempts", "last_error", "email_state", "next_attempt_at"])
    logger.warning("notification %s failed for good: %s", notification.pk, exc)
    return Outcome("failed")


def notifications_requeue_stale(*, now: datetime | None = None) -> list[int]:
    """Queue again the pending e-mails nobody delivered (broker down, worker lost)."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.NOTIFICATIONS_STALE_SECONDS)
    ids = list(
        Notification.objects.filter(email_state=Notification.EmailState.PENDING)
        .filter(
            Q(next_attempt_at__isnull=True, created__lt=cutoff)
            | Q(next_attempt_at__lt=now - timedelta(seconds=5))
        )
        .order_by("created")
        .values_list("pk", flat=True)[:500]
    )
    enqueue_delivery(ids)
    return ids


def notifications_retry_failed(*, ids: list[int], actor: User) -> list[int]:
    """The secretariat sends failed e-mails again (e.g. after fixing the mail server)."""
    with transaction.atomic():
        failed = list(
            Notification.objects.select_for_update().filter(
                pk__in=ids, email_state=Notification.EmailState.FAILED
            )
        )
        for notification in failed:
            notification.email_state = Notification.EmailState.PENDING
            notification.attempts = 0
            notification.next_attempt_at = None
            notification.save(update_fields=["email_state", "attempts", "next_attempt_at"])
            record(
                actor=actor,
                verb="notification.retry",
                target=notification,
                from_state="failed",
                to_state="pending",
                comment=notification.last_error,
            )
        retried = [n.pk for n in failed]
        transaction.on_commit(lambda: enqueue_delivery(retried))
    return retried


# ------------------------------------------------------------------------------
# Daily digest
# ------------------------------------------------------------------------------
