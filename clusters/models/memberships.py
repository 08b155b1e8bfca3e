"""Requests and invitations around a cluster's memberships: organisations asking to be
member organisations, and invitations to a cluster's team."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .clusters import Cluster, ClusterMembership


class MemberOrganisationRequest(models.Model):
    """A person asks for their organisation to become a member organisation of a cluster
    (``Cluster.member_organisations``); the cluster's managers accept or decline."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the cluster")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    cluster = models.ForeignKey(
        Cluster, on_delete=models.CASCADE, related_name="member_requests", verbose_name=_("cluster")
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.CASCADE,
        related_name="member_requests",
        verbose_name=_("organisation"),
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="member_requests",
        verbose_name=_("asked by"),
    )
    message = models.TextField(_("message to the cluster"), blank=True, max_length=2000)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True, max_length=2000)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created", "pk"]
        verbose_name = _("member organisation request")
        verbose_name_plural = _("member organisation requests")
        constraints = [
            models.UniqueConstraint(
                fields=["cluster", "organisation"],
                condition=Q(status="pending"),
                name="memberrequest_one_pending_per_pair",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "accepted", "declined"]),
                name="memberrequest_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} → {self.cluster}"


class TeamInvitation(models.Model):
    """An invitation to a cluster's team sent to an e-mail address that has no account yet.
    The person joins when they sign up and confirm that address. Only a hash of the
    token is stored: the link in the e-mail is the only copy of the token."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        ACCEPTED = "accepted", _("Accepted")
        REVOKED = "revoked", _("Revoked")

    cluster = models.ForeignKey(
        Cluster, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("cluster")
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=10, choices=ClusterMembership.Role.choices)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("team invitation")
        verbose_name_plural = _("team invitations")
        constraints = [
            models.UniqueConstraint(
                models.functions.Lower("email"),
                "cluster",
                condition=Q(status="pending"),
                name="invitation_one_pending_per_address",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "accepted", "revoked"]),
                name="invitation_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(role__in=["manager", "staff"]), name="invitation_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.cluster}"

    def is_expired(self, now=None) -> bool:
        return (now or timezone.now()) >= self.expires_at
