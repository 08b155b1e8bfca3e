"""Writes for notifications: the outbox, e-mail delivery, digests and read receipts.

``notify`` is the one way every app tells people something. It writes one
``Notification`` per recipient inside the caller's transaction and queues the
e-mail only after commit, so a rolled-back change tells nobody and a broker
that is down loses nothing (``notifications_requeue_stale`` picks rows up).
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, models, transaction
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from core.services import record

from . import registry
from .models import DigestSchedule, DigestSent, Notification, Preference
from .registry import Channel
from .selectors import digest_hour_of

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)

STATE_FOR_CHANNEL = {
    Channel.IMMEDIATE: Notification.EmailState.PENDING,
    Channel.DIGEST: Notification.EmailState.DIGEST,
    Channel.IN_APP: Notification.EmailState.NOT_EMAILED,
}


def absolute_url(path: str) -> str:
    if not path or path.startswith(("http://", "https://")):
        return path
    return settings.SITE_URL.rstrip("/") + path


def channels_for(users: Iterable[Any], kind: registry.Kind) -> dict[int, str]:
    chosen = dict(
        Preference.objects.filter(user__in=users, kind=kind.name).values_list("user_id", "channel")
    )
    return {user.pk: chosen.get(user.pk, kind.default_channel) for user in users}


def target_key(obj: models.Model) -> str:
    """How a notification names the object it is about: ``exchange.application:42``."""
    return f"{obj._meta.label_lower}:{obj.pk}"


def _target_of(
    kind: registry.Kind, context: dict[str, Any], target: models.Model | None
) -> models.Model | None:
    rule = registry.done_rule(kind.name)
    if target is None and rule is not None:
        target = context.get(rule.about)
        if target is None:
            raise ValueError(f"{kind.name!r} asks for an action on context[{rule.about!r}]")
    if target is not None and rule is not None and target._meta.label_lower != rule.model:
        raise ValueError(f"{kind.name!r} is about a {rule.model}, not a {target._meta.label}")
    return target


@transaction.atomic  # the ask's object stays locked until its notifications are written
def _already_done(kind: registry.Kind, about: models.Model) -> bool:
    """Whether the action ``kind`` asks for on ``about`` is done, by its current row.

    The row is locked (``select_for_update``) until the caller's transaction ends, so a
    decision made at the same time either comes first (and is seen here) or waits, and
    then its ``notifications_mark_done`` sees the notifications written here.
    """
    rule = registry.done_rule(kind.name)
    if rule is None or about.pk is None:
        return False
    current = type(about)._base_manager.select_for_update().filter(pk=about.pk).first()
    return bool(rule.when(current if current is not None else about))


def notify(
    *,
    recipients: Iterable[Any],
    kind: str,
    context: dict[str, Any] | None = None,
    link: str = "",
    dedupe_key: str | None = None,
    target: models.Model | None = None,
) -> list[Notification]:
    """Tell ``recipients`` about something. Call it inside the change's transaction.

    A ``dedupe_key`` makes a repeated call for the same recipient a no-op, so a
    reminder run twice, or a retried request, never tells anyone twice.
    The notification remembers the object it is about: ``target``, or for a kind
    that asks for an action, the object its done rule names in ``context``; it is
    marked done when that action is (``notifications_mark_done``). An ask whose action
    is already done, by the object's current state in the database (a reminder's list
    can be older than a colleague's decision), is not sent at all.
    Returns the notifications created (not the ones deduplicated away or already done).
    """
    kind_obj = registry.get(kind)
    about = _target_of(kind_obj, context or {}, target)
    about_key = target_key(about) if about is not None else ""
    dedupe_key = dedupe_key or None  # "" would be stored as a key, yet is checked as none
    people = {u.pk: u for u in recipients if u is not None and u.is_active}
    if not people:
        return []
    if about is not None and _already_done(kind_obj, about):
        return []
    if dedupe_key:
        already = set(
            Notification.objects.filter(recipient_id__in=people, dedupe_key=dedupe_key).values_list(
                "recipient_id", flat=True
            )
        )
        people = {pk: u for pk, u in people.items() if pk not in already}
    channels = channels_for(people.values(), kind_obj)
    created = []
    for user in people.values():
        ctx = {**(context or {}), "recipient": user, "link": absolute_url(link)}
        subject = " ".join(render_to_string(f"{kind_obj.template_dir}/subject.txt", ctx).split())[
            :200
        ]
        body = render_to_string(f"{kind_obj.template_dir}/body.txt", ctx).strip()
        notification = Notification(
            recipient=user,
            kind=kind,
            subject=subject,
            body=body,
            link=link,
            dedupe_key=dedupe_key,
            email_state=STATE_FOR_CHANNEL[channels[user.pk]],
            target_key=about_key,
        )
        try:
            with transaction.atomic():  # a savepoint: a concurrent duplicate is skipped
                notification.save()
        except IntegrityError:
            if not dedupe_key:
                raise
            continue
        created.append(notification)
    pending = [n.pk for n in created if n.email_state == Notification.EmailState.PENDING]
    if pending:
        transaction.on_commit(lambda: enqueue_delivery(pending))
    return created


def enqueue_delivery(notification_ids: list[int]) -> None:
    """Hand notifications to Celery. A broker that is down leaves them pending for the sweep."""
    from .tasks import deliver_notification

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
def digest_recipients(*, now: datetime | None = None) -> list[int]:
    """The people with open items waiting for a digest who are due one now (site time):
    their digest hour (the one they chose, or ``NOTIFICATIONS_DIGEST_HOUR``) has come today
    and they have not had today's digest yet. The beat asks every hour; a late or skipped
    run is caught up by the next one, and the hour the clocks skip in spring by the next."""
    local = timezone.localtime(now or timezone.now())
    digest_hour = Coalesce(
        "recipient__digest_schedule__hour", Value(settings.NOTIFICATIONS_DIGEST_HOUR)
    )
    not_yet_today = Q(recipient__last_digest__isnull=True) | Q(
        recipient__last_digest__sent_on__lt=local.date()
    )
    return list(
        Notification.objects.filter(
            email_state=Notification.EmailState.DIGEST, done_at__isnull=True
        )
        .alias(digest_hour=digest_hour)
        .filter(not_yet_today, digest_hour__lte=local.hour)
        .order_by()
        .values_list("recipient_id", flat=True)
        .distinct()
    )


def _claim_digest_day(*, user_id: int, day: date) -> bool:
    """Record that the person's digest of ``day`` goes out now; False if one already did.

    Run inside the sending transaction: a failed send gives the day back, and of two
    workers sending the same person's digest at once, the second waits for the first's
    row and then finds the day taken.
    """
    if DigestSent.objects.filter(user_id=user_id, sent_on__lt=day).update(sent_on=day):
        return True
    if DigestSent.objects.filter(user_id=user_id).exists():
        return False
    try:
        with transaction.atomic():
            DigestSent.objects.create(user_id=user_id, sent_on=day)
    except IntegrityError:
        return False
    return True


def digest_send(*, user_id: int, day: date | None = None) -> int:
    """Send one person their digest of ``day`` (site time, today by default): everything
    waiting whose action is not done yet. Once a day at most; returns how many items."""
    day = day or timezone.localdate()
    with transaction.atomic():
        items = list(
            Notification.objects.select_for_update(of=("self",))  # not the person's row
            .filter(
                recipient_id=user_id,
                email_state=Notification.EmailState.DIGEST,
                done_at__isnull=True,
            )
            .select_related("recipient")
            .order_by("created")
        )
        if not items or not _claim_digest_day(user_id=user_id, day=day):
            return 0
        recipient = items[0].recipient
        ctx = {
            "items": [(n, absolute_url(n.link)) for n in items],
            "recipient": recipient,
            "preferences_url": absolute_url(reverse("notifications:preferences")),
            "inbox_url": absolute_url(reverse("notifications:inbox")),
            "site_name": settings.SITE_NAME,
        }
        message = EmailMultiAlternatives(
            subject=f"[{settings.SITE_NAME}] Your daily digest: {len(items)} update"
            + ("s" if len(items) != 1 else ""),
            body=render_to_string("notifications/email/digest.txt", ctx),
            to=[recipient.email],
            headers={"List-Unsubscribe": f"<{ctx['preferences_url']}>"},
        )
        message.attach_alternative(
            render_to_string("notifications/email/digest.html", ctx), "text/html"
        )
        message.send()
        now = timezone.now()
        Notification.objects.filter(pk__in=[n.pk for n in items]).update(
            email_state=Notification.EmailState.SENT, sent_at=now, attempts=1
        )
        return len(items)


# ------------------------------------------------------------------------------
# Asks whose action is done
# ------------------------------------------------------------------------------
def notifications_mark_done(*, target: models.Model) -> int:
    """Mark done the open notifications about ``target`` whose action is now done.

    Runs for every recorded state change (``core.signals.state_recorded``), in the
    change's transaction, with ``target`` in its new state: the secretariat's "to
    decide" is done once anybody decides, on the site, in the admin or from a task.
    A model no done rule is about costs no query. Returns how many were marked.
    """
    if target._meta.label_lower not in registry.models_with_done_rules():
        return 0
    key = target_key(target)
    open_kinds = set(
        Notification.objects.filter(target_key=key, done_at__isnull=True)
        .order_by()
        .values_list("kind", flat=True)
        .distinct()
    )
    done = []
    for kind in open_kinds:
        rule = registry.done_rule(kind)
        if rule is not None and rule.when(target):
            done.append(kind)
    if not done:
        return 0
    # One waiting for the digest will not be in it: it stays in the inbox only.
    return Notification.objects.filter(target_key=key, done_at__isnull=True, kind__in=done).update(
        done_at=timezone.now(),
        email_state=Case(
            When(
                email_state=Notification.EmailState.DIGEST,
                then=Value(Notification.EmailState.NOT_EMAILED),
            ),
            default=F("email_state"),
        ),
    )


def on_state_recorded(sender: type, *, target: models.Model, **kwargs: Any) -> None:
    notifications_mark_done(target=target)


# ------------------------------------------------------------------------------
# The person's side
# ------------------------------------------------------------------------------
def notification_mark_read(*, notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])


def notifications_mark_all_read(*, user: User) -> int:
    return Notification.objects.for_user(user).unread().update(read_at=timezone.now())


@transaction.atomic
def preferences_save(
    *, user: User, channels: dict[str, str], digest_hour: int | None = None
) -> None:
    """Store how a person wants each kind delivered (the default needs no row) and, when
    given, the hour of their daily digest; record what changed."""
    before = {p.kind: p.channel for p in Preference.objects.filter(user=user)}
    hour_before = digest_hour_of(user=user)
    for kind_name, channel in channels.items():
        kind = registry.get(kind_name)
        if channel not in STATE_FOR_CHANNEL:
            raise ValueError(f"unknown channel {channel!r}")
        if channel == kind.default_channel:
            Preference.objects.filter(user=user, kind=kind_name).delete()
        else:
            Preference.objects.update_or_create(
                user=user, kind=kind_name, defaults={"channel": channel}
            )
    if digest_hour is not None:
        if not 0 <= digest_hour <= 23:
            raise ValueError(f"no hour {digest_hour!r} in a day")
        if digest_hour == settings.NOTIFICATIONS_DIGEST_HOUR:
            DigestSchedule.objects.filter(user=user).delete()
        else:
            DigestSchedule.objects.update_or_create(user=user, defaults={"hour": digest_hour})
    after = {p.kind: p.channel for p in Preference.objects.filter(user=user)}
    changes: dict[str, list[Any]] = {
        k: [before.get(k, "default"), after.get(k, "default")]
        for k in set(before) | set(after)
        if before.get(k) != after.get(k)
    }
    hour_after = digest_hour_of(user=user)
    if hour_after != hour_before:
        changes["digest_hour"] = [hour_before, hour_after]
    if changes:
        record(actor=user, verb="notifications.preferences", target=user, changes=changes)
