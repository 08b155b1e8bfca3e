from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from typing import Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils.functional import Promise

from .models import AuditEvent
from .signals import state_recorded

M = TypeVar("M", bound=models.Model)
Text = str | Promise  # a message, translated lazily or not


CHANGES_SHAPE = "An audit record's changes are {field: [old, new]}: %(field)s is %(value)r."


def audit_text(value: Any) -> str:
    """A value as an audit record keeps it: text, empty for nothing, a country by its code,
    a file by its name, a related object by its name."""
    if value is None:
        return ""
    if hasattr(value, "code") and not isinstance(value, models.Model):  # a Country
        return str(value.code)
    if isinstance(value, FieldFile):
        return value.name or ""
    return str(value)


def change(old: Any, new: Any) -> list[str]:
    """One entry of an audit record's ``changes``: ``[old, new]`` as text."""
    return [audit_text(old), audit_text(new)]


def assign(obj: models.Model, data: Mapping[str, Any], *, fields: Iterable[str]) -> dict:
    """Set on ``obj`` the values of ``data`` for ``fields`` that differ from what it holds,
    and return them as an audit record's ``changes`` ({field: [old, new]})."""
    allowed = set(fields)
    changes = {}
    for field, value in data.items():
        if field not in allowed:
            continue
        old = getattr(obj, field)
        if old != value:
            changes[field] = change(old, value)
            setattr(obj, field, value)
    return changes


def _check_changes(changes: dict) -> None:
    for field, value in changes.items():
        if not (isinstance(value, list) and len(value) == 2):
            raise ValueError(CHANGES_SHAPE % {"field": field, "value": value})


def record(
    *,
    actor: Any,
    verb: str,
    target: models.Model,
    from_state: str = "",
    to_state: str = "",
    comment: str = "",
    changes: dict | None = None,
) -> AuditEvent:
    """Record one state change. Called by services inside their transaction, with
    ``target`` in its new state. ``changes`` has one shape for every app:
    ``{field: [old, new]}`` (see ``change`` and ``assign``). Sends
    ``core.signals.state_recorded``."""
    _check_changes(changes or {})
    event = AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        verb=verb,
        content_type=ContentType.objects.get_for_model(target),
        object_id=str(target.pk),
        object_repr=str(target)[:200],
        from_state=from_state,
        to_state=to_state,
        comment=comment,
        changes=changes or {},
    )
    # Whoever follows every change (e.g. notifications marking asks as done) hears it
    # here, in the same transaction: a rollback undoes what they did too.
    state_recorded.send(sender=type(target), target=target, event=event)
    return event


def lock_in_state(
    obj: M,
    *,
    allowed_from: AbstractSet[str],
    wrong_state: Text,
    action: Text,
    queryset: models.QuerySet[M] | None = None,
    field: str = "status",
) -> M:
    """Lock ``obj``'s row and check, under the lock, that its ``field`` is one of
    ``allowed_from``: of two people acting at once, one wins and the other is told
    ``wrong_state`` (formatted with the current ``status`` and the ``action``)."""
    queryset = type(obj)._default_manager.all() if queryset is None else queryset
    locked = queryset.select_for_update(of=("self",)).get(pk=obj.pk)
    if getattr(locked, field) not in allowed_from:
        status = getattr(locked, f"get_{field}_display")()
        raise ValidationError(wrong_state % {"status": status, "action": action})
    return locked


def transition(
    obj: M,
    *,
    to: str,
    actor: Any,
    verb: str,
    allowed_from: AbstractSet[str],
    wrong_state: Text,
    action: Text,
    comment: str = "",
    changes: dict | None = None,
    also: dict[str, Any] | None = None,
    queryset: models.QuerySet[M] | None = None,
    field: str = "status",
) -> tuple[M, str]:
    """Move ``obj`` to the state ``to`` and record who did it: the row is locked and its
    state checked under the lock (see ``lock_in_state``), the state and the fields in
    ``also`` are set and saved, and an AuditEvent is written. Returns the locked, saved
    object and the state it came from. Call it inside the service's transaction: a check
    the service makes afterwards may still raise and roll the whole move back."""
    locked = lock_in_state(
        obj,
        allowed_from=allowed_from,
        wrong_state=wrong_state,
        action=action,
        queryset=queryset,
        field=field,
    )
    before = getattr(locked, field)
    setattr(locked, field, to)
    for name, value in (also or {}).items():
        setattr(locked, name, value)
    locked.save()
    record(
        actor=actor,
        verb=verb,
        target=locked,
        from_state=before,
        to_state=to,
        comment=comment,
        changes=changes,
    )
    return locked, before
