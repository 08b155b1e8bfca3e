"""Invitations to a cluster's team, by e-mail, for a colleague who has no account yet.

A manager invites an address with a role. Someone who already has an account is added
at once (``membership_add``); anyone else gets an e-mail with a link. The invitation
becomes a membership when that person signs up and confirms the invited address (the
allauth ``email_confirmed`` signal, see ``clusters.signals``). An invitation expires after
``settings.TEAM_INVITATION_DAYS`` days and a manager may revoke it; an expired or revoked
one does nothing. Only the token's SHA-256 is stored: the e-mail holds the token.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.permissions import is_secretariat
from core.services import record, transition
from notifications.services import absolute_url

from ..models import Cluster, ClusterMembership, TeamInvitation
from ..permissions import can_manage_team
from .memberships import _tell_added, membership_add

INVITATION_PENDING = _(
    "%(email)s has already been invited and has not signed up yet: revoke that invitation "
    "first to send a new one."
)
INVITATION_CLOSED = _("This invitation is %(status)s already: it cannot be %(action)s.")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_link(token: str) -> str:
    return absolute_url(reverse("clusters:invitation", kwargs={"token": token}))


@transaction.atomic
def team_invite(
    *, cluster: Cluster, actor: User, email: str, role: str
) -> ClusterMembership | TeamInvitation:
    """Add the person with this address to the team, or, without an account, invite them.

    Returns the membership (added or changed) or the invitation sent."""
    if not (is_secretariat(actor) or can_manage_team(actor, cluster)):
        raise PermissionDenied
    email = email.strip()
    if User.objects.filter(email__iexact=email, is_active=True).exists():
        return membership_add(cluster=cluster, actor=actor, email=email, role=role)
    if role not in ClusterMembership.Role.values:
        raise ValidationError({"role": _("Choose a valid role.")})
    # The cluster's row serialises two managers inviting the same address at once.
    Cluster.objects.select_for_update().get(pk=cluster.pk)
    pending = TeamInvitation.objects.filter(
        cluster=cluster, email__iexact=email, status=TeamInvitation.Status.PENDING
    ).first()
    now = timezone.now()
    if pending is not None and not pending.is_expired(now):
        raise ValidationError({"email": INVITATION_PENDING % {"email": pending.email}})
    if pending is not None:  # expired: it makes way for the new one
        transition(
            pending,
            to=TeamInvitation.Status.REVOKED,
            actor=actor,
            verb="invitation.expire",
            allowed_from={TeamInvitation.Status.PENDING},
            wrong_state=INVITATION_CLOSED,
            action=_("replaced"),
            also={"closed_at": now},
        )
    token = secrets.token_urlsafe(32)
    invitation = TeamInvitation(
        cluster=cluster,
        email=email,
        role=role,
        invited_by=actor,
        token_hash=token_hash(token),
        expires_at=now + timedelta(days=settings.TEAM_INVITATION_DAYS),
    )
    invitation.full_clean()
    invitation.save()
    record(actor=actor, verb="invitation.send", target=cluster, to_state=role, comment=email)
    link = invitation_link(token)

    def send() -> None:
        from ..tasks import send_team_invitation

        send_team_invitation.delay(invitation.pk, link)

    transaction.on_commit(send)
    return invitation


def team_invitation_email(*, invitation_id: int, link: str) -> bool:
    """Send the invitation's e-mail, if it is still open. Returns whether it was sent."""
    invitation = (
        TeamInvitation.objects.select_related("cluster", "invited_by")
        .filter(pk=invitation_id, status=TeamInvitation.Status.PENDING)
        .first()
    )
    if invitation is None or invitation.is_expired():
        return False
    context = {
        "invitation": invitation,
        "cluster": invitation.cluster,
        "inviter": invitation.invited_by,
        "role": invitation.get_role_display().lower(),
        "link": link,
        "site_name": settings.SITE_NAME,
    }
    subject = " ".join(render_to_string("clusters/email/invitation_subject.txt", context).split())
    EmailMessage(
        subject=f"[{settings.SITE_NAME}] {subject}"[:200],
        body=render_to_string("clusters/email/invitation.txt", context),
        to=[invitation.email],
    ).send()
    return True


@transaction.atomic
def team_invitation_revoke(*, invitation: TeamInvitation, actor: User) -> TeamInvitation:
    """A manager of the cluster withdraws an invitation: its link no longer works."""
    if not (is_secretariat(actor) or can_manage_team(actor, invitation.cluster)):
        raise PermissionDenied
    locked, _from = transition(
        invitation,
        to=TeamInvitation.Status.REVOKED,
        actor=actor,
        verb="invitation.revoke",
        allowed_from={TeamInvitation.Status.PENDING},
        wrong_state=INVITATION_CLOSED,
        action=_("revoked"),
        comment=invitation.email,
        also={"closed_at": timezone.now()},
    )
    return locked


@transaction.atomic
def team_invitations_accept(
    *, user: User, email: str
) -> tuple[list[TeamInvitation], list[TeamInvitation]]:
    """``user`` has confirmed ``email``: every open invitation to it becomes a membership.
    Returns (accepted, closed): ``closed`` are the expired or revoked ones, which do nothing.
    """
    now = timezone.now()
    invitations = list(
        TeamInvitation.objects.select_for_update(of=("self",))
        .select_related("cluster", "invited_by")
        .filter(email__iexact=email.strip())
        .exclude(status=TeamInvitation.Status.ACCEPTED)
        .order_by("created")
    )
    accepted, closed = [], []
    for invitation in invitations:
        if invitation.status != TeamInvitation.Status.PENDING or invitation.is_expired(now):
            closed.append(invitation)
            continue
        membership, created = ClusterMembership.objects.get_or_create(
            cluster=invitation.cluster, user=user, defaults={"role": invitation.role}
        )
        invitation.status = TeamInvitation.Status.ACCEPTED
        invitation.accepted_by = user
        invitation.closed_at = now
        invitation.save(update_fields=["status", "accepted_by", "closed_at"])
        record(
            actor=user,
            verb="invitation.accept",
            target=invitation,
            from_state=TeamInvitation.Status.PENDING,
            to_state=TeamInvitation.Status.ACCEPTED,
        )
        if created:
            record(
                actor=user,
                verb="membership.add",
                target=invitation.cluster,
                to_state=membership.role,
                comment=f"{user.email} (invited by {invitation.invited_by or '?'})",
            )
            if invitation.invited_by is not None:
                _tell_added(membership, actor=invitation.invited_by)
        accepted.append(invitation)
    return accepted, closed
