"""Cluster labels: the secretariat records, confirms and removes them."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.permissions import is_secretariat
from core.files import PDF, detect_content_type, file_name_for
from core.services import change, record

from ..models import (
    Cluster,
    ClusterLabel,
)

LABEL_ALREADY_RECORDED = _("This label is already recorded for this cluster in that year.")
LABEL_ALREADY_CONFIRMED = _("This label is already confirmed.")
LABEL_YEAR_IN_FUTURE = _("A label cannot be awarded in a future year.")
CERTIFICATE_TYPE = _("The certificate must be a PDF, PNG or JPEG file.")
CERTIFICATE_TOO_LARGE = _("The certificate must be smaller than 5 MB.")
CERTIFICATE_MAX_BYTES = 5 * 1024 * 1024
CERTIFICATE_TYPES = (PDF, "image/png", "image/jpeg")


def _current_label(cluster: Cluster) -> None:
    """The cluster's current label: of the confirmed ones, the latest year, the highest
    level in it. A label waiting for confirmation (carried over from a self-declared
    profile) is never shown."""
    labels = sorted(
        cluster.labels.filter(confirmed=True),
        key=lambda x: (x.year, ClusterLabel.RANK[x.level]),
        reverse=True,
    )
    current = labels[0] if labels else None
    cluster.label = current.level if current else Cluster.Label.NONE
    cluster.label_year = current.year if current else None
    cluster.save(update_fields=["label", "label_year", "updated"])


def check_certificate(certificate: File) -> str:
    """The certificate's type, read from its content: a PDF or an image (it is served
    from public storage, under a name with that type's extension)."""
    if certificate.size > CERTIFICATE_MAX_BYTES:
        raise ValidationError(CERTIFICATE_TOO_LARGE)
    try:
        content_type = detect_content_type(certificate)
    except ValidationError:
        raise ValidationError(CERTIFICATE_TYPE) from None
    if content_type not in CERTIFICATE_TYPES:
        raise ValidationError(CERTIFICATE_TYPE)
    return content_type


@transaction.atomic
def cluster_label_record(
    *, cluster: Cluster, actor: User, level: str, year: int, certificate: File | None = None
) -> ClusterLabel:
    """The secretariat records a label a cluster was awarded; the profile shows it."""
    if not is_secretariat(actor):
        raise PermissionDenied
    cluster = Cluster.objects.select_for_update().get(pk=cluster.pk)
    if year > timezone.localdate().year:
        raise ValidationError({"year": LABEL_YEAR_IN_FUTURE})
    if ClusterLabel.objects.filter(cluster=cluster, level=level, year=year).exists():
        raise ValidationError(LABEL_ALREADY_RECORDED)
    label = ClusterLabel(cluster=cluster, level=level, year=year, recorded_by=actor, confirmed=True)
    if certificate:
        try:
            content_type = check_certificate(certificate)
        except ValidationError as exc:
            raise ValidationError({"certificate": exc.messages}) from None
        # Named after its checked content: a PDF sent as "x.html" is kept as "x.pdf".
        name = file_name_for((certificate.name or "certificate")[-100:], content_type)
        label.certificate.save(name, certificate, save=False)
    label.full_clean()
    label.save()
    _current_label(cluster)
    record(
        actor=actor,
        verb="cluster.label_record",
        target=cluster,
        changes={"label": change("", f"{label.level} {label.year}")},
    )
    return label


@transaction.atomic
def cluster_label_confirm(*, label: ClusterLabel, actor: User) -> ClusterLabel:
    """The secretariat confirms a label carried over from a cluster's self-declared
    profile: from now on it is a recorded fact (recorded by ``actor``) and shown."""
    if not is_secretariat(actor):
        raise PermissionDenied
    cluster = Cluster.objects.select_for_update().get(pk=label.cluster_id)
    label = ClusterLabel.objects.select_for_update().get(pk=label.pk)
    if label.confirmed:
        raise ValidationError(LABEL_ALREADY_CONFIRMED)
    label.confirmed = True
    label.recorded_by = actor
    label.save(update_fields=["confirmed", "recorded_by"])
    _current_label(cluster)
    record(
        actor=actor,
        verb="cluster.label_confirm",
        target=cluster,
        changes={
            "label": change(
                f"{label.level} {label.year} unconfirmed", f"{label.level} {label.year}"
            )
        },
    )
    return label


@transaction.atomic
def cluster_label_remove(*, label: ClusterLabel, actor: User) -> None:
    """The secretariat removes a label recorded by mistake (or withdrawn)."""
    if not is_secretariat(actor):
        raise PermissionDenied
    cluster = Cluster.objects.select_for_update().get(pk=label.cluster_id)
    level, year = label.level, label.year
    storage, path = label.certificate.storage, label.certificate.name
    label.delete()
    if path:
        transaction.on_commit(lambda: storage.delete(path))
    _current_label(cluster)
    record(
        actor=actor,
        verb="cluster.label_remove",
        target=cluster,
        changes={"label": change(f"{level} {year}", "")},
    )
