"""Member organisations: a person asks for their organisation to join a cluster as a
member organisation; the cluster's managers accept (the organisation is added to
``Cluster.member_organisations``, so its people may name the cluster as their sending
cluster) or decline. Every step is recorded and both sides are told."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User
from core.services import record, transition
from notifications.services import notify

from ..models import Cluster, ClusterMembership, MemberOrganisationRequest
from ..notifications import (
    MEMBER_REQUEST_ACCEPTED,
    MEMBER_REQUEST_DECLINED,
    MEMBER_REQUEST_SUBMITTED,
)
from ..permissions import can_decide_member_request, can_request_membership

NO_ORGANISATION = _(
    "Your profile names no organisation: add it to your profile first, then ask again."
)
ALREADY_MEMBER = _("%(organisation)s is already a member organisation of %(cluster)s.")
ALREADY_ASKED = _(
    "%(organisation)s has already asked to join %(cluster)s; the cluster's managers have not "
    "decided yet."
)
CLUSTER_NOT_ACTIVE = _("This cluster is not active: it takes no new members.")
MEMBER_REQUEST_DECIDED = _("This request is %(status)s already: it cannot be %(action)s.")
OWN_MEMBER_REQUEST = _("You sent this request yourself: another manager of the cluster decides it.")


def _names(cluster: Cluster, organisation: Organisation) -> dict[str, str]:
    return {"organisation": organisation.name, "cluster": cluster.name}


def member_requests_link(cluster: Cluster) -> str:
    return reverse("clusters:member_requests", kwargs={"slug": cluster.slug})


@transaction.atomic
def member_request_submit(
    *, cluster: Cluster, requester: User, message: str = ""
) -> MemberOrganisationRequest:
    """Ask for the requester's organisation to become a member organisation of ``cluster``.
    An organisation already a member, or already waiting, changes nothing and is told so."""
    if not can_request_membership(requester):
        raise PermissionDenied
    organisation = requester.organisation
    if organisation is None:
        raise ValidationError(NO_ORGANISATION)
    # One request at a time per cluster: the cluster's row is the lock.
    cluster = Cluster.objects.select_for_update().get(pk=cluster.pk)
    if cluster.status != Cluster.Status.ACTIVE:
        raise ValidationError(CLUSTER_NOT_ACTIVE)
    if cluster.member_organisations.filter(pk=organisation.pk).exists():
        raise ValidationError(ALREADY_MEMBER % _names(cluster, organisation))
    pending = MemberOrganisationRequest.objects.filter(
        cluster=cluster, organisation=organisation, status=MemberOrganisationRequest.Status.PENDING
    )
    if pending.exists():
        raise ValidationError(ALREADY_ASKED % _names(cluster, organisation))
    member_request = MemberOrganisationRequest(
        cluster=cluster, organisation=organisation, requester=requester, message=message.strip()
    )
    member_request.full_clean()
    member_request.save()
    record(
        actor=requester,
        verb="memberrequest.submit",
        target=member_request,
        to_state=member_request.status,
        comment=member_request.message,
    )
    managers = User.objects.filter(
        memberships__cluster=cluster, memberships__role=ClusterMembership.Role.MANAGER
    ).exclude(pk=requester.pk)
    notify(
        recipients=managers,
        kind=MEMBER_REQUEST_SUBMITTED.name,
        context={
            "member_request": member_request,
            "cluster": cluster,
            "organisation": organisation,
        },
        link=member_requests_link(cluster),
    )
    return member_request


def _decide(
    member_request: MemberOrganisationRequest,
    *,
    actor: User,
    to: str,
    action: str | Promise,
    reason: str = "",
) -> MemberOrganisationRequest:
    if not can_decide_member_request(actor, member_request):
        raise PermissionDenied
    if member_request.requester_id == actor.pk:
        raise ValidationError(OWN_MEMBER_REQUEST)
    locked, _from = transition(
        member_request,
        to=to,
        actor=actor,
        verb=f"memberrequest.{to}",
        allowed_from={MemberOrganisationRequest.Status.PENDING},
        wrong_state=MEMBER_REQUEST_DECIDED,
        action=action,
        comment=reason,
        also={"decided_by": actor, "decided_at": timezone.now(), "reason": reason},
    )
    return locked


@transaction.atomic
def member_request_accept(
    *, member_request: MemberOrganisationRequest, actor: User
) -> MemberOrganisationRequest:
    """A manager of the cluster accepts: the organisation becomes a member organisation."""
    locked = _decide(
        member_request,
        actor=actor,
        to=MemberOrganisationRequest.Status.ACCEPTED,
        action=_("accepted"),
    )
    cluster, organisation = locked.cluster, locked.organisation
    cluster.member_organisations.add(organisation)
    record(
        actor=actor,
        verb="cluster.member_organisation_add",
        target=cluster,
        changes={"member_organisations": ["", organisation.name]},
    )
    notify(
        recipients=[locked.requester],
        kind=MEMBER_REQUEST_ACCEPTED.name,
        context={"member_request": locked, "cluster": cluster, "organisation": organisation},
        link=cluster.get_absolute_url(),
    )
    return locked


@transaction.atomic
def member_request_decline(
    *, member_request: MemberOrganisationRequest, actor: User, reason: str = ""
) -> MemberOrganisationRequest:
    """A manager of the cluster declines, optionally saying why (the requester reads it)."""
    locked = _decide(
        member_request,
        actor=actor,
        to=MemberOrganisationRequest.Status.DECLINED,
        action=_("declined"),
        reason=reason.strip(),
    )
    notify(
        recipients=[locked.requester],
        kind=MEMBER_REQUEST_DECLINED.name,
        context={
            "member_request": locked,
            "cluster": locked.cluster,
            "organisation": locked.organisation,
        },
        link=reverse("accounts:profile"),
    )
    return locked
