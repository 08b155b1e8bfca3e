"""Reads for practices: visibility rules and constant query counts."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Case,
    CharField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusters.models import ClusterMembership
from clusters.selectors import clusters_of_user, memberships_of
from core.models import AuditEvent
from core.pagecache.values import remember
from core.selectors import audit_events_for

from .filters import PracticeFilter
from .models import MARKDOWN_FIELDS, Practice, PracticeQuerySet, TransferInterest
from .permissions import can_view_practice
from .search import SEARCH_RESULTS_MAX, TieredResults, normalise, search_terms

PUBLISHED_COUNT_NAME = "practices:published-count"

if TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import datetime
    from typing import Any

    from django.http import QueryDict

    from accounts.models import User
    from accounts.types import AnyUser
    from clusters.models import Cluster

    from .models import PracticeVersion


# A card (partials/practice_card.html) shows the title, summary, category, cluster and
# ecosystems: lists leave out the long texts and the search vectors (2.5 kB a practice).
SEARCH_COLUMNS = ("search_vector", "search_title", "search_head")
CARD_DEFERRED = (*MARKDOWN_FIELDS, "reviewer_feedback", *SEARCH_COLUMNS)


def _list_queryset() -> PracticeQuerySet:
    return (
        Practice.objects.select_related("cluster")
        .prefetch_related("ecosystems")
        .defer(*CARD_DEFERRED)
    )


def practices_latest(*, limit: int = 3) -> list[Practice]:
    """The newest published practices (the home page's)."""
    return list(_list_queryset().published()[:limit])


def published_count() -> int:
    """How many practices are published, kept for the page cache's generation."""
    return remember(PUBLISHED_COUNT_NAME, Practice.objects.published().count, timeout=3600)


def practice_repository(
    *, data: QueryDict | Mapping[str, Any] | None
) -> tuple[PracticeFilter, QuerySet[Practice] | TieredResults]:
    """Published practices, filtered; the newest first, or a search's best matches first
    (``practices/search.py``)."""
    filterset = PracticeFilter(data or None, queryset=_list_queryset().published())
    if filterset.is_bound and not filterset.is_valid():
        return filterset, filterset.queryset.none()
    text = normalise(filterset.form.cleaned_data.get("q")) if filterset.is_bound else ""
    if not text:
        return filterset, filterset.qs
    _match, tiers = search_terms(text)
    return filterset, TieredResults(
        filterset.qs, tiers, rows=_list_queryset(), limit=SEARCH_RESULTS_MAX
    )


def practice_get(*, slug: str, user: AnyUser, related: bool = True) -> Practice:
    """One practice, or 404 when the user may not see it (its existence stays private).
    ``related=False`` leaves its ecosystems, tags and files to the page's shared fragments,
    which read them only when they are not in the cache."""
    practices = Practice.objects.select_related("cluster", "author").defer(*SEARCH_COLUMNS)
    if related:
        practices = practices.prefetch_related("ecosystems", "tags", "attachments")
    practice = practices.filter(slug=slug).first()
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


def practice_related(*, practice: Practice, limit: int = 4) -> list[Practice]:
    """Published practices sharing the most ecosystems with this one, then those of the same
    category, the newest first in each tier.

    One query per tier (at most one per ecosystem, plus the category), each walking the
    newest practices until it has enough: ranking all 40,000 published practices by their
    shared ecosystems and sorting them read the whole table on every practice page."""
    ecosystem_ids = [e.pk for e in practice.ecosystems.all()]
    shared = sum(
        (
            Case(
                When(
                    Exists(
                        Practice.ecosystems.through.objects.filter(
                            practice_id=OuterRef("pk"), ecosystem_id=pk
                        )
                    ),
                    then=1,
                ),
                default=0,
            )
            for pk in ecosystem_ids
        ),
        Value(0),
    )
    candidates = (
        Practice.objects.published()
        .exclude(pk=practice.pk)
        .annotate(shared=shared)
        .order_by("-published_at", "-created")
    )
    tiers = [Q(shared=n) for n in range(len(ecosystem_ids), 0, -1)]
    tiers.append(Q(shared=0, category=practice.category))
    picked: list[int] = []
    for tier in tiers:
        if len(picked) >= limit:
            break
        picked += candidates.filter(tier).values_list("pk", flat=True)[: limit - len(picked)]
    found = _list_queryset().in_bulk(picked)
    return [found[pk] for pk in picked if pk in found]


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


# --- Your work (practices/panels.py): each person's queues, the longest waiting first ----

# A transfer interest waits for the managers' answer this long; there is no "answered"
# state: the conversation goes on by e-mail, and older interests have had their answer.
INTEREST_FRESH_DAYS = 30


def practices_sent_back(*, user: AnyUser) -> QuerySet[Practice]:
    """The user's clusters' practices sent back for changes, the longest waiting first
    (``sent_back_at``: when the secretariat asked, from the practice's history)."""
    asked = (
        AuditEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(Practice),
            object_id=Cast(OuterRef("pk"), CharField()),
            verb="practice.request_changes",
        )
        .order_by("-created")
        .values("created")[:1]
    )
    clusters = clusters_of_user(user=user).values("pk")
    return (
        Practice.objects.select_related("cluster")
        .filter(cluster_id__in=clusters, status=Practice.Status.CHANGES_REQUESTED)
        .annotate(sent_back_at=Subquery(asked))
        .order_by(F("sent_back_at").asc(nulls_first=True), "pk")
    )


def transfer_interests_waiting(
    *, user: User, now: datetime | None = None
) -> QuerySet[TransferInterest]:
    """Interest shown, in the last ``INTEREST_FRESH_DAYS``, in the published practices of
    the clusters the user manages (the managers are the ones told), the oldest first."""
    since = (now or timezone.now()) - timedelta(days=INTEREST_FRESH_DAYS)
    managed = memberships_of(user=user).filter(role=ClusterMembership.Role.MANAGER)
    return (
        TransferInterest.objects.select_related("practice", "user__organisation")
        .filter(
            practice__cluster_id__in=managed.values("cluster_id"),
            practice__status=Practice.Status.PUBLISHED,
            created__gte=since,
        )
        .exclude(user_id=user.pk)
        .order_by("created", "pk")
    )
