"""Synthetic notifications for benchmarks (``manage.py seed_scale --notifications N``).

The inboxes of the seeded people over five years, in every registered kind: the
composition layer (``demo``) gives the people and, per app, the objects its kinds are
about (target key, link, title), so this app needs no feature app. Notification ``n``
has the dedupe key ``scale:<n:07d>``; a rerun adds only the missing numbers, and every
notification is drawn, existing or not, so the same --seed gives the same inboxes.

Distributions: created over five years, most of them recent (as the network grew);
managers get three in five of them; kinds evenly among those that can reach the person
(``registry.kinds_for``: the secretariat's own kinds reach none of the seeded people);
read: 95 % of those older than a month, about half of the newer ones; e-mail by the
kind's default channel: immediate ones sent (~94 %), failed (2 %), in the inbox only
(3 %, people who chose so), waiting to be sent or retried (a quarter of the last
day's: the queue a delivery benchmark drains); digest ones sent, or waiting for today's
digest; in-app ones not e-mailed. An ask (a kind with a done rule) names its object in
``target_key`` and most older ones are done (``done_at``).
"""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from core.demo_scale import YEARS, insert, moment

from . import registry
from .models import Notification

DEDUPE_PREFIX = "scale:"
Target = tuple[str, str, str]  # target key ("practices.practice:42"), link, title
COLUMNS = (
    "recipient_id",
    "kind",
    "subject",
    "body",
    "link",
    "created",
    "read_at",
    "email_state",
    "attempts",
    "last_error",
    "sent_at",
    "next_attempt_at",
    "dedupe_key",
    "target_key",
    "done_at",
)
ES = Notification.EmailState
ERRORS = [
    "550 5.1.1 Mailbox unavailable",
    "SMTPRecipientsRefused: 553 sender address rejected",
    "Connection timed out",
]


@dataclass(frozen=True)
class People:
    managers: list[int]
    members: list[int]


def _email(
    rng: random.Random, kind: registry.Kind, created: datetime, now: datetime
) -> tuple[str, int, str, datetime | None, datetime | None]:
    """(state, attempts, last error, sent at, next attempt at)."""
    draw, delay = rng.random(), timedelta(seconds=rng.randint(3, 300))
    today = now - created < timedelta(days=1)
    if kind.default_channel == registry.Channel.IN_APP:
        return ES.NOT_EMAILED, 0, "", None, None
    if kind.default_channel == registry.Channel.DIGEST:
        if today:
            return ES.DIGEST, 0, "", None, None
        return ES.SENT, 1, "", created + timedelta(hours=rng.randint(1, 23)), None
    if draw < 0.03:
        return ES.NOT_EMAILED, 0, "", None, None
    if draw < 0.05:
        return ES.FAILED, rng.choice([1, 6]), rng.choice(ERRORS), None, None
    if today and draw < 0.3:
        if draw < 0.1:  # a transient error: tried again later
            return ES.PENDING, 2, ERRORS[2], None, now + delay
        return ES.PENDING, 0, "", None, None
    return ES.SENT, 1, "", min(now, created + delay), None


def plan_notification(
    rng: random.Random,
    number: int,
    people: People,
    kinds: dict[str, list[registry.Kind]],
    targets: dict[str, list[Target]],
    now: datetime,
) -> tuple:
    manager = (rng.random() < 0.6 and bool(people.managers)) or not people.members
    group = people.managers if manager else people.members
    recipient = group[rng.randrange(len(group))]
    their_kinds = kinds["managers" if manager else "members"]
    kind = their_kinds[rng.randrange(len(their_kinds))]
    created = moment(rng, now, years=YEARS, recent=2.0)
    old = now - created > timedelta(days=30)
    read_at = (
        min(now, created + timedelta(minutes=rng.randint(5, 4320)))
        if rng.random() < (0.95 if old else 0.5)
        else None
    )
    state, attempts, error, sent_at, next_attempt = _email(rng, kind, created, now)
    about = targets.get(kind.name.split(".", 1)[0]) or []
    key, link, title = about[rng.randrange(len(about))] if about else ("", "", "")
    rule = registry.done_rule(kind.name)
    target_key = key if rule is not None and key.startswith(f"{rule.model}:") else ""
    done_draw = rng.random()
    done_at = None
    if target_key and done_draw < (0.9 if now - created > timedelta(days=21) else 0.4):
        done_at = min(now, created + timedelta(hours=rng.randint(1, 360)))
    label = str(kind.label)
    subject = f"{label}: {title}" if title else label
    body = f"{label}.\n\n{title}\n" if title else f"{label}.\n"
    return (
        recipient,
        kind.name,
        subject[:200],
        body,
        link,
        created,
        read_at,
        state,
        attempts,
        error,
        sent_at,
        next_attempt,
        f"{DEDUPE_PREFIX}{number:07d}",
        target_key,
        done_at,
    )


def _user(ids: list[int]) -> Any:
    """One person of a group, to ask each kind's audience whether it reaches the group."""
    return get_user_model().objects.get(pk=ids[0])


def existing_numbers() -> set[int]:
    return {
        int(key[len(DEDUPE_PREFIX) :])
        for key in Notification.objects.filter(dedupe_key__startswith=DEDUPE_PREFIX).values_list(
            "dedupe_key", flat=True
        )
    }


def seed_notifications(
    rng: random.Random, count: int, *, people: People, targets: dict[str, list[Target]]
) -> int:
    """Notifications 1..``count`` to ``people``; returns how many were added."""
    if count <= 0 or not (people.managers or people.members):
        return 0
    now = timezone.now()
    kinds = {
        group: sorted(registry.kinds_for(_user(ids)), key=lambda kind: kind.name) if ids else []
        for group, ids in (("managers", people.managers), ("members", people.members))
    }
    rows = [
        plan_notification(rng, number, people, kinds, targets, now)
        for number in range(1, count + 1)
    ]
    have = existing_numbers()
    rows = [row for number, row in enumerate(rows, start=1) if number not in have]
    insert(Notification, COLUMNS, rows)
    return len(rows)
