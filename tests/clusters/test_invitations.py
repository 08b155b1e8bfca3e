"""Invite a colleague without an account by e-mail; they join the team when they sign up
and confirm the address. Expired or revoked invitations do nothing and say so."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from clusters.forms import MembershipAddForm
from clusters.models import ClusterMembership, TeamInvitation
from clusters.services import (
    INVITATION_PENDING,
    team_invitation_revoke,
    team_invitations_accept,
    team_invite,
    token_hash,
)
from core.models import AuditEvent
from notifications.models import Notification
from tests.factories import UserFactory
from tests.matrix import snapshot, snapshot_diff

pytestmark = pytest.mark.django_db

NEWCOMER = "nina@newco.example.org"


def _invite(cluster, manager, email=NEWCOMER, role="staff", capture=None):
    if capture is None:
        return team_invite(cluster=cluster, actor=manager, email=email, role=role)
    with capture(execute=True):
        return team_invite(cluster=cluster, actor=manager, email=email, role=role)


def _link_in(message):
    return re.search(r"https?://\S+/clusters/invitations/\S+/", message.body).group(0)


def test_inviting_an_address_without_account_sends_an_email_with_a_hashed_token(
    cluster, manager, django_capture_on_commit_callbacks
):
    invitation = _invite(cluster, manager, capture=django_capture_on_commit_callbacks)

    assert isinstance(invitation, TeamInvitation)
    assert (invitation.status, invitation.role, invitation.invited_by) == (
        "pending",
        "staff",
        manager,
    )
    assert invitation.expires_at > timezone.now() + timedelta(days=13)
    [message] = mail.outbox
    assert message.to == [NEWCOMER]
    assert cluster.name in message.subject
    link = _link_in(message)
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert invitation.token_hash == token_hash(token)
    assert token not in invitation.token_hash  # only the hash is stored
    assert AuditEvent.objects.filter(verb="invitation.send", comment=NEWCOMER).exists()


def test_inviting_someone_who_has_an_account_adds_them_at_once_and_tells_them(
    cluster, manager, member
):
    membership = _invite(cluster, manager, email=member.email.upper())

    assert isinstance(membership, ClusterMembership)
    assert (membership.user, membership.role) == (member, "staff")
    assert not TeamInvitation.objects.exists()
    told = Notification.objects.get(recipient=member, kind="clusters.team_added")
    assert cluster.name in told.subject


def test_a_second_invitation_to_the_same_address_is_refused_clearly(cluster, manager):
    _invite(cluster, manager)
    before = snapshot()

    with pytest.raises(ValidationError) as refused:
        _invite(cluster, manager, email=NEWCOMER.upper())

    assert refused.value.message_dict["email"] == [INVITATION_PENDING % {"email": NEWCOMER}]
    assert not snapshot_diff(before, snapshot())


def test_only_the_clusters_managers_invite_and_revoke(
    cluster, manager, other_manager, staff_member
):
    for outsider in (other_manager, staff_member):
        with pytest.raises(PermissionDenied):
            _invite(cluster, outsider)
    invitation = _invite(cluster, manager)
    with pytest.raises(PermissionDenied):
        team_invitation_revoke(invitation=invitation, actor=other_manager)


def test_confirming_the_invited_address_creates_the_membership(cluster, manager):
    invitation = _invite(cluster, manager, role="manager")
    newcomer = UserFactory(email=NEWCOMER)

    accepted, closed = team_invitations_accept(user=newcomer, email=NEWCOMER)

    assert accepted == [invitation]
    assert closed == []
    assert ClusterMembership.objects.get(cluster=cluster, user=newcomer).role == "manager"
    invitation.refresh_from_db()
    assert (invitation.status, invitation.accepted_by) == ("accepted", newcomer)
    assert AuditEvent.objects.filter(verb="invitation.accept", actor=newcomer).exists()


@pytest.mark.parametrize("state", ["expired", "revoked"])
def test_an_expired_or_revoked_invitation_does_nothing(cluster, manager, state):
    invitation = _invite(cluster, manager)
    if state == "expired":
        TeamInvitation.objects.filter(pk=invitation.pk).update(
            expires_at=timezone.now() - timedelta(minutes=1)
        )
    else:
        team_invitation_revoke(invitation=invitation, actor=manager)
    newcomer = UserFactory(email=NEWCOMER)

    accepted, closed = team_invitations_accept(user=newcomer, email=NEWCOMER)

    assert accepted == []
    assert [i.pk for i in closed] == [invitation.pk]
    assert not ClusterMembership.objects.filter(user=newcomer).exists()


def test_the_invitation_page_says_when_it_is_revoked_or_expired(client, cluster, manager):
    token = "a-token-for-the-page"
    invitation = TeamInvitation.objects.create(
        cluster=cluster,
        email=NEWCOMER,
        role="staff",
        invited_by=manager,
        token_hash=token_hash(token),
        expires_at=timezone.now() + timedelta(days=3),
    )
    url = reverse("clusters:invitation", kwargs={"token": token})
    assert "Create my account" in client.get(url).content.decode()

    TeamInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(days=1)
    )
    page = client.get(url).content.decode()
    assert "expired on" in page
    assert "Create my account" not in page

    team_invitation_revoke(invitation=invitation, actor=manager)
    assert "has been revoked" in client.get(url).content.decode()
    assert client.get(reverse("clusters:invitation", kwargs={"token": "nope"})).status_code == 404


def test_a_colleague_invited_signs_up_confirms_and_is_in_the_team(
    client, cluster, manager, django_capture_on_commit_callbacks
):
    """The whole path through allauth: sign-up, the confirmation e-mail, the confirmation."""
    _invite(cluster, manager, capture=django_capture_on_commit_callbacks)
    mail.outbox.clear()
    client.post(
        reverse("account_signup"),
        {
            "name": "Nina Newcomer",
            "email": NEWCOMER,
            "password1": "a-long-and-unusual-passphrase",
            "password2": "a-long-and-unusual-passphrase",
        },
    )
    assert not ClusterMembership.objects.filter(user__email=NEWCOMER).exists()
    [confirmation] = [m for m in mail.outbox if NEWCOMER in m.to]
    confirm_url = re.search(r"/accounts/confirm-email/\S+/", confirmation.body).group(0)

    response = client.post(confirm_url, follow=True)

    membership = ClusterMembership.objects.get(user__email=NEWCOMER)
    assert (membership.cluster, membership.role) == (cluster, "staff")
    assert f"You joined the team of {cluster.name} as staff." in response.content.decode()


# --- the team form and page ---------------------------------------------------------------
def test_the_role_defaults_to_staff():
    assert MembershipAddForm()["role"].value() == "staff"


def test_the_edit_page_lists_open_invitations_with_a_revoke_button(login, cluster, manager):
    invitation = _invite(cluster, manager)
    page = login(manager).get(reverse("clusters:edit", kwargs={"slug": cluster.slug}))
    html = page.content.decode()
    assert NEWCOMER in html
    revoke = reverse(
        "clusters:invitation_revoke", kwargs={"slug": cluster.slug, "pk": invitation.pk}
    )
    assert f'action="{revoke}"' in html

    login(manager).post(revoke)
    invitation.refresh_from_db()
    assert invitation.status == "revoked"
    assert AuditEvent.objects.filter(verb="invitation.revoke", actor=manager).exists()


def test_adding_through_the_form_invites_an_unknown_address(
    login, cluster, manager, django_capture_on_commit_callbacks
):
    url = reverse("clusters:team_add", kwargs={"slug": cluster.slug})
    with django_capture_on_commit_callbacks(execute=True):
        response = login(manager).post(url, {"email": NEWCOMER, "role": "staff"}, follow=True)
    assert "an invitation to join as staff is sent by e-mail" in response.content.decode()
    assert TeamInvitation.objects.filter(email=NEWCOMER, cluster=cluster).exists()
    assert [m.to for m in mail.outbox] == [[NEWCOMER]]


def test_invitations_are_rate_limited_per_manager(login, cluster, manager, settings):
    settings.RATELIMIT_RATES = {**settings.RATELIMIT_RATES, "invite": "3/h"}
    client = login(manager)
    url = reverse("clusters:team_add", kwargs={"slug": cluster.slug})
    for n in range(3):
        assert client.post(url, {"email": f"p{n}@example.org", "role": "staff"}).status_code == 302

    response = client.post(url, {"email": "p9@example.org", "role": "staff"})

    assert response.status_code == 429
    assert not TeamInvitation.objects.filter(email="p9@example.org").exists()


def test_the_person_removed_is_told(login, cluster, manager, staff_member):
    membership = ClusterMembership.objects.get(user=staff_member)
    login(manager).post(
        reverse(
            "clusters:team_remove",
            kwargs={"slug": cluster.slug, "membership_id": membership.pk},
        )
    )
    told = Notification.objects.get(recipient=staff_member, kind="clusters.team_removed")
    assert cluster.name in told.subject


def test_the_person_whose_role_changes_is_told(login, cluster, manager, staff_member):
    login(manager).post(
        reverse("clusters:team_add", kwargs={"slug": cluster.slug}),
        {"email": staff_member.email, "role": "manager"},
    )
    told = Notification.objects.get(recipient=staff_member, kind="clusters.team_added")
    assert "from staff to manager" in told.body
