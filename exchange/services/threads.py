"""The message thread of an application between the applicant, the host team and the
secretariat."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts.selectors import secretariat_users
from core.services import record
from notifications.services import notify

from .. import notifications as kinds
from .. import permissions as perms
from ..models import MESSAGE_MAX_LENGTH, Application, ApplicationMessage
from .messages import MESSAGE_EMPTY, MESSAGE_TOO_LONG

if TYPE_CHECKING:
    from accounts.models import User


def thread_people(application: Application) -> list[User]:
    """Everyone the thread is for: the applicant, the host's people, the secretariat —
    exactly the active people ``can_message`` lets read it, no one else."""
    people = {application.applicant_id: application.applicant}
    for person in [*kinds.host_people(application), *secretariat_users()]:
        people.setdefault(person.pk, person)
    return [p for p in people.values() if p.is_active and perms.can_message(p, application)]


@transaction.atomic
def application_message_post(
    *, application: Application, actor: User, body: str
) -> ApplicationMessage:
    """Write to the thread: stored, recorded (the timeline shows it) and told to the others."""
    if not perms.can_message(actor, application):
        raise PermissionDenied
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": MESSAGE_EMPTY})
    if len(body) > MESSAGE_MAX_LENGTH:
        raise ValidationError(
            {"body": MESSAGE_TOO_LONG % {"max": MESSAGE_MAX_LENGTH, "length": len(body)}}
        )
    message = ApplicationMessage(application=application, author=actor, body=body)
    message.full_clean()
    message.save()
    record(actor=actor, verb="exchange.message", target=application)
    notify(
        recipients=[p for p in thread_people(application) if p.pk != actor.pk],
        kind=kinds.MESSAGE.name,
        context={"application": application, "author": actor, "body": body},
        link=application.get_absolute_url() + "#messages",
    )
    return message
