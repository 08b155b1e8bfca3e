"""Join requests: a member asks for a new cluster; the secretariat decides."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.permissions import is_secretariat
from accounts.selectors import secretariat_users
from core.services import record
from notifications.services import notify

from ..models import (
    Cluster,
    ClusterMembership,
    Ecosystem,
    JoinRequest,
)
from ..notifications import (
    JOIN_REQUEST_APPROVED,
    JOIN_REQUEST_REJECTED,
    JOIN_REQUEST_SUBMITTED,
    join_request_link,
)
from .profile import CLUSTER_NAME_TAKEN

JOIN_REQUEST_NOT_OPEN = _("This join request has already been decided.")
REJECTION_NEEDS_REASON = _("Give the reason for the rejection; the requester will read it.")
JOIN_REQUEST_PENDING = _("You already have a join request for this cluster waiting for a decision.")
OWN_JOIN_REQUEST = _(
    "You sent this join request yourself: another member of the secretariat decides it."
)


@transaction.atomic
def join_request_submit(
    *, requester: User, data: dict[str, Any], ecosystems: list[Ecosystem]
) -> JoinRequest:
    """A member asks for a new cluster to join the network."""
    name = data["name"].strip()
    if Cluster.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": CLUSTER_NAME_TAKEN})
    if JoinRequest.objects.filter(
        requester=requester, name__iexact=name, status=JoinRequest.Status.SUBMITTED
    ).exists():
        raise ValidationError({"name": JOIN_REQUEST_PENDING})
    join_request = JoinRequest(requester=requester, **data)
    join_request.full_clean(exclude=["requester", "cluster", "decided_by"])
    join_request.save()
    join_request.ecosystems.set(ecosystems)
    record(
        actor=requester,
        verb="joinrequest.submit",
        target=join_request,
        to_state=JoinRequest.Status.SUBMITTED,
    )
    notify(
        recipients=secretariat_users(),
        kind=JOIN_REQUEST_SUBMITTED.name,
        context={"join_request": join_request},
        link=join_request_link(join_request),
    )
    return join_request


def unique_cluster_slug(name: str) -> str:
    base = slugify(name)[:70] or "cluster"
    slug, n = base, 2
    while Cluster.objects.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


@transaction.atomic
def join_request_approve(*, join_request: JoinRequest, actor: User) -> Cluster:
    """Approve a join request: create the cluster and make the requester its manager.

    All or nothing: the cluster, the membership and the request's new state are
    written in one transaction.
    """
    if not is_secretariat(actor):
        raise PermissionDenied
    join_request = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
    if join_request.requester_id == actor.pk:
        raise ValidationError(OWN_JOIN_REQUEST)
    if join_request.status != JoinRequest.Status.SUBMITTED:
        raise ValidationError(JOIN_REQUEST_NOT_OPEN)
    if Cluster.objects.filter(name__iexact=join_request.name).exists():
        raise ValidationError(CLUSTER_NAME_TAKEN)
    fields = {
        f.name: getattr(join_request, f.name)
        for f in JoinRequest._meta.get_fields()
        if f.concrete
        and not f.many_to_many
        and f.model is JoinRequest
        and f.name in {ff.name for ff in Cluster._meta.get_fields() if ff.concrete}
        and f.name not in {"id", "status", "created"}
    }
    cluster = Cluster(slug=unique_cluster_slug(join_request.name), **fields)
    cluster.full_clean()
    cluster.save()
    cluster.ecosystems.set(join_request.ecosystems.all())
    ClusterMembership.objects.create(
        cluster=cluster, user=join_request.requester, role=ClusterMembership.Role.MANAGER
    )
    join_request.status = JoinRequest.Status.APPROVED
    join_request.decided_by = actor
    join_request.decided_at = timezone.now()
    join_request.cluster = cluster
    join_request.save(update_fields=["status", "decided_by", "decided_at", "cluster"])
    record(
        actor=actor,
        verb="joinrequest.approve",
        target=join_request,
        from_state=JoinRequest.Status.SUBMITTED,
        to_state=JoinRequest.Status.APPROVED,
    )
    record(actor=actor, verb="cluster.create", target=cluster, to_state=cluster.status)
    notify(
        recipients=[join_request.requester],
        kind=JOIN_REQUEST_APPROVED.name,
        context={"join_request": join_request, "cluster": cluster},
        link=reverse("clusters:edit", kwargs={"slug": cluster.slug}),
    )
    return cluster


@transaction.atomic
def join_request_reject(*, join_request: JoinRequest, actor: User, reason: str) -> JoinRequest:
    """Reject a join request with a reason the requester reads (the same service for the
    site's queue, the admin's page and its list action)."""
    if not is_secretariat(actor):
        raise PermissionDenied
    if join_request.requester_id == actor.pk:
        raise ValidationError(OWN_JOIN_REQUEST)
    if not reason.strip():
        raise ValidationError({"rejection_reason": REJECTION_NEEDS_REASON})
    join_request = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
    if join_request.status != JoinRequest.Status.SUBMITTED:
        raise ValidationError(JOIN_REQUEST_NOT_OPEN)
    join_request.status = JoinRequest.Status.REJECTED
    join_request.rejection_reason = reason.strip()
    join_request.decided_by = actor
    join_request.decided_at = timezone.now()
    join_request.save(update_fields=["status", "rejection_reason", "decided_by", "decided_at"])
    record(
        actor=actor,
        verb="joinrequest.reject",
        target=join_request,
        from_state=JoinRequest.Status.SUBMITTED,
        to_state=JoinRequest.Status.REJECTED,
        comment=join_request.rejection_reason,
    )
    notify(
        recipients=[join_request.requester],
        kind=JOIN_REQUEST_REJECTED.name,
        context={"join_request": join_request},
        link=reverse("accounts:profile"),
    )
    return join_request
