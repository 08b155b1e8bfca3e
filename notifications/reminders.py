"""The reminder framework: periodic checks that tell people what is due.

An app registers a ``Reminder`` with a function that yields what is due now;
``run`` turns each into a notification whose dedupe key is built from the
object and the period (day, ISO week or month), so running a reminder twice
in the same period tells each person once. Each reminder runs from Celery
beat (``smartclusters/celery.py``).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from .services import notify

PERIOD_FORMATS = {"day": "%Y-%m-%d", "week": "%G-W%V", "month": "%Y-%m"}


@dataclass
class Due:
    obj: models.Model
    recipients: Iterable[Any]
    context: dict[str, Any] = field(default_factory=dict)
    link: str = ""
    # Replaces the period in the dedupe key, e.g. the due date for "once per due date".
    key: str | None = None


@dataclass(frozen=True)
class Reminder:
    name: str  # also the notification kind it sends
    due: Callable[[datetime], Iterable[Due]]
    period: str = "day"

    def dedupe_key(self, obj: models.Model, now: datetime, key: str | None = None) -> str:
        period = key or timezone.localtime(now).strftime(PERIOD_FORMATS[self.period])
        return f"{self.name}:{obj._meta.label_lower}:{obj.pk}:{period}"


_REMINDERS: dict[str, Reminder] = {}


def register(reminder: Reminder) -> Reminder:
    if reminder.period not in PERIOD_FORMATS:
        raise ValueError(f"unknown period {reminder.period!r}")
    _REMINDERS[reminder.name] = reminder
    return reminder


def all_reminders() -> list[Reminder]:
    return list(_REMINDERS.values())


def run(name: str, *, now: datetime | None = None) -> int:
    """Send the reminder ``name`` for everything due; returns how many were created."""
    reminder = _REMINDERS[name]
    now = now or timezone.now()
    created = 0
    for due in reminder.due(now):
        with transaction.atomic():
            created += len(
                notify(
                    recipients=due.recipients,
                    kind=reminder.name,
                    context={**due.context, "object": due.obj},
                    link=due.link,
                    dedupe_key=reminder.dedupe_key(due.obj, now, due.key),
                    target=due.obj,
                )
            )
    return created
