"""Notifications and reminders of the Plan of Actions."""

from datetime import timedelta

from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusters.models import ClusterMembership
from clusters.notifications import in_a_cluster_team
from notifications.registry import Kind, register
from notifications.reminders import Due, Reminder, in_batches
from notifications.reminders import register as register_reminder

AREA = _("Plan of Actions")


def answers_for_actions(user) -> bool:
    """Who the plan's reminders can reach: a cluster's team (managers answer for what their
    cluster leads; staff are given actions) and anyone who owns an action."""
    from .models import Action

    return in_a_cluster_team(user) or Action.objects.filter(owner=user).exists()


ASSIGNED = register(
    Kind(
        "actionplan.assigned",
        _("An action of the plan was given to you"),
        area=AREA,
        audience=answers_for_actions,
    )
)
STATUS_CHANGED = register(
    Kind(
        "actionplan.status_changed",
        _("An action you follow changed status"),
        default_channel="digest",
        area=AREA,
    )
)
DUE_SOON = register(
    Kind(
        "actionplan.due_soon",
        _("Reminder: your action is due in 7 days"),
        area=AREA,
        audience=answers_for_actions,
    )
)
OVERDUE = register(
    Kind(
        "actionplan.overdue",
        _("Reminder: your action is overdue (weekly)"),
        area=AREA,
        audience=answers_for_actions,
    )
)
UPDATE_REQUEST = register(
    Kind(
        "actionplan.update_request",
        _("Monthly request for a progress update"),
        area=AREA,
        audience=answers_for_actions,
    )
)
DUE_SOON_DAYS = 7
UPDATE_AFTER_DAYS = 30


def responsible_people(action) -> list:
    """The owner and the managers of the lead cluster."""
    return responsible_people_of([action])[action.pk]


def responsible_people_of(actions) -> dict:
    """``responsible_people`` of each action, by its id, in one query for them all."""
    managers: dict[int, list] = {}
    for membership in (
        ClusterMembership.objects.filter(
            cluster_id__in={action.lead_cluster_id for action in actions},
            role=ClusterMembership.Role.MANAGER,
        )
        .select_related("user")
        .order_by("pk")
    ):
        managers.setdefault(membership.cluster_id, []).append(membership.user)
    result = {}
    for action in actions:
        people = {action.owner_id: action.owner} if action.owner_id else {}
        for user in managers.get(action.lead_cluster_id, []):
            people.setdefault(user.pk, user)
        result[action.pk] = list(people.values())
    return result


def _open_adopted_actions():
    from .models import Action

    return (
        Action.objects.open()
        .filter(objective__strategy__status="adopted")
        .select_related("owner", "lead_cluster")
    )


def _due_within_week(now):
    today = timezone.localdate(now)
    actions = _open_adopted_actions().filter(
        due_date__gte=today, due_date__lte=today + timedelta(days=DUE_SOON_DAYS)
    )
    for batch in in_batches(actions):
        people = responsible_people_of(batch)
        for action in batch:
            yield Due(
                obj=action,
                recipients=people[action.pk],
                context={"action": action, "days": (action.due_date - today).days},
                link=action.get_absolute_url(),
                key=f"due-{action.due_date.isoformat()}",  # once per due date
            )


def _overdue(now):
    today = timezone.localdate(now)
    for batch in in_batches(_open_adopted_actions().overdue(today)):  # the one definition
        people = responsible_people_of(batch)
        for action in batch:
            yield Due(
                obj=action,
                recipients=people[action.pk],
                context={"action": action, "days": (today - action.due_date).days},
                link=action.get_absolute_url(),
            )


def _needs_update(now):
    cutoff = now - timedelta(days=UPDATE_AFTER_DAYS)
    actions = (
        _open_adopted_actions()
        .filter(start_date__lte=timezone.localdate(now))
        .annotate(last_update=Max("updates__created"))
        .filter(Q(last_update__lt=cutoff) | Q(last_update__isnull=True, created__lt=cutoff))
    )
    for batch in in_batches(actions):
        people = responsible_people_of([a for a in batch if not a.owner_id])
        for action in batch:
            yield Due(
                obj=action,
                recipients=[action.owner] if action.owner_id else people[action.pk],
                context={"action": action},
                link=action.get_absolute_url() + "update/",
            )


register_reminder(Reminder(name=DUE_SOON.name, due=_due_within_week))  # once per due date
register_reminder(Reminder(name=OVERDUE.name, due=_overdue, period="week"))
register_reminder(Reminder(name=UPDATE_REQUEST.name, due=_needs_update, period="month"))
