"""What clusters shows on composed pages (core.panels)."""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.panels import as_secretariat
from core.panels import Panel, register
from core.work import BLOCK_TEMPLATE, WORK_SLOT, WorkItem, first_shown, work_block

from .models import Cluster, MemberOrganisationRequest
from .permissions import manages_a_cluster
from .selectors import (
    join_request_queue,
    join_requests_of,
    member_requests_for_manager,
    memberships_of,
    network_counts,
    organisation_memberships,
)


def home_figures(request: HttpRequest) -> dict[str, Any]:
    return {"counts": network_counts()}


def home_newest(request: HttpRequest) -> dict[str, Any]:
    newest = Cluster.objects.active().prefetch_related("ecosystems").order_by("-created")[:6]
    return {"newest": newest}


def account_clusters(request: HttpRequest, *, user) -> dict[str, Any]:
    return {
        "memberships": memberships_of(user=user),
        "join_requests": join_requests_of(user=user),
        "organisation": organisation_memberships(user=user),
    }


def cluster_member_organisation(request: HttpRequest, *, cluster) -> dict[str, Any] | None:
    """On a cluster's profile: whether the visitor's organisation is a member, has asked,
    or may ask to join (signed-in people only, active clusters only)."""
    if not request.user.is_authenticated or cluster.status != Cluster.Status.ACTIVE:
        return None
    mine = organisation_memberships(user=request.user)
    pending = [
        r
        for r in mine["requests"]
        if r.cluster_id == cluster.pk and r.status == MemberOrganisationRequest.Status.PENDING
    ]
    return {
        "cluster": cluster,
        "organisation": mine["organisation"],
        "is_member": cluster in mine["clusters"],
        "pending": bool(pending),
    }


def work_join_requests(request: HttpRequest, *, secretariat: bool = False) -> dict[str, Any] | None:
    """The secretariat's join requests waiting for a decision, the oldest first (the
    secretariat decides them: ``can_decide_join_request``)."""
    if not secretariat:
        return None
    queue = join_request_queue()
    items = [
        WorkItem(
            label=jr.name,
            url=reverse("clusters:join_request_detail", args=[jr.pk]),
            since=jr.created,
            note=_("asked by %(name)s") % {"name": jr.requester.display_name},
        )
        for jr in first_shown(queue)
    ]
    return work_block(
        name="join-requests",
        title=_("Join requests to decide"),
        count=queue.count(),
        items=items,
        more_url=reverse("clusters:join_requests"),
        more_label=_("All join requests"),
        empty=_("No cluster is waiting to join the network."),
    )


def work_member_requests(request: HttpRequest) -> dict[str, Any] | None:
    """A manager's organisations asking to join their clusters, the oldest first."""
    if not manages_a_cluster(request.user):
        return None
    queue = member_requests_for_manager(user=request.user)
    items = [
        WorkItem(
            label=mr.organisation.name,
            url=reverse("clusters:member_requests", kwargs={"slug": mr.cluster.slug}),
            since=mr.created,
            note=_("asks to join %(cluster)s") % {"cluster": mr.cluster.name},
        )
        for mr in first_shown(queue)
    ]
    return work_block(
        name="member-requests",
        title=_("Organisations asking to join your cluster"),
        count=queue.count(),
        items=items,
        empty=_("No organisation is waiting to join your cluster."),
    )


register(
    Panel(
        "home_figures",
        "clusters",
        "clusters/panels/home_figures.html",
        home_figures,
        10,
        shared=True,
    )
)
register(Panel("home", "newest", "clusters/panels/home_newest.html", home_newest, 40, shared=True))
register(
    Panel("account_profile", "clusters", "clusters/panels/account_profile.html", account_clusters)
)
register(
    Panel(
        "cluster_profile",
        "member_organisation",
        "clusters/panels/cluster_member_organisation.html",
        cluster_member_organisation,
        50,
    )
)
register(
    Panel(
        WORK_SLOT,
        "join_requests",
        BLOCK_TEMPLATE,
        work_join_requests,
        40,
        shared=True,
        vary=as_secretariat,
    )
)
register(Panel(WORK_SLOT, "member_requests", BLOCK_TEMPLATE, work_member_requests, 45))
