"""What the exchange shows on composed pages (core.panels)."""

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.panels import as_secretariat
from core.panels import Panel, register
from core.work import BLOCK_TEMPLATE, WORK_SLOT, WorkItem, first_shown, work_block

from .models import Application
from .selectors import calls_visible, clusters_hosting
from .selectors.work import (
    applications_in_progress,
    decisions_to_take,
    has_applied,
    has_visited,
    reports_due,
    reviews_to_do,
)

S = Application.Status


def home_calls(request: HttpRequest) -> dict[str, Any] | None:
    calls = list(calls_visible()[:3])
    return {"calls": calls} if calls else None


register(Panel("home", "calls", "exchange/panels/home_calls.html", home_calls, 20, shared=True))


# --- Your work ------------------------------------------------------------------------------


def _day(value: date | datetime) -> str:
    if isinstance(value, datetime):
        value = timezone.localtime(value)
    return date_format(value, "j M Y")


def _who(application: Application) -> str:
    if application.organisation is not None:  # selected with the application
        return f"{application.applicant.display_name} ({application.organisation.name})"
    return application.applicant.display_name


def work_decisions(request: HttpRequest, *, secretariat: bool = False) -> dict[str, Any] | None:
    """The secretariat's decisions to take: approve, reject or ask (or close a declined one)."""
    if not secretariat:
        return None
    queue = decisions_to_take()
    count = queue.count()
    items = [
        WorkItem(
            label=f"{a.reference} — {_who(a)}",
            url=a.get_absolute_url(),
            since=a.submitted_at,
            note=_("accepted by %(host)s: decide") % {"host": a.host.name}
            if a.status == S.HOST_ACCEPTED
            else _("declined by %(host)s: close it") % {"host": a.host.name},
        )
        for a in (first_shown(queue) if count else [])
    ]
    return work_block(
        name="exchange-decisions",
        title=_("Exchange decisions to take"),
        count=count,
        items=items,
        more_url=reverse("exchange:decisions"),
        empty=_("No application waits for a decision."),
    )


def work_reviews(request: HttpRequest) -> dict[str, Any] | None:
    """A host cluster's team: applications waiting for their review."""
    queue = reviews_to_do(user=request.user)
    count = queue.count()
    if not count and not clusters_hosting(user=request.user).exists():
        return None
    items = [
        WorkItem(
            label=f"{a.reference} — {_who(a)}",
            url=a.get_absolute_url(),
            since=a.submitted_at,
            note=_("to %(host)s, visit %(start)s – %(end)s: accept or decline")
            % {"host": a.host.name, "start": _day(a.start_date), "end": _day(a.end_date)},
        )
        for a in (first_shown(queue) if count else [])
    ]
    return work_block(
        name="exchange-reviews",
        title=_("Exchange applications to review"),
        count=count,
        items=items,
        more_url=reverse("exchange:review") + "?waiting=1",
        empty=_("No application waits for your review."),
    )


def work_reports(request: HttpRequest) -> dict[str, Any] | None:
    """A member's visits that are over: the report is due."""
    queue = reports_due(user=request.user)
    count = queue.count()
    if not count and not has_visited(user=request.user):
        return None
    today = timezone.localdate()
    items = []
    for a in first_shown(queue) if count else []:
        due_by = a.report_due_on
        late = due_by < today
        items.append(
            WorkItem(
                label=f"{a.reference} — {a.host.name}",
                url=reverse("exchange:application_report", args=[a.pk]),
                since=due_by if late else a.report_due_at,
                note=_("report due by %(day)s") % {"day": _day(due_by)},
                overdue=late,
            )
        )
    return work_block(
        name="exchange-reports",
        title=_("Visit reports due"),
        count=count,
        items=items,
        more_url=reverse("exchange:applications"),
        more_label=_("All your applications"),
        empty=_("No report is due."),
    )


def waits_for(application: Application) -> str | Promise:
    """What the member's application waits for, in a few words."""
    status = application.status
    if status == S.DRAFT:
        return _("waits for you to submit it, before %(day)s") % {
            "day": _day(application.call.closes_at)
        }
    if status == S.MORE_INFO:
        return _("waits for you: send the information asked for")
    if status == S.SUBMITTED:
        return _("waits for the host")
    if status in (S.HOST_ACCEPTED, S.HOST_DECLINED):
        return _("waits for the secretariat")
    if status == S.APPROVED:
        return _("approved: your visit starts on %(day)s; the report opens when it ends") % {
            "day": _day(application.start_date)
        }
    return application.get_status_display()


def work_applications(request: HttpRequest) -> dict[str, Any] | None:
    """A member's own applications on their way, each with what it waits for."""
    queue = applications_in_progress(user=request.user)
    count = queue.count()
    if not count and not has_applied(user=request.user):
        return None
    items = [
        WorkItem(
            label=f"{a.reference} — {a.host.name}",
            url=a.get_absolute_url(),
            since=a.created if a.status == S.DRAFT else a.updated,
            note=waits_for(a),
        )
        for a in (first_shown(queue) if count else [])
    ]
    return work_block(
        name="exchange-applications",
        title=_("Your exchange applications"),
        count=count,
        items=items,
        more_url=reverse("exchange:applications"),
        empty=_("None on its way. Find an offer on ClusterXchange."),
    )


register(
    Panel(
        WORK_SLOT,
        "exchange-decisions",
        BLOCK_TEMPLATE,
        work_decisions,
        20,
        shared=True,
        vary=as_secretariat,
    )
)
register(Panel(WORK_SLOT, "exchange-reviews", BLOCK_TEMPLATE, work_reviews, 30))
register(Panel(WORK_SLOT, "exchange-reports", BLOCK_TEMPLATE, work_reports, 35))
register(Panel(WORK_SLOT, "exchange-applications", BLOCK_TEMPLATE, work_applications, 60))
