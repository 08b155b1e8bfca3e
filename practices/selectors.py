"""Reads for practices: visibility rules and constant query counts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from clusters.selectors import clusters_of_user
from core.selectors import audit_events_for

from .filters import PracticeFilter
from .models import Practice, PracticeQuerySet
from .permissions import can_view_practice

if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

    from django.http import QueryDict

    from accounts.types import AnyUser
    from clusters.models import Cluster

    from .models import PracticeVersion


def _list_queryset() -> PracticeQuerySet:
    return Practice.objects.select_related("cluster").prefetch_related("ecosystems", "tags")


def practice_repository(
    *, data: QueryDict | Mapping[str, Any] | None
) -> tuple[PracticeFilter, QuerySet[Practice]]:
    """Published practices, filtered and ranked."""
    filterset = PracticeFilter(data or None, queryset=_list_queryset().published())
    if filterset.is_bound and not filterset.is_valid():
        return filterset, filterset.queryset.none()
    qs = filterset.qs
    cleaned = getattr(filterset.form, "cleaned_data", {})  # absent when nothing was asked
    if cleaned.get("ecosystem") or cleaned.get("tag"):
        qs = qs.distinct()
    return filterset, qs


def practice_get(*, slug: str, user: AnyUser) -> Practice:
    """One practice, or 404 when the user may not see it (its existence stays private)."""
    practice = (
        Practice.objects.select_related("cluster", "author")
        .prefetch_related("ecosystems", "tags", "attachments")
        .filter(slug=slug)
        .first()
    )
    if practice is None or not can_view_practice(user, practice):
        raise Http404
    return practice


HISTORY_LABELS = {
    "practice.create": _("Draft started"),
    "practice.update": _("Edited"),
    "practice.submit": _("Submitted for moderation"),
    "practice.publish": _("Published"),
    "practice.request_changes": _("Changes requested"),
    "practice.reject": _("Rejected"),
    "practice.archive": _("Archived"),
    "practice.attachment_add": _("File attached"),
    "practice.attachment_remove": _("File removed"),
}


def practice_history(*, practice: Practice) -> list[dict]:
    """Who did what and when, oldest first, in words."""
    events = audit_events_for(practice).filter(verb__in=HISTORY_LABELS).order_by("created", "id")
    return [
        {
            "when": e.created,
            "label": HISTORY_LABELS[e.verb],
            "actor": e.actor,
            "comment": e.comment
            if e.verb.endswith(("publish", "request_changes", "reject", "archive"))
            else "",
        }
        for e in events
    ]


def practice_related(*, practice: Practice, limit: int = 4) -> QuerySet[Practice]:
    codes = [e.code for e in practice.ecosystems.all()]
    return (
        _list_queryset()
        .published()
        .exclude(pk=practice.pk)
        .filter(Q(category=practice.category) | Q(ecosystems__code__in=codes))
        .annotate(shared=Count("ecosystems", filter=Q(ecosystems__code__in=codes)))
        .order_by("-shared", "-published_at")
        .distinct()[:limit]
    )


def practices_of_my_clusters(*, user: AnyUser) -> QuerySet[Practice]:
    clusters = clusters_of_user(user=user).values("pk")
    return _list_queryset().filter(cluster_id__in=clusters).order_by("-updated")


def moderation_queue() -> QuerySet[Practice]:
    return _list_queryset().filter(status=Practice.Status.SUBMITTED).order_by("submitted_at")


def published_practices_of(*, cluster: Cluster) -> QuerySet[Practice]:
    return (
        Practice.objects.published()
        .filter(cluster=cluster)
        .only("title", "slug", "summary", "published_at", "category")
    )


def versions_of(*, practice: Practice) -> QuerySet[PracticeVersion]:
    return practice.versions.select_related("created_by")
