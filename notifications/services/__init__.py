"""Writes for notifications: the outbox, e-mail delivery, digests and read receipts.

``notify`` is the one way every app tells people something. It writes one
``Notification`` per recipient inside the caller's transaction and queues the
e-mail only after commit, so a rolled-back change tells nobody and a broker
that is down loses nothing (``notifications_requeue_stale`` picks rows up).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import Case, F, Value, When
from django.template.loader import render_to_string
from django.utils import timezone

from core.services import record

from .. import registry
from ..models import DigestSchedule, Notification, Preference
from ..registry import Channel
from ..selectors import digest_hour_of
from .delivery import (  # noqa: F401  (the package's public names)
    Outcome,
    absolute_url,
    build_email,
    enqueue_delivery,
    is_transient,
    notification_deliver,
    notifications_requeue_stale,
    notifications_retry_failed,
    retry_delay,
)
from .digest import digest_recipients, digest_send  # noqa: F401

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)

STATE_FOR_CHANNEL = {
    Channel.IMMEDIATE: Notification.EmailState.PENDING,
    Channel.DIGEST: Notification.EmailState.DIGEST,
    Channel.IN_APP: Notification.EmailState.NOT_EMAILED,
}


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
