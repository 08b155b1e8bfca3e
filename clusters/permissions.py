"""Who may do what to a cluster. Used by views, services, templates and tests."""

from __future__ import annotations

from typing import TYPE_CHECKING

from accounts.permissions import is_authenticated, is_secretariat

from .models import Cluster, ClusterMembership, MemberOrganisationRequest

if TYPE_CHECKING:
    from accounts.types import AnyUser


def is_cluster_team(user: AnyUser, cluster_id: int | None) -> bool:
    """Manager or staff of the cluster with this id (a role on A gives nothing on B)."""
    if cluster_id is None or not is_authenticated(user):
        return False
    return ClusterMembership.objects.filter(user=user, cluster_id=cluster_id).exists()


def is_cluster_manager_of(user: AnyUser, cluster_id: int | None) -> bool:
    """Manager of the cluster with this id."""
    if cluster_id is None or not is_authenticated(user):
        return False
    return ClusterMembership.objects.filter(
        user=user, cluster_id=cluster_id, role=ClusterMembership.Role.MANAGER
    ).exists()


def manages_a_cluster(user: AnyUser) -> bool:
    """A manager of any cluster holds other people's data (accounts asks for two factors)."""
    if not is_authenticated(user):
        return False
    managers = ClusterMembership.objects.filter(role=ClusterMembership.Role.MANAGER)
    return managers.filter(user=user).exists()


def is_cluster_manager(user: AnyUser, cluster: Cluster) -> bool:
    # A cluster from cluster_get carries its managers (the profile shows them): no query.
    managers = getattr(cluster, "manager_memberships", None)
    if managers is not None:
        return is_authenticated(user) and any(m.user_id == user.pk for m in managers)
    return is_cluster_manager_of(user, cluster.pk)


def is_cluster_member(user: AnyUser, cluster: Cluster) -> bool:
    """Manager or staff of this cluster."""
    return is_cluster_team(user, cluster.pk)


def can_view_cluster(user: AnyUser, cluster: Cluster) -> bool:
    if cluster.status == Cluster.Status.ACTIVE:
        return True
    return is_secretariat(user) or is_cluster_member(user, cluster)


def can_edit_cluster(user: AnyUser, cluster: Cluster) -> bool:
    """The profile edit page is for the cluster's managers (the secretariat uses admin)."""
    return is_cluster_manager(user, cluster)


def can_manage_team(user: AnyUser, cluster: Cluster) -> bool:
    return is_cluster_manager(user, cluster)


def can_request_join(user: AnyUser) -> bool:
    return is_authenticated(user)


def can_contact_cluster(user: AnyUser, cluster: Cluster) -> bool:
    """Any signed-in person may write to an active cluster's managers from its profile."""
    return is_authenticated(user) and cluster.status == Cluster.Status.ACTIVE


def can_decide_join_request(user: AnyUser) -> bool:
    """The secretariat decides join requests (never one they sent: see the services)."""
    return is_secretariat(user)


def can_request_membership(user: AnyUser) -> bool:
    """Anyone signed in may ask for their organisation to join a cluster as a member."""
    return is_authenticated(user)


def can_decide_member_request(user: AnyUser, member_request: MemberOrganisationRequest) -> bool:
    """The cluster's managers accept or decline an organisation's request to join it."""
    return is_cluster_manager_of(user, member_request.cluster_id)
