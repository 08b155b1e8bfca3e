"""After the visit: the report falls due, and the visitor reports."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.files import file_name_for, validate_upload

from .. import permissions as perms
from ..models import Application, ReportAttachment, VisitReport
from .common import S, _transition
from .messages import TOO_MANY_FILES

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
