"""A signed-in person writes to a cluster's managers from its profile.

The message goes through notifications (in-app, and by e-mail as each manager chose);
no address of the cluster or of its managers is shown to the sender. The managers get
the sender's name, organisation and e-mail address with the message, so they answer
by e-mail; the sender's address is shown to nobody else.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.services import record
from notifications.services import notify

from ..models import Cluster, ClusterMembership
from ..notifications import CLUSTER_CONTACTED
from ..permissions import can_contact_cluster

CONTACT_MESSAGE_MAX = 3000
CONTACT_EMPTY = _("Write your message: it cannot be empty.")
CONTACT_TOO_LONG = _("Keep your message under %(max)d characters (it has %(length)d).")
CONTACT_NO_MANAGER = _(
    "This cluster has no manager on the site yet, so nobody would read your message: "
    "it was not sent."
)


def contact_recipients(*, cluster: Cluster, sender: User | None = None) -> list[User]:
    """The cluster's active managers who would get a message (never the sender)."""
    managers = User.objects.filter(
        is_active=True,
        memberships__cluster=cluster,
        memberships__role=ClusterMembership.Role.MANAGER,
    ).order_by("pk")
    if sender is not None:
        managers = managers.exclude(pk=sender.pk)
    return list(managers)


@transaction.atomic
def cluster_contact(*, cluster: Cluster, sender: User, message: str) -> list[User]:
    """Send ``message`` from ``sender`` to the cluster's managers; returns who got it."""
    if not can_contact_cluster(sender, cluster):
        raise PermissionDenied
    message = message.strip()
    if not message:
        raise ValidationError({"message": CONTACT_EMPTY})
    if len(message) > CONTACT_MESSAGE_MAX:
        raise ValidationError(
            {"message": CONTACT_TOO_LONG % {"max": CONTACT_MESSAGE_MAX, "length": len(message)}}
        )
    managers = contact_recipients(cluster=cluster, sender=sender)
    if not managers:
        raise ValidationError(CONTACT_NO_MANAGER)
    notify(
        recipients=managers,
        kind=CLUSTER_CONTACTED.name,
        context={
            "cluster": cluster,
            "sender": sender,
            "organisation": sender.organisation,
            "message": message,
        },
        link=cluster.get_absolute_url(),
    )
    record(
        actor=sender,
        verb="cluster.contact",
        target=cluster,
        comment=message,
    )
    return managers
