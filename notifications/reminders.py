"""The reminder framework: periodic checks that tell people what is due.

An app registers a ``Reminder`` with a function that yields what is due now;
``run`` turns each into a notification whose dedupe key is built from the
object and the period (day, ISO week or month), so running a reminder twice
in the same period tells each person once. Each reminder runs from Celery
beat (``smartclusters/celery.py``).

``run`` takes what is due in batches of ``BATCH_SIZE``, each in one transaction and a
number of queries that does not grow with it (``services.notify_all``); an app's ``due``
reads its objects with :func:`in_batches` and finds the recipients of a batch at once,
so a sweep over tens of thousands of objects costs a few queries per batch.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from django.db import models, transaction
from django.utils import timezone

from .services import Message, notify_all

BATCH_SIZE = 500
T = TypeVar("T")

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


def batches(items: Iterable[T], size: int | None = None) -> Iterator[list[T]]:
    """``items`` in lists of ``size`` (``BATCH_SIZE``; the last one shorter)."""
    size = size or BATCH_SIZE
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def in_batches(queryset: models.QuerySet, size: int | None = None) -> Iterator[list[Any]]:
    """The objects of ``queryset`` in lists of ``size``, read ``size`` rows at a time
    (``iterator``: a server-side cursor on PostgreSQL), for a ``due`` that finds the
    recipients of a whole batch in one query."""
    size = size or BATCH_SIZE
    return batches(queryset.iterator(chunk_size=size), size)


def run(name: str, *, now: datetime | None = None) -> int:
    """Send the reminder ``name`` for everything due; returns how many were created."""
    reminder = _REMINDERS[name]
    now = now or timezone.now()
    created = 0
    for batch in batches(reminder.due(now)):
        messages = [
            Message(
                recipients=due.recipients,
                context={**due.context, "object": due.obj},
                link=due.link,
                dedupe_key=reminder.dedupe_key(due.obj, now, due.key),
                target=due.obj,
            )
            for due in batch
        ]
        with transaction.atomic():
            created += len(notify_all(kind=reminder.name, messages=messages))
    return created
