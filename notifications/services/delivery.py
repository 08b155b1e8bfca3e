"""E-mail delivery of the outbox: one e-mail per pending row, retries, the sweep."""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
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


def enqueue_delivery(notification_ids: list[int]) -> None:
    """Hand notifications to Celery. A broker that is down leaves them pending for the sweep."""
    from ..tasks import deliver_notification

    for pk in notification_ids:
        try:
            deliver_notification.delay(pk)
        except Exception:
            logger.warning("could not queue notification %s; the sweep will retry", pk)


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


def _email_context(notification: Notification) -> dict[str, Any]:
    return {
        "notification": notification,
        "recipient": notification.recipient,
        "link": absolute_url(notification.link),
        "preferences_url": absolute_url(reverse("notifications:preferences")),
        "inbox_url": absolute_url(reverse("notifications:inbox")),
        "site_name": settings.SITE_NAME,
    }


def build_email(notification: Notification) -> EmailMultiAlternatives:
    ctx = _email_context(notification)
    message = EmailMultiAlternatives(
        subject=f"[{settings.SITE_NAME}] {notification.subject}",
        body=render_to_string("notifications/email/notification.txt", ctx),
        to=[notification.recipient.email],
        headers={"List-Unsubscribe": f"<{ctx['preferences_url']}>"},
    )
    message.attach_alternative(
        render_to_string("notifications/email/notification.html", ctx), "text/html"
    )
    return message


def notification_deliver(*, notification_id: int) -> Outcome:
    """E-mail one pending notification. Idempotent: only a pending row is sent.

    The row is locked while it is sent, so two workers never send it twice; a
    transient failure leaves it pending with the time of the next try, and after
    ``NOTIFICATIONS_MAX_ATTEMPTS`` it is marked failed with the error kept.

    Only the notification's own row is locked (``of=("self",)``): PostgreSQL
    would otherwise lock the joined recipient too, and a second e-mail to the
    same person would find its row "locked" while the first is being sent. A
    pending row that another delivery holds gives ``locked`` with a short
    ``retry_in``; the task tries again then, and finds it sent (a no-op) or free.
    """
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient")
            .filter(pk=notification_id, email_state=Notification.EmailState.PENDING)
            .first()
        )
        if notification is None:
            still_pending = Notification.objects.filter(
                pk=notification_id, email_state=Notification.EmailState.PENDING
            ).exists()
            if still_pending:  # another delivery holds the row right now
                return Outcome("locked", retry_in=settings.NOTIFICATIONS_LOCKED_RETRY_SECONDS)
            return Outcome("skipped")
        due = notification.next_attempt_at
        if due is not None and due > timezone.now() + timedelta(seconds=1):
            # Queued twice (a retry and the sweep): the other one will try at ``due``.
            return Outcome("skipped")
        notification.attempts += 1
        try:
            build_email(notification).send()
        except Exception as exc:
            notification.last_error = f"{exc.__class__.__name__}: {exc}"[:2000]
            transient = is_transient(exc)
            if transient and notification.attempts < settings.NOTIFICATIONS_MAX_ATTEMPTS:
                delay = retry_delay(notification.attempts)
                notification.next_attempt_at = timezone.now() + timedelta(seconds=delay)
                notification.save(update_fields=["attempts", "last_error", "next_attempt_at"])
                logger.info("notification %s: %s; retry in %ss", notification_id, exc, delay)
                return Outcome("retry", retry_in=delay)
            notification.email_state = Notification.EmailState.FAILED
            notification.next_attempt_at = None
            notification.save(
                update_fields=["attempts", "last_error", "email_state", "next_attempt_at"]
            )
            logger.warning("notification %s failed for good: %s", notification_id, exc)
            return Outcome("failed")
        notification.email_state = Notification.EmailState.SENT
        notification.sent_at = timezone.now()
        notification.next_attempt_at = None
        notification.last_error = ""
        notification.save(
            update_fields=["attempts", "email_state", "sent_at", "next_attempt_at", "last_error"]
        )
        return Outcome("sent")


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
