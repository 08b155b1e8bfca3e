"""A person who confirms an e-mail address joins the teams that invited that address."""

from allauth.account.signals import email_confirmed
from django.contrib import messages
from django.dispatch import receiver
from django.utils.translation import gettext as _

from .services.invitations import team_invitations_accept

JOINED_BY_INVITATION = _("You joined the team of %(cluster)s as %(role)s.")
INVITATION_NO_LONGER_VALID = _(
    "The invitation to the team of %(cluster)s has %(state)s: ask its managers for a new one."
)


@receiver(email_confirmed)
def accept_team_invitations(sender, request, email_address, **kwargs):
    accepted, closed = team_invitations_accept(user=email_address.user, email=email_address.email)
    if request is None:
        return
    for invitation in accepted:
        messages.success(
            request,
            JOINED_BY_INVITATION
            % {"cluster": invitation.cluster.name, "role": invitation.get_role_display().lower()},
        )
    for invitation in closed:
        state = _("been revoked") if invitation.status == "revoked" else _("expired")
        messages.warning(
            request,
            INVITATION_NO_LONGER_VALID % {"cluster": invitation.cluster.name, "state": state},
        )
