"""Following a cluster to hear about its new practices."""

from django.db import transaction

from accounts.models import User
from core.services import record

from ..models import (
    Cluster,
    ClusterFollow,
)


@transaction.atomic
def cluster_follow(*, cluster: Cluster, user: User) -> bool:
    """Follow a cluster to hear about its new practices. Returns True if newly followed."""
    _follow, created = ClusterFollow.objects.get_or_create(cluster=cluster, user=user)
    if created:
        record(actor=user, verb="cluster.follow", target=cluster)
    return created


@transaction.atomic
def cluster_unfollow(*, cluster: Cluster, user: User) -> bool:
    deleted, _ = ClusterFollow.objects.filter(cluster=cluster, user=user).delete()
    if deleted:
        record(actor=user, verb="cluster.unfollow", target=cluster)
    return bool(deleted)
