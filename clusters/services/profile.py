"""Writes to a cluster's profile. Every change is recorded."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.permissions import is_secretariat
from core.services import record

from ..models import (
    Cluster,
    Ecosystem,
)
from ..permissions import can_edit_cluster

CLUSTER_NAME_TAKEN = _("A cluster with this name is already in the network.")

CLUSTER_EDITABLE_FIELDS = (
    "name",
    "acronym",
    "country",
    "region",
    "city",
    "website",
    "contact_email",
    "logo",
    "description",
    "year_founded",
    "legal_form",
    *Cluster.MEMBER_COUNT_FIELDS,
    "offers",
    "needs",
)


def _plain(value: Any) -> Any:
    if hasattr(value, "code"):  # django-countries Country
        return value.code
    if isinstance(value, FieldFile):  # a stored file; .url raises when it is empty
        return value.name or ""
    return value


@transaction.atomic
def cluster_update(
    *,
    cluster: Cluster,
    actor: User,
    data: dict[str, Any],
    ecosystems: list[Ecosystem] | None = None,
) -> Cluster:
    """Update a cluster's profile. Only a manager of that cluster (or the secretariat)."""
    if not (is_secretariat(actor) or can_edit_cluster(actor, cluster)):
        raise PermissionDenied
    changes: dict[str, list[Any]] = {}
    for field, value in data.items():
        if field not in CLUSTER_EDITABLE_FIELDS:
            raise ValueError(f"{field} is not an editable cluster field")
        old = getattr(cluster, field)
        if _plain(old) != _plain(value):
            changes[field] = [str(_plain(old)), str(_plain(value))]
            setattr(cluster, field, value)
    if (
        "name" in changes
        and Cluster.objects.filter(name__iexact=cluster.name.strip())
        .exclude(pk=cluster.pk)
        .exists()
    ):
        raise ValidationError({"name": CLUSTER_NAME_TAKEN})
    cluster.full_clean(exclude=["slug"])
    cluster.save()
    if ecosystems is not None:
        before = sorted(cluster.ecosystems.values_list("code", flat=True))
        after = sorted(e.code for e in ecosystems)
        if before != after:
            cluster.ecosystems.set(ecosystems)
            changes["ecosystems"] = [", ".join(before), ", ".join(after)]
    if changes:
        record(actor=actor, verb="cluster.update", target=cluster, changes=changes)
    return cluster
