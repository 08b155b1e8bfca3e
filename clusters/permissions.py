"""Who may do what to a cluster. Used by views, services, templates and tests."""

from .models import Cluster, ClusterMembership


def _role(user, cluster: Cluster) -> str | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        ClusterMembership.objects.filter(user=user, cluster=cluster)
        .values_list("role", flat=True)
        .first()
    )


def is_cluster_manager(user, cluster: Cluster) -> bool:
    return _role(user, cluster) == ClusterMembership.Role.MANAGER


def is_cluster_member(user, cluster: Cluster) -> bool:
    """Manager or staff of this cluster."""
    return _role(user, cluster) is not None


def can_view_cluster(user, cluster: Cluster) -> bool:
    if cluster.status == Cluster.Status.ACTIVE:
        return True
    return bool(getattr(user, "is_staff", False)) or is_cluster_member(user, cluster)


def can_edit_cluster(user, cluster: Cluster) -> bool:
    """The profile edit page is for the cluster's managers (the secretariat uses admin)."""
    return is_cluster_manager(user, cluster)


def can_manage_team(user, cluster: Cluster) -> bool:
    return is_cluster_manager(user, cluster)


def can_request_join(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))
