"""The daily digest: once a day per person, at or after their hour."""

from __future__ import annotations

import contextlib
import logging
from datetime import date, datetime

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection, transaction
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from ..models import DigestSent, Notification
from .delivery import absolute_url

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


def _claim_digest_days(*, user_ids: list[int], day: date) -> set[int]:
    """Record that the digests of ``day`` of ``user_ids`` go out now; returns the people
    whose day it was still (the others had theirs already).

    One statement for them all (insert, or move an older day on; ``RETURNING`` the ones it
    wrote), run inside the sending transaction: a failed send gives the day back, and of
    two workers sending the same person's digest at once, the second waits for the first's
    row and then finds the day taken.
    """
    if not user_ids:
        return set()
    table = connection.ops.quote_name(DigestSent._meta.db_table)
    rows = ", ".join(["(%s, %s)"] * len(user_ids))
    params: list[int | date] = []
    for user_id in user_ids:
        params += [user_id, day]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (user_id, sent_on) VALUES {rows} "  # noqa: S608 (names are ours)
            f"ON CONFLICT (user_id) DO UPDATE SET sent_on = excluded.sent_on "
            f"WHERE {table}.sent_on < excluded.sent_on RETURNING user_id",
            params,
        )
        return {row[0] for row in cursor.fetchall()}


def _digest_email(
    items: list[Notification], urls: dict[str, str], connection: BaseEmailBackend
) -> EmailMultiAlternatives:
    recipient = items[0].recipient
    ctx = {
        "items": [(n, absolute_url(n.link)) for n in items],
        "recipient": recipient,
        **urls,
        "site_name": settings.SITE_NAME,
    }
    message = EmailMultiAlternatives(
        subject=f"[{settings.SITE_NAME}] Your daily digest: {len(items)} update"
        + ("s" if len(items) != 1 else ""),
        body=render_to_string("notifications/email/digest.txt", ctx),
        to=[recipient.email],
        headers={"List-Unsubscribe": f"<{urls['preferences_url']}>"},
        connection=connection,
    )
    message.attach_alternative(
        render_to_string("notifications/email/digest.html", ctx), "text/html"
    )
    return message


def digests_send(*, user_ids: list[int], day: date | None = None) -> dict[int, int | Exception]:
    """Send each of ``user_ids`` their digest of ``day`` (site time, today by default):
    everything waiting whose action is not done yet. Once a day at most per person.

    One transaction and one SMTP connection for them all, and a handful of queries
    whatever their number: the items are locked (their rows only, not the people's) and
    read at once, the days claimed in one statement, the sent items marked in one update.
    Returns, for each person e-mailed or tried, how many items went out, or the error
    that stopped their e-mail (their items wait and their day is given back, for the next
    run; the others are sent all the same).
    """
    day = day or timezone.localdate()
    urls = {
        "preferences_url": absolute_url(reverse("notifications:preferences")),
        "inbox_url": absolute_url(reverse("notifications:inbox")),
    }
    results: dict[int, int | Exception] = {}
    with transaction.atomic():
        items: dict[int, list[Notification]] = {}
        for item in (
            Notification.objects.select_for_update(of=("self",))  # not the people's rows
            .filter(
                recipient_id__in=user_ids,
                email_state=Notification.EmailState.DIGEST,
                done_at__isnull=True,
            )
            .select_related("recipient")
            .order_by("recipient_id", "created", "id")
        ):
            items.setdefault(item.recipient_id, []).append(item)
        if not items:
            return results
        before = dict(
            DigestSent.objects.filter(user_id__in=items).values_list("user_id", "sent_on")
        )
        claimed = _claim_digest_days(user_ids=sorted(items), day=day)
        sent: list[int] = []
        with get_connection() as smtp:
            for user_id in sorted(claimed):
                try:
                    _digest_email(items[user_id], urls, smtp).send()
                except Exception as exc:
                    logger.warning("the digest of user %s failed: %s", user_id, exc)
                    results[user_id] = exc
                    with contextlib.suppress(Exception):  # a broken one cannot say goodbye
                        smtp.close()  # the next one opens a connection of its own
                    continue
                results[user_id] = len(items[user_id])
                sent += [n.pk for n in items[user_id]]
        failed = [pk for pk, result in results.items() if isinstance(result, Exception)]
        if failed:  # their day back, as it was
            DigestSent.objects.filter(
                user_id__in=[pk for pk in failed if pk not in before]
            ).delete()
            for pk in failed:
                if pk in before:
                    DigestSent.objects.filter(user_id=pk).update(sent_on=before[pk])
        if sent:
            Notification.objects.filter(pk__in=sent).update(
                email_state=Notification.EmailState.SENT, sent_at=timezone.now(), attempts=1
            )
    return results


def digest_send(*, user_id: int, day: date | None = None) -> int:
    """Send one person their digest of ``day`` (``digests_send`` for one); returns how many
    items went out, and raises what stopped the e-mail."""
    result = digests_send(user_ids=[user_id], day=day).get(user_id, 0)
    if isinstance(result, Exception):
        raise result
    return result


# ------------------------------------------------------------------------------
# Asks whose action is done
# ------------------------------------------------------------------------------
