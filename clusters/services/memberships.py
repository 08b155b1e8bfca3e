"""Writes to a cluster's team: add a person, change their role, remove them."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.permissions import is_secretariat
from core.services import record
from notifications.services import notify

from ..models import (
    Cluster,
    ClusterMembership,
)
from ..notifications import TEAM_ADDED, TEAM_REMOVED
from ..permissions import can_manage_team

NO_SUCH_USER = _(
    "Nobody with this e-mail address has an account yet: ask them to sign up first, then add them."
)
LAST_MANAGER = _("A cluster must keep at least one manager.")
ALREADY_IN_ROLE = _("This person already has that role in the cluster.")


@transaction.atomic
def membership_add(*, cluster: Cluster, actor: User, email: str, role: str) -> ClusterMembership:
    """Add a registered person to a cluster's team, or change their role in it."""
    if not (is_secretariat(actor) or can_manage_team(actor, cluster)):
        raise PermissionDenied
    # Lock the cluster's memberships so two managers cannot race the last-manager rule;
    # only them: the default ordering joins the cluster and every member's user row.
    list(ClusterMembership.objects.select_for_update(of=("self",)).filter(cluster=cluster))
    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None:
        raise ValidationError({"email": NO_SUCH_USER})
    membership = ClusterMembership.objects.filter(cluster=cluster, user=user).first()
    if membership is None:
        membership = ClusterMembership.objects.create(cluster=cluster, user=user, role=role)
        record(
            actor=actor,
            verb="membership.add",
            target=cluster,
            to_state=role,
            comment=user.email,
        )
        _tell_added(membership, actor=actor)
        return membership
    if membership.role == role:
        raise ValidationError({"role": ALREADY_IN_ROLE})
    if membership.role == ClusterMembership.Role.MANAGER and _manager_count(cluster) <= 1:
        raise ValidationError({"role": LAST_MANAGER})
    old = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    record(
        actor=actor,
        verb="membership.change_role",
        target=cluster,
        from_state=old,
        to_state=role,
        comment=user.email,
    )
    _tell_added(membership, actor=actor, old_role=old)
    return membership


def _tell_added(membership: ClusterMembership, *, actor: User, old_role: str = "") -> None:
    """The person added to a team, or whose role changed, is told (not when they did it)."""
    if membership.user_id == actor.pk:
        return
    labels = dict(ClusterMembership.Role.choices)
    notify(
        recipients=[membership.user],
        kind=TEAM_ADDED.name,
        context={
            "cluster": membership.cluster,
            "actor": actor,
            "role": str(labels[membership.role]).lower(),
            "old_role": str(labels[old_role]).lower() if old_role else "",
        },
        link=membership.cluster.get_absolute_url(),
    )


def _manager_count(cluster: Cluster) -> int:
    return ClusterMembership.objects.filter(
        cluster=cluster, role=ClusterMembership.Role.MANAGER
    ).count()


@transaction.atomic
def membership_remove(*, membership: ClusterMembership, actor: User) -> None:
    """Remove a person from a cluster's team (never the last manager); they are told."""
    cluster = membership.cluster
    if not (is_secretariat(actor) or can_manage_team(actor, cluster)):
        raise PermissionDenied
    list(ClusterMembership.objects.select_for_update(of=("self",)).filter(cluster=cluster))
    if membership.role == ClusterMembership.Role.MANAGER and _manager_count(cluster) <= 1:
        raise ValidationError(LAST_MANAGER)
    record(
        actor=actor,
        verb="membership.remove",
        target=cluster,
        from_state=membership.role,
        comment=membership.user.email,
    )
    if membership.user_id != actor.pk:
        notify(
            recipients=[membership.user],
            kind=TEAM_REMOVED.name,
            context={"cluster": cluster, "actor": actor},
            link=cluster.get_absolute_url(),
        )
    membership.delete()
