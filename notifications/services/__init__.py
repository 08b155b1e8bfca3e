"""Writes for notifications: the outbox, e-mail delivery, digests and read receipts.

``notify`` is the one way every app tells people something. It writes one
``Notification`` per recipient inside the caller's transaction and queues the
e-mail only after commit, so a rolled-back change tells nobody and a broker
that is down loses nothing (``notifications_requeue_stale`` picks rows up).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import Case, F, Value, When
from django.template.loader import get_template
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
    notifications_deliver,
    notifications_requeue_stale,
    notifications_retry_failed,
    retry_delay,
)
from .digest import digest_recipients, digest_send, digests_send  # noqa: F401

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


@dataclass(frozen=True)
class Message:
    """One thing to tell some people: what ``notify`` takes, for ``notify_all``."""

    recipients: Iterable[Any]
    context: dict[str, Any] = field(default_factory=dict)
    link: str = ""
    dedupe_key: str | None = None
    target: models.Model | None = None


def _done_targets(kind: registry.Kind, targets: list[models.Model]) -> set[str]:
    """The ``target_key`` of each of ``targets`` whose action ``kind`` asks for is done, by
    its current row.

    The rows are locked (``select_for_update``, one query per model, in id order) until the
    caller's transaction ends, so a decision made at the same time either comes first (and
    is seen here) or waits, and then its ``notifications_mark_done`` sees the notifications
    written here.
    """
    rule = registry.done_rule(kind.name)
    if rule is None:
        return set()
    by_model: dict[type[models.Model], dict[Any, models.Model]] = {}
    for about in targets:
        if about.pk is not None:
            by_model.setdefault(type(about), {})[about.pk] = about
    done = set()
    for model, objects in by_model.items():
        current = model._base_manager.select_for_update().filter(pk__in=objects).order_by("pk")
        rows = {row.pk: row for row in current}
        for pk, about in objects.items():
            if rule.when(rows.get(pk, about)):
                done.add(target_key(about))
    return done


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
    message = Message(
        recipients=recipients,
        context=context or {},
        link=link,
        dedupe_key=dedupe_key,
        target=target,
    )
    return notify_all(kind=kind, messages=[message])


@transaction.atomic  # the asks' objects stay locked until their notifications are written
def notify_all(*, kind: str, messages: Iterable[Message]) -> list[Notification]:
    """``notify`` for many messages of one kind (a reminder's batch), with the same rules,
    in a number of queries that does not grow with them: one to lock the asks' objects,
    one for the dedupe keys already used, one for the people's preferences, one insert
    (row by row, each in a savepoint, only when a concurrent run wrote a key first).
    """
    kind_obj = registry.get(kind)
    todo = []
    for message in messages:
        about = _target_of(kind_obj, message.context, message.target)
        people = {u.pk: u for u in message.recipients if u is not None and u.is_active}
        if people:
            todo.append((message, about, people))
    done = _done_targets(kind_obj, [about for _m, about, _p in todo if about is not None])
    todo = [t for t in todo if t[1] is None or target_key(t[1]) not in done]
    if not todo:
        return []
    everyone = {pk: user for _m, _a, people in todo for pk, user in people.items()}
    keys = {m.dedupe_key for m, _a, _p in todo if m.dedupe_key}
    used = set()
    if keys:
        used = set(
            Notification.objects.filter(recipient_id__in=everyone, dedupe_key__in=keys)
            .order_by()
            .values_list("recipient_id", "dedupe_key")
        )
    channels = channels_for(everyone.values(), kind_obj)
    subject_template = get_template(f"{kind_obj.template_dir}/subject.txt")
    body_template = get_template(f"{kind_obj.template_dir}/body.txt")
    rows = []
    # A kind's text that does not name its recipient is the same for each: rendered once.
    per_person = _names_recipient(subject_template) or _names_recipient(body_template)
    for message, about, people in todo:
        dedupe_key = message.dedupe_key or None  # "" would be stored as a key
        link = absolute_url(message.link)
        text = None
        for user in people.values():
            if dedupe_key is not None:
                if (user.pk, dedupe_key) in used:
                    continue
                used.add((user.pk, dedupe_key))
            if text is None or per_person:
                ctx = {**message.context, "recipient": user, "link": link}
                text = (
                    " ".join(subject_template.render(ctx).split())[:200],
                    body_template.render(ctx).strip(),
                )
            rows.append(
                Notification(
                    recipient=user,
                    kind=kind,
                    subject=text[0],
                    body=text[1],
                    link=message.link,
                    dedupe_key=dedupe_key,
                    email_state=STATE_FOR_CHANNEL[channels[user.pk]],
                    target_key=target_key(about) if about is not None else "",
                )
            )
    created = _insert(rows)
    pending = [n.pk for n in created if n.email_state == Notification.EmailState.PENDING]
    if pending:
        transaction.on_commit(lambda: enqueue_delivery(pending))
    return created


def _names_recipient(template: Any) -> bool:
    """Whether a kind's template may say something of its recipient (or we cannot tell)."""
    source = getattr(getattr(template, "template", None), "source", None)
    if source is None:
        return True
    return "recipient" in source or "{% include" in source or "{% extends" in source


def _insert(rows: list[Notification]) -> list[Notification]:
    """Write ``rows`` in one insert; when a concurrent run wrote one of their dedupe keys
    first, row by row instead, each in a savepoint, skipping the duplicates."""
    if not rows:
        return []
    try:
        with transaction.atomic():
            return Notification.objects.bulk_create(rows, batch_size=1000)
    except IntegrityError:
        if not any(row.dedupe_key for row in rows):
            raise
    created = []
    for row in rows:
        row.pk = None
        row._state.adding = True
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError:
            continue
        created.append(row)
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
