"""The notifications and reminders the clusters app sends (registered at start-up)."""

from datetime import timedelta

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.selectors import secretariat_users
from notifications.registry import Kind, register
from notifications.reminders import Due, Reminder
from notifications.reminders import register as register_reminder

JOIN_REQUEST_SUBMITTED = register(
    Kind("clusters.joinrequest_submitted", _("A cluster asks to join the network (secretariat)"))
)
JOIN_REQUEST_APPROVED = register(
    Kind("clusters.joinrequest_approved", _("Your cluster's join request was approved"))
)
JOIN_REQUEST_REJECTED = register(
    Kind("clusters.joinrequest_rejected", _("Your cluster's join request was turned down"))
)
JOIN_REQUEST_WAITING = register(
    Kind(
        "clusters.joinrequest_waiting",
        _("Reminder: join requests waiting more than 5 days (secretariat)"),
    )
)
JOIN_REQUEST_WAITING_DAYS = 5


MEMBER_REQUEST_SUBMITTED = register(
    Kind(
        "clusters.memberrequest_submitted",
        _("An organisation asks to join your cluster as a member (managers)"),
    )
)
MEMBER_REQUEST_ACCEPTED = register(
    Kind(
        "clusters.memberrequest_accepted",
        _("A cluster accepted your organisation as a member"),
    )
)
MEMBER_REQUEST_DECLINED = register(
    Kind(
        "clusters.memberrequest_declined",
        _("A cluster declined your organisation's request to join"),
    )
)
TEAM_ADDED = register(
    Kind("clusters.team_added", _("You were added to a cluster's team, or your role changed"))
)
TEAM_REMOVED = register(Kind("clusters.team_removed", _("You were removed from a cluster's team")))


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
