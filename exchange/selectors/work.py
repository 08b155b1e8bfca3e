"""Each person's exchange queues on "Your work" (exchange/panels.py), the longest waiting first."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from clusters.selectors import clusters_of_user

from ..models import FUNDED_STATES, Application
from . import _applications, decision_queue

if TYPE_CHECKING:
    from accounts.types import AnyUser

S = Application.Status

# What a member's application waits for, while it is still on its way.
IN_PROGRESS = (S.DRAFT, S.SUBMITTED, S.HOST_ACCEPTED, S.HOST_DECLINED, S.MORE_INFO, S.APPROVED)


def decisions_to_take() -> QuerySet[Application]:
    """The secretariat's queue: accepted by the host (or declined, to close), oldest first."""
    return decision_queue().order_by("submitted_at", "pk")


def reviews_to_do(*, user: AnyUser) -> QuerySet[Application]:
    """Applications waiting for the review of one of the user's clusters (never their own)."""
    hosts = clusters_of_user(user=user).values("pk")
    return (
        _applications()
        .filter(host_id__in=hosts, status=S.SUBMITTED)
        .exclude(applicant_id=user.pk)
        .order_by("submitted_at", "pk")
    )


def applications_in_progress(*, user: AnyUser) -> QuerySet[Application]:
    """The member's applications still on their way (a report due is counted apart)."""
    return _applications().filter(applicant_id=user.pk, status__in=IN_PROGRESS).order_by("created")


def reports_due(*, user: AnyUser) -> QuerySet[Application]:
    """The member's visits that are over and wait for their report, the oldest first."""
    return (
        _applications().filter(applicant_id=user.pk, status=S.REPORT_DUE).order_by("end_date", "pk")
    )


def has_applied(*, user: AnyUser) -> bool:
    return Application.objects.filter(applicant_id=user.pk).exists()


def has_visited(*, user: AnyUser) -> bool:
    """The member had a funded visit: reports are a queue of theirs."""
    return Application.objects.filter(applicant_id=user.pk, status__in=FUNDED_STATES).exists()
