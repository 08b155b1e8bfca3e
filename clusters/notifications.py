"""The notifications and reminders the clusters app sends (registered at start-up)."""

from datetime import timedelta

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.permissions import is_secretariat
from accounts.selectors import secretariat_users
from notifications.registry import Kind, done_when, register
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


MEMBER_REQUEST_SUBMITTED = register(
    Kind(
        "clusters.memberrequest_submitted",
        _("An organisation asks to join your cluster as a member (managers)"),
        area=AREA,
        audience=manages_a_cluster,
    )
)
MEMBER_REQUEST_ACCEPTED = register(
    Kind(
        "clusters.memberrequest_accepted",
        _("A cluster accepted your organisation as a member"),
        area=AREA,
    )
)
MEMBER_REQUEST_DECLINED = register(
    Kind(
        "clusters.memberrequest_declined",
        _("A cluster declined your organisation's request to join"),
        area=AREA,
    )
)
TEAM_ADDED = register(
    Kind(
        "clusters.team_added",
        _("You were added to a cluster's team, or your role changed"),
        area=AREA,
    )
)
TEAM_REMOVED = register(
    Kind("clusters.team_removed", _("You were removed from a cluster's team"), area=AREA)
)


# The asks are done once the request is decided, on the site or in the admin.
def _join_request_decided(join_request) -> bool:
    return join_request.status != "submitted"


def _member_request_decided(member_request) -> bool:
    return member_request.status != "pending"


for _kind in (JOIN_REQUEST_SUBMITTED, JOIN_REQUEST_WAITING):
    done_when(_kind, model="clusters.joinrequest", about="join_request", when=_join_request_decided)
done_when(
    MEMBER_REQUEST_SUBMITTED,
    model="clusters.memberorganisationrequest",
    about="member_request",
    when=_member_request_decided,
)


def join_request_link(join_request) -> str:
    """Where the secretariat decides a join request: the queue's page on the site."""
    return reverse("clusters:join_request_detail", args=[join_request.pk])


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
            link=join_request_link(join_request),
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
