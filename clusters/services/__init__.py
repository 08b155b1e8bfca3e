"""Writes for clusters, their teams, join requests, follows and labels. Every change is
recorded. One module per sub-domain; every public name is re-exported here, so
``from clusters.services import X`` works as before."""

from .follows import cluster_follow, cluster_unfollow
from .join_requests import (
    JOIN_REQUEST_NOT_OPEN,
    JOIN_REQUEST_PENDING,
    REJECTION_NEEDS_REASON,
    join_request_approve,
    join_request_reject,
    join_request_submit,
    unique_cluster_slug,
)
from .labels import (
    CERTIFICATE_MAX_BYTES,
    CERTIFICATE_TOO_LARGE,
    CERTIFICATE_TYPE,
    CERTIFICATE_TYPES,
    LABEL_ALREADY_CONFIRMED,
    LABEL_ALREADY_RECORDED,
    LABEL_YEAR_IN_FUTURE,
    check_certificate,
    cluster_label_confirm,
    cluster_label_record,
    cluster_label_remove,
)
from .memberships import (
    ALREADY_IN_ROLE,
    LAST_MANAGER,
    NO_SUCH_USER,
    membership_add,
    membership_remove,
)
from .profile import CLUSTER_EDITABLE_FIELDS, CLUSTER_NAME_TAKEN, cluster_update

__all__ = [
    "ALREADY_IN_ROLE",
    "CERTIFICATE_MAX_BYTES",
    "CERTIFICATE_TOO_LARGE",
    "CERTIFICATE_TYPE",
    "CERTIFICATE_TYPES",
    "CLUSTER_EDITABLE_FIELDS",
    "CLUSTER_NAME_TAKEN",
    "JOIN_REQUEST_NOT_OPEN",
    "JOIN_REQUEST_PENDING",
    "LABEL_ALREADY_CONFIRMED",
    "LABEL_ALREADY_RECORDED",
    "LABEL_YEAR_IN_FUTURE",
    "LAST_MANAGER",
    "NO_SUCH_USER",
    "REJECTION_NEEDS_REASON",
    "check_certificate",
    "cluster_follow",
    "cluster_label_confirm",
    "cluster_label_record",
    "cluster_label_remove",
    "cluster_unfollow",
    "cluster_update",
    "join_request_approve",
    "join_request_reject",
    "join_request_submit",
    "membership_add",
    "membership_remove",
    "unique_cluster_slug",
]
