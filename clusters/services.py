"""Writes for clusters, their teams and join requests. Every change is recorded."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.selectors import secretariat_users
from core.files import PDF, detect_content_type, file_name_for
from core.services import record
from notifications.services import notify

from .models import (
    Cluster,
    ClusterFollow,
    ClusterLabel,
    ClusterMembership,
    Ecosystem,
    JoinRequest,
)
from .notifications import (
    JOIN_REQUEST_APPROVED,
    JOIN_REQUEST_REJECTED,
    JOIN_REQUEST_SUBMITTED,
    join_request_admin_link,
)
from .permissions import can_edit_cluster, can_manage_team

NO_SUCH_USER = _(
    "Nobody with this e-mail address has an account yet: ask them to sign up first, then add them."
)
LAST_MANAGER = _("A cluster must keep at least one manager.")
ALREADY_IN_ROLE = _("This person already has that role in the cluster.")
JOIN_REQUEST_NOT_OPEN = _("This join request has already been decided.")
REJECTION_NEEDS_REASON = _("Give the reason for the rejection; the requester will read it.")
CLUSTER_NAME_TAKEN = _("A cluster with this name is already in the network.")
LABEL_ALREADY_RECORDED = _("This label is already recorded for this cluster in that year.")
LABEL_ALREADY_CONFIRMED = _("This label is already confirmed.")
LABEL_YEAR_IN_FUTURE = _("A label cannot be awarded in a future year.")
CERTIFICATE_TYPE = _("The certificate must be a PDF, PNG or JPEG file.")
CERTIFICATE_TOO_LARGE = _("The certificate must be smaller than 5 MB.")
CERTIFICATE_MAX_BYTES = 5 * 1024 * 1024
CERTIFICATE_TYPES = (PDF, "image/png", "image/jpeg")
JOIN_REQUEST_PENDING = _("You already have a join request for this cluster waiting for a decision.")

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
    if not (actor.is_staff or can_edit_cluster(actor, cluster)):
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


@transaction.atomic
def membership_add(*, cluster: Cluster, actor: User, email: str, role: str) -> ClusterMembership:
    """Add a registered person to a cluster's team, or change their role in it."""
    if not (actor.is_staff or can_manage_team(actor, cluster)):
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
    if not (actor.is_staff or can_manage_team(actor, cluster)):
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


@transaction.atomic
def join_request_submit(
    *, requester: User, data: dict[str, Any], ecosystems: list[Ecosystem]
) -> JoinRequest:
    """A member asks for a new cluster to join the network."""
    name = data["name"].strip()
    if Cluster.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": CLUSTER_NAME_TAKEN})
    if JoinRequest.objects.filter(
        requester=requester, name__iexact=name, status=JoinRequest.Status.SUBMITTED
    ).exists():
        raise ValidationError({"name": JOIN_REQUEST_PENDING})
    join_request = JoinRequest(requester=requester, **data)
    join_request.full_clean(exclude=["requester", "cluster", "decided_by"])
    join_request.save()
    join_request.ecosystems.set(ecosystems)
    record(
        actor=requester,
        verb="joinrequest.submit",
        target=join_request,
        to_state=JoinRequest.Status.SUBMITTED,
    )
    notify(
        recipients=secretariat_users(),
        kind=JOIN_REQUEST_SUBMITTED.name,
        context={"join_request": join_request},
        link=join_request_admin_link(join_request),
    )
    return join_request


def unique_cluster_slug(name: str) -> str:
    base = slugify(name)[:70] or "cluster"
    slug, n = base, 2
    while Cluster.objects.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


@transaction.atomic
def join_request_approve(*, join_request: JoinRequest, actor: User) -> Cluster:
    """Approve a join request: create the cluster and make the requester its manager.

    All or nothing: the cluster, the membership and the request's new state are
    written in one transaction.
    """
    if not actor.is_staff:
        raise PermissionDenied
    join_request = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
    if join_request.status != JoinRequest.Status.SUBMITTED:
        raise ValidationError(JOIN_REQUEST_NOT_OPEN)
    if Cluster.objects.filter(name__iexact=join_request.name).exists():
        raise ValidationError(CLUSTER_NAME_TAKEN)
    fields = {
        f.name: getattr(join_request, f.name)
        for f in JoinRequest._meta.get_fields()
        if f.concrete
        and not f.many_to_many
        and f.model is JoinRequest
        and f.name in {ff.name for ff in Cluster._meta.get_fields() if ff.concrete}
        and f.name not in {"id", "status", "created"}
    }
    cluster = Cluster(slug=unique_cluster_slug(join_request.name), **fields)
    cluster.full_clean()
    cluster.save()
    cluster.ecosystems.set(join_request.ecosystems.all())
    ClusterMembership.objects.create(
        cluster=cluster, user=join_request.requester, role=ClusterMembership.Role.MANAGER
    )
    join_request.status = JoinRequest.Status.APPROVED
    join_request.decided_by = actor
    join_request.decided_at = timezone.now()
    join_request.cluster = cluster
    join_request.save(update_fields=["status", "decided_by", "decided_at", "cluster"])
    record(
        actor=actor,
        verb="joinrequest.approve",
        target=join_request,
        from_state=JoinRequest.Status.SUBMITTED,
        to_state=JoinRequest.Status.APPROVED,
    )
    record(actor=actor, verb="cluster.create", target=cluster, to_state=cluster.status)
    notify(
        recipients=[join_request.requester],
        kind=JOIN_REQUEST_APPROVED.name,
        context={"join_request": join_request, "cluster": cluster},
        link=reverse("clusters:edit", kwargs={"slug": cluster.slug}),
    )
    return cluster


@transaction.atomic
def join_request_reject(*, join_request: JoinRequest, actor: User, reason: str) -> JoinRequest:
    if not actor.is_staff:
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"rejection_reason": REJECTION_NEEDS_REASON})
    join_request = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
    if join_request.status != JoinRequest.Status.SUBMITTED:
        raise ValidationError(JOIN_REQUEST_NOT_OPEN)
    join_request.status = JoinRequest.Status.REJECTED
    join_request.rejection_reason = reason.strip()
    join_request.decided_by = actor
    join_request.decided_at = timezone.now()
    join_request.save(update_fields=["status", "rejection_reason", "decided_by", "decided_at"])
    record(
        actor=actor,
        verb="joinrequest.reject",
        target=join_request,
        from_state=JoinRequest.Status.SUBMITTED,
        to_state=JoinRequest.Status.REJECTED,
        comment=join_request.rejection_reason,
    )
    notify(
        recipients=[join_request.requester],
        kind=JOIN_REQUEST_REJECTED.name,
        context={"join_request": join_request},
        link=reverse("accounts:profile"),
    )
    return join_request


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


# ------------------------------------------------------------------ labels


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


def check_certificate(certificate) -> str:
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
    *, cluster: Cluster, actor: User, level: str, year: int, certificate=None
) -> ClusterLabel:
    """The secretariat records a label a cluster was awarded; the profile shows it."""
    if not actor.is_staff:
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
        changes={"label": [label.level, str(label.year)]},
    )
    return label


@transaction.atomic
def cluster_label_confirm(*, label: ClusterLabel, actor: User) -> ClusterLabel:
    """The secretariat confirms a label carried over from a cluster's self-declared
    profile: from now on it is a recorded fact (recorded by ``actor``) and shown."""
    if not actor.is_staff:
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
        changes={"label": [label.level, str(label.year)]},
    )
    return label


@transaction.atomic
def cluster_label_remove(*, label: ClusterLabel, actor: User) -> None:
    """The secretariat removes a label recorded by mistake (or withdrawn)."""
    if not actor.is_staff:
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
        changes={"label": [level, str(year)]},
    )
