"""The blocks of a person's "Your work" page (the ``work`` panel slot).

Each feature registers, in its ``panels.py``, one :class:`core.panels.Panel` per
queue it owns in the slot ``"work"``, using the shared template
``work/block.html``. The panel's context function returns ``None`` when the
person has no such queue (a member has no moderation queue), and otherwise
:func:`work_block`, even when the queue is empty: a queue that is empty today is
still theirs, and saying so is the good news.

Items come oldest first (what waits longest is done first); ``since`` is when
the item started waiting and ``note`` says what it waits for.
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet
from django.utils.functional import Promise

from core.slices import M, rows_of

WORK_SLOT = "work"
BLOCK_TEMPLATE = "work/block.html"
SHOWN = 5  # items listed per block; the count and the "see all" link cover the rest


def first_shown(queue: QuerySet[M]) -> list[M]:
    """The ``SHOWN`` oldest of a queue, with their related rows (see core.slices)."""
    return rows_of(queue, 0, SHOWN)


@dataclass(frozen=True)
class WorkItem:
    label: str | Promise
    url: str
    since: datetime | date | None = None
    note: str | Promise = ""
    overdue: bool = False


def work_block(
    *,
    name: str,
    title: str | Promise,
    count: int,
    items: list[WorkItem],
    more_url: str = "",
    more_label: str | Promise = "",
    empty: str | Promise = "",
) -> dict[str, Any]:
    """The context of ``work/block.html``: ``items`` are the oldest ``SHOWN`` of ``count``."""
    return {
        "name": name,
        "title": title,
        "count": count,
        "items": items[:SHOWN],
        "more_url": more_url,
        "more_label": more_label,
        "empty": empty,
    }
