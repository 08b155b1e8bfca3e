"""Reads for clusters: the same visibility rules and query counts for every caller."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import connection
from django.db.models import Count, Prefetch, QuerySet, Sum
from django.http import Http404, QueryDict

from accounts.permissions import is_authenticated

from .filters import ClusterFilter
from .models import (
    Cluster,
    ClusterLabel,
    ClusterMembership,
    JoinRequest,
    MemberOrganisationRequest,
    TeamInvitation,
)
from .permissions import can_view_cluster

if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

    from accounts.models import User
    from accounts.types import AnyUser


# The countries with an active cluster, one index probe per country (the index on country and
# status) rather than a DISTINCT over every cluster: a loose index scan, which PostgreSQL does
# not do by itself. A recursive query, so SQLite runs it too.
_ACTIVE_COUNTRIES_SQL = """
WITH RECURSIVE present(country) AS (
    SELECT MIN(country) FROM {table} WHERE status = %s
    UNION ALL
    SELECT (
        SELECT MIN(c.country) FROM {table} c
        WHERE c.status = %s AND c.country > present.country
    )
    FROM present WHERE present.country IS NOT NULL
)
SELECT country FROM present WHERE country IS NOT NULL
"""


def active_country_codes() -> list[str]:
    """The codes of the countries that have an active cluster, in code order."""
    table = connection.ops.quote_name(Cluster._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(_ACTIVE_COUNTRIES_SQL.format(table=table), [Cluster.Status.ACTIVE] * 2)
        return [row[0] for row in cursor.fetchall()]


def cluster_directory(*, data: QueryDict | Mapping[str, Any] | None) -> ClusterFilter:
    """The public directory: active clusters, filtered and sorted by ``data``."""
    queryset = Cluster.objects.active().prefetch_related("ecosystems")
    return ClusterFilter(data or None, queryset=queryset, country_codes=active_country_codes())


def cluster_directory_results(filterset: ClusterFilter) -> QuerySet[Cluster]:
    if filterset.is_bound and not filterset.is_valid():
        return filterset.queryset.none()
    qs = filterset.qs
    # An unbound filterset (the directory without a query string) has no cleaned_data.
    cleaned = filterset.form.cleaned_data if filterset.is_bound else {}
    if not cleaned.get("sort"):
        qs = qs.order_by("name")
    return qs


@dataclass(frozen=True)
class Relaxation:
    """A filter an empty directory could drop, and how many clusters there are without it."""

    label: str
    value: str
    count: int
    querystring: str


def _shown_value(filterset: ClusterFilter, name: str) -> str:
    value = filterset.form.cleaned_data[name]
    if name == "q":
        return f"“{value}”"
    names = dict(filterset.form.fields[name].choices)
    values = value if isinstance(value, list) else [value]
    return ", ".join(str(names.get(v, v)) for v in values)


def cluster_directory_relaxations(filterset: ClusterFilter) -> list[Relaxation]:
    """When no cluster matches all the filters: each filter in use whose dropping would
    show some, with the count and the query string without it (one count per filter)."""
    if not filterset.is_bound or not filterset.is_valid():
        return []
    data = filterset.data if isinstance(filterset.data, QueryDict) else None
    if data is None:
        data = QueryDict(mutable=True)
        data.update(filterset.data)
    country_codes = [code for code, _name in filterset.filters["country"].extra["choices"]]
    relaxations = []
    for name in ClusterFilter.NARROWING:
        if not filterset.form.cleaned_data.get(name):
            continue
        rest = data.copy()
        rest.pop(name, None)
        rest.pop("page", None)
        without = ClusterFilter(rest, queryset=filterset.queryset, country_codes=country_codes)
        count = cluster_directory_results(without).count()
        if count:
            relaxations.append(
                Relaxation(
                    label=str(filterset.form.fields[name].label),
                    value=_shown_value(filterset, name),
                    count=count,
                    querystring=rest.urlencode(),
                )
            )
    return relaxations


def cluster_get(*, slug: str, user: AnyUser, ecosystems: bool = True) -> Cluster:
    """One cluster with its team, or 404 when the user may not see it. ``ecosystems=False``
    leaves them to the profile's shared fragment, which reads them only on a miss."""
    managers = ClusterMembership.objects.filter(role=ClusterMembership.Role.MANAGER).select_related(
        "user"
    )
    related: list[Any] = [Prefetch("memberships", queryset=managers, to_attr="manager_memberships")]
    if ecosystems:
        related.append("ecosystems")
    try:
        cluster = Cluster.objects.prefetch_related(*related).get(slug=slug)
    except Cluster.DoesNotExist:
        raise Http404 from None
    if not can_view_cluster(user, cluster):
        raise Http404
    return cluster


def cluster_team(*, cluster: Cluster) -> QuerySet[ClusterMembership]:
    return (
        ClusterMembership.objects.filter(cluster=cluster)
        .select_related("user")
        .order_by("role", "user__name", "user__email")
    )


def clusters_of_user(*, user: AnyUser) -> QuerySet[Cluster]:
    """The clusters whose team (manager or staff) the user is in, by name."""
    if not is_authenticated(user):
        return Cluster.objects.none()
    # One membership per (user, cluster): no duplicates to remove.
    return Cluster.objects.filter(memberships__user=user).order_by("name")


def memberships_of(*, user: User) -> QuerySet[ClusterMembership]:
    """A person's team memberships, with their clusters, by cluster name."""
    return (
        ClusterMembership.objects.filter(user=user)
        .select_related("cluster")
        .order_by("cluster__name")
    )


def join_requests_of(*, user: User) -> QuerySet[JoinRequest]:
    return JoinRequest.objects.filter(requester=user).select_related("cluster")


def network_counts() -> dict[str, int]:
    """The network in figures: active clusters, their countries and their members."""
    totals = Cluster.objects.active().aggregate(clusters=Count("pk"), members=Sum("members_total"))
    return {
        "clusters": totals["clusters"],
        "countries": len(active_country_codes()),
        "members": totals["members"] or 0,
    }


def current_label(*, cluster: Cluster) -> ClusterLabel | None:
    """The recorded label the profile shows (the one Cluster.label names), if any."""
    if cluster.label == Cluster.Label.NONE:
        return None
    return cluster.labels.filter(
        level=cluster.label,
        year=cluster.label_year,  # type: ignore[misc]  # label_year is set with every label but NONE confirmed=True
    ).first()


def join_request_queue() -> QuerySet[JoinRequest]:
    """The join requests waiting for the secretariat, the oldest first."""
    return (
        JoinRequest.objects.filter(status=JoinRequest.Status.SUBMITTED)
        .select_related("requester")
        .order_by("created", "pk")
    )


def join_request_get(*, pk: int) -> JoinRequest:
    """One join request with what its page shows, or 404."""
    try:
        return (
            JoinRequest.objects.select_related("requester", "decided_by", "cluster")
            .prefetch_related("ecosystems")
            .get(pk=pk)
        )
    except JoinRequest.DoesNotExist:
        raise Http404 from None


def member_request_queue(*, cluster: Cluster) -> QuerySet[MemberOrganisationRequest]:
    """The organisations waiting to join ``cluster`` as members, the oldest first."""
    return (
        MemberOrganisationRequest.objects.filter(
            cluster=cluster, status=MemberOrganisationRequest.Status.PENDING
        )
        .select_related("organisation", "requester")
        .order_by("created", "pk")
    )


def member_requests_for_manager(*, user: User) -> QuerySet[MemberOrganisationRequest]:
    """The member requests waiting in every cluster ``user`` manages, the oldest first."""
    return (
        MemberOrganisationRequest.objects.filter(
            status=MemberOrganisationRequest.Status.PENDING,
            cluster__memberships__user=user,
            cluster__memberships__role=ClusterMembership.Role.MANAGER,
        )
        .select_related("organisation", "cluster")
        .order_by("created", "pk")
    )


def organisation_memberships(*, user: AnyUser) -> dict[str, Any]:
    """The clusters the person's organisation belongs to, and its requests to join others
    (waiting, or declined in the last year), for their profile and a cluster's page."""
    if not is_authenticated(user) or user.organisation_id is None:
        return {"organisation": None, "clusters": [], "requests": []}
    return {
        "organisation": user.organisation,
        "clusters": list(
            Cluster.objects.filter(member_organisations=user.organisation_id).order_by("name")
        ),
        "requests": list(
            MemberOrganisationRequest.objects.filter(organisation_id=user.organisation_id)
            .exclude(status=MemberOrganisationRequest.Status.ACCEPTED)
            .select_related("cluster")
            .order_by("-created")[:10]
        ),
    }


def team_invitations_open(*, cluster: Cluster) -> QuerySet[TeamInvitation]:
    """The invitations to ``cluster``'s team that still wait for a sign-up (expired ones too,
    so a manager sees them and may send a new one)."""
    return (
        TeamInvitation.objects.filter(cluster=cluster, status=TeamInvitation.Status.PENDING)
        .select_related("invited_by")
        .order_by("created")
    )
