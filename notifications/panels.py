"""What notifications shows on composed pages (core.panels): the failed e-mails queue."""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from accounts.permissions import is_secretariat
from core.panels import Panel, register
from core.work import BLOCK_TEMPLATE, WORK_SLOT, WorkItem, first_shown, work_block

from .selectors import failed_emails


def work_failed_emails(request: HttpRequest) -> dict[str, Any] | None:
    """The secretariat's e-mails that failed for good: they are seen and retried in the
    admin (its "Try e-mailing again" action), so the block leads there."""
    user = request.user
    if not is_secretariat(user) or not user.has_perm("notifications.view_notification"):
        return None
    failed = failed_emails()
    count = failed.count()
    items = [
        WorkItem(
            label=n.subject,
            url=reverse("admin:notifications_notification_change", args=[n.pk]),
            since=n.created,
            note=_("to %(email)s: %(error)s")
            % {"email": n.recipient.email, "error": Truncator(n.last_error).chars(80)},
        )
        for n in (first_shown(failed) if count else [])
    ]
    changelist = reverse("admin:notifications_notification_changelist")
    return work_block(
        name="failed-emails",
        title=_("Failed e-mails"),
        count=count,
        items=items,
        more_url=f"{changelist}?email_state__exact=failed",
        more_label=_("See them all and try again"),
        empty=_("Every e-mail went out."),
    )


register(Panel(WORK_SLOT, "failed-emails", BLOCK_TEMPLATE, work_failed_emails, 90))
