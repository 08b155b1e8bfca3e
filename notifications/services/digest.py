"""The daily digest: once a day per person, at or after their hour."""

from __future__ import annotations

import logging
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from ..models import DigestSent, Notification
from .delivery import absolute_url

if TYPE_CHECKING:
    pass

logger = logging.getLogger(__name__)


def digest_recipients(*, now: datetime | None = None) -> list[int]:
    """The people with open items waiting for a digest who are due one now (site time):
    their digest hour (the one they chose, or ``NOTIFICATIONS_DIGEST_HOUR``) has come today
    and they have not had today's digest yet. The beat asks every hour; a late or skipped
    run is caught up by the next one, and the hour the clocks skip in spring by the next."""
    local = timezone.localtime(now or timezone.now())
    digest_hour = Coalesce(
        "recipient__digest_schedule__hour", Value(settings.NOTIFICATIONS_DIGEST_HOUR)
    )
    not_yet_today = Q(recipient__last_digest__isnull=True) | Q(
        recipient__last_digest__sent_on__lt=local.date()
    )
    return list(
        Notification.objects.filter(
            email_state=Notification.EmailState.DIGEST, done_at__isnull=True
        )
        .alias(digest_hour=digest_hour)
        .filter(not_yet_today, digest_hour__lte=local.hour)
        .order_by()
        .values_list("recipient_id", flat=True)
        .distinct()
    )


def _claim_digest_day(*, user_id: int, day: date) -> bool:
    """Record that the person's digest of ``day`` goes out now; False if one already did.

    Run inside the sending transaction: a failed send gives the day back, and of two
    workers sending the same person's digest at once, the second waits for the first's
    row and then finds the day taken.
    """
    if DigestSent.objects.filter(user_id=user_id, sent_on__lt=day).update(sent_on=day):
        return True
    if DigestSent.objects.filter(user_id=user_id).exists():
        return False
    try:
        with transaction.atomic():
            DigestSent.objects.create(user_id=user_id, sent_on=day)
    except IntegrityError:
        return False
    return True


def digest_send(*, user_id: int, day: date | None = None) -> int:
    """Send one person their digest of ``day`` (site time, today by default): everything
    waiting whose action is not done yet. Once a day at most; returns how many items."""
    day = day or timezone.localdate()
    with transaction.atomic():
        items = list(
            Notification.objects.select_for_update(of=("self",))  # not the person's row
            .filter(
                recipient_id=user_id,
                email_state=Notification.EmailState.DIGEST,
                done_at__isnull=True,
            )
            .select_related("recipient")
            .order_by("created")
        )
        if not items or not _claim_digest_day(user_id=user_id, day=day):
            return 0
        recipient = items[0].recipient
        ctx = {
            "items": [(n, absolute_url(n.link)) for n in items],
            "recipient": recipient,
            "preferences_url": absolute_url(reverse("notifications:preferences")),
            "inbox_url": absolute_url(reverse("notifications:inbox")),
            "site_name": settings.SITE_NAME,
        }
        message = EmailMultiAlternatives(
            subject=f"[{settings.SITE_NAME}] Your daily digest: {len(items)} update"
            + ("s" if len(items) != 1 else ""),
            body=render_to_string("notifications/email/digest.txt", ctx),
            to=[recipient.email],
            headers={"List-Unsubscribe": f"<{ctx['preferences_url']}>"},
        )
        message.attach_alternative(
            render_to_string("notifications/email/digest.html", ctx), "text/html"
        )
        message.send()
        now = timezone.now()
        Notification.objects.filter(pk__in=[n.pk for n in items]).update(
            email_state=Notification.EmailState.SENT, sent_at=now, attempts=1
        )
        return len(items)


# ------------------------------------------------------------------------------
# Asks whose action is done
# ------------------------------------------------------------------------------
