"""The clusters app's models, by sub-domain; every name is importable from here."""

from .clusters import (
    LABEL_YEAR_MIN,
    YEAR_FOUNDED_MAX,
    YEAR_FOUNDED_MIN,
    Cluster,
    ClusterFollow,
    ClusterLabel,
    ClusterMembership,
    ClusterProfile,
    ClusterQuerySet,
    Ecosystem,
    JoinRequest,
    Organisation,
    label_certificate_path,
)
from .memberships import MemberOrganisationRequest, TeamInvitation

__all__ = [
    "LABEL_YEAR_MIN",
    "YEAR_FOUNDED_MAX",
    "YEAR_FOUNDED_MIN",
    "Cluster",
    "ClusterFollow",
    "ClusterLabel",
    "ClusterMembership",
    "ClusterProfile",
    "ClusterQuerySet",
    "Ecosystem",
    "JoinRequest",
    "MemberOrganisationRequest",
    "Organisation",
    "TeamInvitation",
    "label_certificate_path",
]
