from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import AuditEvent


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
    """Record one state change. Called by services inside their transaction."""
    return AuditEvent.objects.create(
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
