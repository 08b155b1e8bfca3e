"""Reads for the strategy dashboard and the actions: constant queries per page."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.permissions import is_authenticated, is_secretariat
from clusters.models import Cluster

from . import charts
from .filters import ActionFilter
from .models import DUE_SOON_DAYS, Action, CalendarFeed, Indicator, Milestone, Strategy, hash_token
from .permissions import can_view_action

if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

    from django.http import QueryDict

    from accounts.models import User
    from accounts.types import AnyUser


# A plan of thousands of actions: each objective's table shows this many lines (the rest
# through the filters or the CSV export), "Needs attention" this many of each kind and
# the timeline this many dots. The figures and the charts still count every action.
LINES_PER_OBJECTIVE = 15
ATTENTION_MAX = 10
TIMELINE_MAX = 60
PLAN_FIELDS = ("objective", "parent", "title", "lead_cluster", "due_date", "status", "progress")


def current_strategy(*, user: AnyUser | None, adopted: bool = False) -> Strategy | None:
    """The adopted strategy; the secretariat also sees a newer draft, unless ``adopted``
    asks for the plan being carried out (the one the reminders follow)."""
    strategies = Strategy.objects.all()
    if adopted or not is_secretariat(user):
        strategies = strategies.filter(status=Strategy.Status.ADOPTED)
    return strategies.order_by("-start_year", "-id").first()


def calendar_feed_of(*, user: AnyUser) -> CalendarFeed | None:
    if not is_authenticated(user):
        return None
    return CalendarFeed.objects.filter(user=user).first()


def calendar_feed_owner(*, token: str) -> User | None:
    """The active person whose private calendar address has ``token``, or None. Looked up
    by the token's hash: the token itself is never stored."""
    feeds = CalendarFeed.objects.select_related("user").filter(token_hash=hash_token(token))
    feed = feeds.first()
    if feed is None or not feed.user.is_active:
        return None
    return feed.user


def _average(values: list[int]) -> int:
    """Half up, as everywhere the plan's progress is shown (``round`` would give 42 for 42.5)."""
    return int(sum(values) / len(values) + 0.5) if values else 0


def _progress_of(actions: list[Action]) -> int:
    """The average progress of the top-level actions that count (not cancelled)."""
    return _average(
        [a.progress for a in actions if a.parent_id is None and a.status != "cancelled"]
    )


def overdue_actions(*, strategy: Strategy, today: date | None = None) -> QuerySet[Action]:
    """The strategy's overdue actions, most overdue first: the one selector behind every
    overdue count (the home page, the plan, "Your work"), over the one definition
    :meth:`ActionQuerySet.overdue`."""
    return (
        Action.objects.filter(objective__strategy=strategy)
        .overdue(today)
        .select_related("lead_cluster", "owner")
        .order_by("due_date", "id")
    )


def my_actions_due(
    *, user: AnyUser, strategy: Strategy, today: date | None = None
) -> QuerySet[Action]:
    """The person's own open actions ("Mine") that are overdue or due within
    ``DUE_SOON_DAYS``, most overdue first."""
    today = today or timezone.localdate()
    return (
        Action.objects.filter(objective__strategy=strategy)
        .of_person(user)
        .open()
        .filter(due_date__lte=today + timedelta(days=DUE_SOON_DAYS))
        .select_related("lead_cluster")
        .order_by("due_date", "id")
    )


def actions_of(
    *,
    strategy: Strategy,
    data: QueryDict | Mapping[str, Any] | None = None,
    user: AnyUser | None = None,
) -> tuple[ActionFilter, QuerySet[Action]]:
    queryset = (
        Action.objects.filter(objective__strategy=strategy)
        .with_due_state()
        .select_related("objective", "lead_cluster", "owner")
        .order_by("objective__order", "due_date", "id")
    )
    filterset = ActionFilter(data or None, queryset=queryset, strategy=strategy, user=user)
    if filterset.is_bound and not filterset.is_valid():
        return filterset, queryset.none()
    return filterset, filterset.qs


@dataclass(frozen=True)
class PlanLine:
    """One row of an objective's table: a top-level action, or a sub-action right under its
    parent (``sub``). A sub-action whose parent the filters leave out names it (``parent``)."""

    action: Action
    sub: bool = False
    parent: Action | None = None


def _lines(actions: list[Action], shown: set[int]) -> list[PlanLine]:
    """The objective's actions as a tree: each top-level action by due date, its sub-actions
    right under it by due date; then only the ``shown`` ones (the filters' result)."""
    by_pk = {a.pk: a for a in actions}
    children: dict[int, list[Action]] = defaultdict(list)
    top: list[Action] = []
    for action in actions:  # already by due date, then id
        if action.parent_id in by_pk:
            children[action.parent_id].append(action)
        else:
            top.append(action)
    lines = []
    for action in top:
        if action.pk in shown:
            lines.append(PlanLine(action))
        for child in children.get(action.pk, []):
            if child.pk in shown:
                hidden_parent = None if action.pk in shown else action
                lines.append(PlanLine(child, sub=True, parent=hidden_parent))
    return lines


def _filters_in_use(filterset: ActionFilter) -> list[str]:
    """The labels of the filters that narrow the list now (for "filtered by ...")."""
    if not filterset.is_bound:
        return []
    form = filterset.form
    if not form.is_valid():
        return [str(form.fields[name].label) for name in form.errors if name in form.fields]
    return [
        str(form.fields[name].label)
        for name, value in form.cleaned_data.items()
        if value not in (None, "", False)
    ]


def dashboard(
    *,
    strategy: Strategy,
    data: QueryDict | Mapping[str, Any] | None = None,
    user: AnyUser | None = None,
) -> dict[str, Any]:
    """Everything /action-plan/ shows. The figures, the charts and each objective's progress
    are the whole plan's whatever the filters; the filters narrow the tables only."""
    filterset, filtered = actions_of(strategy=strategy, data=data, user=user)
    # The whole plan for the figures, with the few columns they need: the lead cluster is
    # read for the lines shown only.
    actions = list(
        Action.objects.filter(objective__strategy=strategy)
        .with_due_state()
        .only(*PLAN_FIELDS)
        .order_by("due_date", "id")
    )
    in_use = _filters_in_use(filterset)
    shown = set(filtered.values_list("pk", flat=True)) if in_use else {a.pk for a in actions}
    objectives = list(strategy.objectives.all())
    by_objective = defaultdict(list)
    for action in actions:
        by_objective[action.objective_id].append(action)
    today = timezone.localdate()
    rows: list[dict[str, Any]] = []
    for objective in objectives:
        own = by_objective.get(objective.pk, [])
        lines = _lines(own, shown)
        rows.append(
            {
                "objective": objective,
                "lines": lines[:LINES_PER_OBJECTIVE],
                "more": max(len(lines) - LINES_PER_OBJECTIVE, 0),
                "matching": len(lines),
                "actions": [line.action for line in lines[:LINES_PER_OBJECTIVE]],
                "progress": _progress_of(own),
            }
        )
    _attach_lead_clusters([a for r in rows for a in r["actions"]])
    status_counts = Counter(a.status for a in actions)
    labels = dict(Action.Status.choices)
    start = date(strategy.start_year, 1, 1)
    end = date(strategy.end_year, 12, 31)
    overdue = overdue_actions(strategy=strategy, today=today)
    due_soon = [a for a in actions if a.due_state_db == "due_soon"]
    return {
        "filter": filterset,
        "filters_in_use": in_use,
        "shown": sum(r["matching"] for r in rows),
        "objectives": rows,
        "overall": _progress_of(actions),
        "counts": [(labels[s], status_counts.get(s, 0), s) for s in labels],
        "total": len(actions),
        "overdue": list(overdue[:ATTENTION_MAX]),
        "overdue_count": overdue.count(),
        "due_soon": due_soon[:ATTENTION_MAX],
        "due_soon_count": len(due_soon),
        "progress_chart": charts.bars([(r["objective"].title, r["progress"]) for r in rows]),
        "status_chart": charts.status_bar(status_counts, labels),
        "timeline": charts.timeline(
            _timeline_items(actions, today),
            start=min(start, today - timedelta(days=30)),
            end=end,
        ),
        "today": today,
    }


def _attach_lead_clusters(actions: list[Action]) -> None:
    """The lead clusters of the lines shown, in one query."""
    ids = {a.lead_cluster_id for a in actions}
    clusters = Cluster.objects.only("name", "slug").in_bulk(ids)
    for action in actions:
        action.lead_cluster = clusters[action.lead_cluster_id]


def _timeline_items(actions: list[Any], today: date) -> list[tuple[str, date, str]]:
    """The top-level actions' due dates; a plan of thousands shows the open ones due next
    (``TIMELINE_MAX`` of them: more dots would only cover one another)."""
    top = [a for a in actions if a.parent_id is None]
    if len(top) > TIMELINE_MAX:
        top = [a for a in top if a.due_state_db != "closed" and a.due_date >= today][:TIMELINE_MAX]
    return [(a.title, a.due_date, a.due_state_db) for a in top]


def action_get(*, pk: int, user: AnyUser) -> Action:
    action = (
        Action.objects.select_related("objective__strategy", "lead_cluster", "owner", "parent")
        .prefetch_related(
            "partners",
            Prefetch("milestones", queryset=Milestone.objects.order_by("date")),
            Prefetch(
                "indicators", queryset=Indicator.objects.prefetch_related("values__recorded_by")
            ),
            "updates__author",
            Prefetch("children", queryset=Action.objects.select_related("owner")),
        )
        .filter(pk=pk)
        .first()
    )
    if action is None or not can_view_action(user, action):
        raise Http404
    return action


def objective_indicators(*, strategy: Strategy) -> QuerySet[Indicator]:
    return Indicator.objects.filter(objective__strategy=strategy).select_related("objective")


def plan_summary(*, user: AnyUser | None = None) -> dict[str, Any] | None:
    """The plan's overall progress and overdue count for the home page: the same strategy
    the person sees on /action-plan/, and the same figures (``_progress_of``,
    ``overdue_actions``)."""
    strategy = current_strategy(user=user)
    if strategy is None:
        return None
    top = Action.objects.filter(objective__strategy=strategy, parent__isnull=True)
    progress = list(top.values_list("progress", "status"))
    return {
        "strategy": strategy,
        "progress": _average([p for p, status in progress if status != "cancelled"]),
        "overdue": overdue_actions(strategy=strategy).count(),
    }
