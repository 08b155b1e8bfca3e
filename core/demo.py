"""What every app's demo step (``<app>/demo.py``) shares; ``manage.py seed_demo`` runs them.

An app keeps its demo content in a TOML file next to its step (``<app>/demo.toml``),
read here with the standard library's ``tomllib`` and checked by the step with
``check``: a value that is not one of the field's choices stops the seeding with a
message naming the file and the entry, instead of a half-written demo network.
``DemoRun`` is the state of one run: its clock, what it created (for the summary
line) and the notifications it wrote (so that none of them is e-mailed).
"""

import tomllib
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Case, DateTimeField, F, Value, When
from django.utils import timezone

from core.models import AuditEvent


class DemoDataError(ValueError):
    """Demo content that does not fit the models: the message names the file and entry."""


def data_file(path: Path) -> str:
    """How a message names a data file: ``practices/demo.toml``."""
    return f"{path.parent.name}/{path.name}"


def load_data(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as file:
            return tomllib.load(file)
    except tomllib.TOMLDecodeError as error:
        raise DemoDataError(f"{data_file(path)}: not valid TOML: {error}") from error


def check(value: Any, allowed: Collection[Any], *, path: Path, entry: str, field_name: str) -> None:
    """Fail loudly when ``value`` (or any item of a list) is not one of ``allowed``."""
    for item in value if isinstance(value, list) else [value]:
        if item not in allowed:
            expected = ", ".join(sorted(str(choice) for choice in allowed))
            raise DemoDataError(
                f"{data_file(path)}: {entry}: unknown {field_name} {item!r} "
                f"(expected one of: {expected})."
            )


def require(data: dict[str, Any], keys: Iterable[str], *, path: Path, entry: str) -> None:
    missing = [key for key in keys if key not in data]
    if missing:
        raise DemoDataError(f"{data_file(path)}: {entry}: missing {', '.join(missing)}.")


def moved_created(field_name: str, dates: dict[Any, datetime]) -> Case:
    """``created`` moved to dates[<the row's field>], for an update() in one query;
    rows whose field is not in ``dates`` keep their date."""
    return Case(
        *(When(**{field_name: value}, then=Value(date)) for value, date in dates.items()),
        default=F("created"),
        output_field=DateTimeField(),
    )


def backdate_events(
    target: models.Model, when_by_verb: dict[str, datetime], actor: Any = None
) -> None:
    """Date the target's audit events when their step happened in the story."""
    events = AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(target), object_id=str(target.pk)
    )
    if actor is not None:
        events = events.filter(actor=actor)
    events.update(created=moved_created("verb", when_by_verb))


@dataclass
class DemoRun:
    """One run of the demo steps: creates what is missing and counts what it created."""

    password: str
    now: datetime = field(default_factory=timezone.now)
    today: date = field(default_factory=timezone.localdate)  # plan dates are relative to it
    created: dict[type[models.Model], int] = field(default_factory=dict)
    notifications_before: int = 0  # notifications with a higher pk were written here
    links: set[str] = field(default_factory=set)  # of the objects notified about
    _password_hash: str = ""

    def count(self, model: type[models.Model], created: bool) -> None:
        if created:
            self.created[model] = self.created.get(model, 0) + 1

    def password_hash(self) -> str:
        # Hashed once and shared: the demo password is public anyway, and hashing it
        # for each of ~30 users would make `make run` wait for seconds.
        if not self._password_hash:
            self._password_hash = make_password(self.password)
        return self._password_hash

    def ago(self, days: int) -> datetime:
        return self.now - timedelta(days=days)

    def day(self, offset: int) -> date:
        return self.today + timedelta(days=offset)
