"""Writes to a cluster's team: add a person, change their role, remove them."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.permissions import is_secretariat
from core.services import record

from ..models import (
    Cluster,
    ClusterMembership,
)
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
    return membership


def _manager_count(cluster: Cluster) -> int:
    return ClusterMembership.objects.filter(
        cluster=cluster, role=ClusterMembership.Role.MANAGER
    ).count()


@transaction.atomic
def membership_remove(*, membership: ClusterMembership, actor: User) -> None:
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
    membership.delete()
