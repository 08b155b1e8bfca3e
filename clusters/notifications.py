"""The notifications and reminders the clusters app sends (registered at start-up)."""

from datetime import timedelta

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.permissions import is_secretariat
from accounts.selectors import secretariat_users
from notifications.registry import Kind, register
from notifications.reminders import Due, Reminder
from notifications.reminders import register as register_reminder

from .permissions import manages_a_cluster

AREA = _("Clusters")


def in_a_cluster_team(user) -> bool:
    """The audience of the kinds that reach a cluster's team (manager or staff)."""
    from .selectors import clusters_of_user

    return clusters_of_user(user=user).exists()


JOIN_REQUEST_SUBMITTED = register(
    Kind(
        "clusters.joinrequest_submitted",
        _("A cluster asks to join the network (secretariat)"),
        area=AREA,
        audience=is_secretariat,
    )
)
JOIN_REQUEST_APPROVED = register(
    Kind("clusters.joinrequest_approved", _("Your cluster's join request was approved"), area=AREA)
)
JOIN_REQUEST_REJECTED = register(
    Kind(
        "clusters.joinrequest_rejected", _("Your cluster's join request was turned down"), area=AREA
    )
)
JOIN_REQUEST_WAITING = register(
    Kind(
        "clusters.joinrequest_waiting",
        _("Reminder: join requests waiting more than 5 days (secretariat)"),
        area=AREA,
        audience=is_secretariat,
    )
)
JOIN_REQUEST_WAITING_DAYS = 5


def join_request_admin_link(join_request) -> str:
    return reverse("admin:clusters_joinrequest_change", args=[join_request.pk])


def _join_requests_waiting(now):
    from .models import JoinRequest

    waiting = JoinRequest.objects.filter(
        status=JoinRequest.Status.SUBMITTED,
        created__lt=now - timedelta(days=JOIN_REQUEST_WAITING_DAYS),
    ).select_related("requester")
    staff = list(secretariat_users())
    for join_request in waiting:
        yield Due(
            obj=join_request,
            recipients=staff,
            context={"join_request": join_request, "days": (now - join_request.created).days},
            link=join_request_admin_link(join_request),
        )


# Weekly: the secretariat hears about a waiting request once a week until it is decided.
register_reminder(
    Reminder(name=JOIN_REQUEST_WAITING.name, due=_join_requests_waiting, period="week")
)


# A signed-in person writes to the cluster's managers from its profile (clusters.services.contact).
CLUSTER_CONTACTED = register(
    Kind(
        "clusters.contacted",
        _("Someone writes to your cluster from its profile (managers)"),
        description=_("The message, with the sender's name and e-mail address to answer."),
        area=AREA,
        audience=manages_a_cluster,
    )
)
