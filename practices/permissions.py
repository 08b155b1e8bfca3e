"""Who may see and change a practice. Object-level: a role on cluster A gives nothing on B."""

from __future__ import annotations

from typing import TYPE_CHECKING

from accounts.permissions import is_authenticated, is_secretariat
from clusters.models import ClusterMembership
from clusters.permissions import is_cluster_team

from .models import Practice

if TYPE_CHECKING:
    from accounts.types import AnyUser

EDITABLE = {Practice.Status.DRAFT, Practice.Status.CHANGES_REQUESTED}


def is_practice_team(user: AnyUser, practice: Practice) -> bool:
    """Manager or staff of the practice's cluster."""
    return is_cluster_team(user, practice.cluster_id)


def can_view_practice(user: AnyUser, practice: Practice) -> bool:
    if practice.status == Practice.Status.PUBLISHED:
        return True
    return is_secretariat(user) or is_practice_team(user, practice)


def can_create_practice(user: AnyUser) -> bool:
    return is_authenticated(user) and ClusterMembership.objects.filter(user=user).exists()


def can_edit_practice(user: AnyUser, practice: Practice) -> bool:
    return practice.status in EDITABLE and is_practice_team(user, practice)


def can_submit_practice(user: AnyUser, practice: Practice) -> bool:
    return can_edit_practice(user, practice)


def is_practice_party(user: AnyUser, practice: Practice) -> bool:
    """Its author, someone who submitted a version of it, or its cluster's team: they
    never moderate it (four eyes)."""
    if not is_authenticated(user):
        return False
    if practice.author_id == user.pk or is_practice_team(user, practice):
        return True
    return practice.versions.filter(created_by=user).exists()


def can_moderate_practice(user: AnyUser, practice: Practice | None = None) -> bool:
    if practice is not None and (
        practice.status != Practice.Status.SUBMITTED or is_practice_party(user, practice)
    ):
        return False
    return is_secretariat(user)


def can_see_moderation(user: AnyUser, practice: Practice) -> bool:
    """The moderation history and the reviewers' comments: the cluster's team and the
    secretariat only, never the public."""
    return is_secretariat(user) or is_practice_team(user, practice)


def can_archive_practice(user: AnyUser, practice: Practice) -> bool:
    return (
        is_secretariat(user)
        and practice.status == Practice.Status.PUBLISHED
        and not is_practice_party(user, practice)
    )


def can_express_interest(user: AnyUser, practice: Practice) -> bool:
    return (
        is_authenticated(user)
        and practice.status == Practice.Status.PUBLISHED
        and not is_practice_team(user, practice)
    )
