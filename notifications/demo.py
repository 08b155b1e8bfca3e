"""The notifications the demo steps write: kept in the inboxes, dated, never e-mailed."""

from datetime import datetime, timedelta

from django.db.models import F

from core.demo import DemoRun, moved_created
from notifications.models import Notification

READ_AFTER = timedelta(days=14)  # older notifications count as read by now


def begin(run: DemoRun) -> None:
    """Remember where the notifications written by the demo steps start."""
    run.notifications_before = (
        Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    )


def seeded(run: DemoRun, link: str):
    """The notifications this run wrote about the object at ``link`` (which it remembers)."""
    run.links.add(link)
    return Notification.objects.filter(pk__gt=run.notifications_before, link=link)


def backdate(run: DemoRun, link: str, when_by_kind: dict[str, datetime]) -> None:
    """Date the notifications about ``link`` when their step happened in the story."""
    seeded(run, link).update(created=moved_created("kind", when_by_kind))


def no_email(run: DemoRun) -> None:
    """Keep the notifications the seeding wrote, in the inboxes, but e-mail none of them.

    ``notify()`` queues an e-mail for each after commit: some fifty e-mails,
    printed to stdout by the default console backend (drowning the command's
    own output) or, on a machine with a real mail server and a Celery worker,
    sent to the invented demo addresses. Marking them "in the inbox only"
    before commit makes the delivery task skip them whatever the e-mail
    backend or broker is, and says truthfully that they were never e-mailed.
    The old ones are marked read, as their recipients would have read them.
    """
    written = Notification.objects.filter(pk__gt=run.notifications_before, link__in=run.links)
    written.filter(
        email_state__in=[Notification.EmailState.PENDING, Notification.EmailState.DIGEST]
    ).update(email_state=Notification.EmailState.NOT_EMAILED)
    written.filter(created__lt=run.now - READ_AFTER).update(
        read_at=F("created") + timedelta(hours=4)
    )
