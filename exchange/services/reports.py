"""After the visit: the report falls due, and the visitor reports."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.files import file_name_for, validate_upload
from core.services import change, record
from notifications.services import notify

from .. import notifications as kinds
from .. import permissions as perms
from ..models import Application, Decision, ReportAttachment, VisitReport
from .common import S, _locked, _transition
from .messages import ALREADY_PAID, NOT_PAYABLE, OWN_APPLICATION, TOO_MANY_FILES

if TYPE_CHECKING:
    from collections.abc import Iterable

    from django.core.files import File

    from accounts.models import User

REPORT_ATTACHMENTS_MAX = 5
REPORT_FIELDS = ("what_happened", "results", "contacts", "follow_up", "satisfaction")


def applications_open_reports(*, now: datetime | None = None) -> int:
    """Approved visits that have ended now wait for their report. Run daily."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    opened = 0
    ended = Application.objects.filter(status=S.APPROVED, end_date__lt=today).values_list(
        "pk", flat=True
    )
    for pk in ended:
        try:
            with transaction.atomic():
                _transition(
                    Application(pk=pk),
                    to=S.REPORT_DUE,
                    actor=None,
                    verb="exchange.report_due",
                    allowed_from={S.APPROVED},
                    action=_("opened for its report"),
                    also={"report_due_at": now},
                )
        except ValidationError:
            continue  # withdrawn or moved on meanwhile
        opened += 1
    return opened


@transaction.atomic
def report_submit(
    *, application: Application, actor: User, data: dict[str, Any], files: Iterable[File] = ()
) -> VisitReport:
    """The visitor reports on the visit; the application is then completed."""
    if not perms.is_applicant(actor, application):
        raise PermissionDenied
    # Moved and recorded under the lock; a check below that fails rolls it all back.
    application, _before = _transition(
        application,
        to=S.COMPLETED,
        actor=actor,
        verb="exchange.report",
        allowed_from={S.REPORT_DUE},
        action=_("reported on"),
    )
    files = list(files or [])
    if len(files) > REPORT_ATTACHMENTS_MAX:
        raise ValidationError({"attachments": TOO_MANY_FILES % {"n": REPORT_ATTACHMENTS_MAX}})
    report = VisitReport(
        application=application,
        submitted_by=actor,
        **{k: data[k] for k in REPORT_FIELDS},
    )
    report.full_clean()
    typed = []
    for uploaded in files:  # every file is checked before any is stored
        try:
            content_type = validate_upload(
                uploaded, max_bytes=settings.PRACTICE_ATTACHMENT_MAX_BYTES
            )
        except ValidationError as exc:
            raise ValidationError({"attachments": exc.messages}) from None
        typed.append((uploaded, content_type))
    report.save()
    for uploaded, content_type in typed:
        name = file_name_for(uploaded.name, content_type)
        attachment = ReportAttachment(
            report=report, name=name, content_type=content_type, size=uploaded.size
        )
        attachment.file.save(name, uploaded, save=False)
        attachment.save()
    return report


def granted_amount(application: Application) -> Decimal | None:
    """The funding granted by the approval (None before one)."""
    approval = (
        application.decisions.filter(outcome=Decision.Outcome.APPROVED)
        .order_by("-created", "-id")
        .first()
    )
    return approval.funding_granted if approval is not None else None


@transaction.atomic
def application_mark_paid(
    *, application: Application, actor: User, now: datetime | None = None
) -> Application:
    """The secretariat records that the grant was paid, once the report is in (once).
    Recorded in the timeline; the applicant is told."""
    if not perms.is_secretariat(actor):
        raise PermissionDenied
    application = _locked(application)
    if perms.is_party(actor, application):
        raise PermissionDenied(OWN_APPLICATION)
    if application.paid_at is not None:
        raise ValidationError(
            ALREADY_PAID % {"date": timezone.localtime(application.paid_at).strftime("%d %b %Y")}
        )
    if application.status != S.COMPLETED:
        raise ValidationError(NOT_PAYABLE % {"status": application.get_status_display()})
    now = now or timezone.now()
    application.paid_at, application.paid_by = now, actor
    application.save(update_fields=["paid_at", "paid_by", "updated"])
    record(
        actor=actor,
        verb="exchange.paid",
        target=application,
        changes={"paid_at": change(None, now.isoformat())},
    )
    notify(
        recipients=[application.applicant],
        kind=kinds.PAID.name,
        context={"application": application, "amount": granted_amount(application)},
        link=application.get_absolute_url(),
    )
    return application
