from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import QuerySet

from . import registry
from .models import DigestSchedule, Notification, Preference

if TYPE_CHECKING:
    from accounts.models import User
    from accounts.types import AnyUser


def inbox(*, user: AnyUser) -> QuerySet[Notification]:
    return Notification.objects.for_user(user).only(
        "id", "kind", "subject", "body", "link", "created", "read_at", "done_at", "recipient_id"
    )


def unread_count(*, user: AnyUser) -> int:
    return Notification.objects.for_user(user).unread().count()


def preferences_for(*, user: User) -> dict[str, str]:
    chosen = dict(Preference.objects.filter(user=user).values_list("kind", "channel"))
    return {kind.name: chosen.get(kind.name, kind.default_channel) for kind in registry.all_kinds()}


def failed_emails() -> QuerySet[Notification]:
    """Notifications whose e-mail failed for good, the oldest first (the secretariat's queue)."""
    return (
        Notification.objects.filter(email_state=Notification.EmailState.FAILED)
        .select_related("recipient")
        .only("id", "subject", "created", "last_error", "recipient__email")
        .order_by("created", "id")
    )


def digest_hour_of(*, user: User) -> int:
    """The hour (site time) the person's daily digest goes out."""
    chosen = DigestSchedule.objects.filter(user=user).values_list("hour", flat=True).first()
    return settings.NOTIFICATIONS_DIGEST_HOUR if chosen is None else chosen
