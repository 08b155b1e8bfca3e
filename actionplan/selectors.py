"""Reads for the strategy dashboard and the actions: constant queries per page."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.permissions import is_authenticated, is_secretariat

from . import charts
from .filters import ActionFilter
from .models import Action, CalendarFeed, Indicator, Milestone, Strategy, hash_token
from .permissions import can_view_action

if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

    from django.http import QueryDict

    from accounts.models import User
    from accounts.types import AnyUser


def current_strategy(*, user: AnyUser | None) -> Strategy | None:
    """The adopted strategy; the secretariat also sees a newer draft."""
    strategies = Strategy.objects.all()
    if not is_secretariat(user):
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
    return round(sum(values) / len(values)) if values else 0


def actions_of(
    *, strategy: Strategy, data: QueryDict | Mapping[str, Any] | None = None
) -> tuple[ActionFilter, QuerySet[Action]]:
    queryset = (
        Action.objects.filter(objective__strategy=strategy)
        .with_due_state()
        .select_related("objective", "lead_cluster", "owner")
        .order_by("objective__order", "due_date", "id")
    )
    filterset = ActionFilter(data or None, queryset=queryset, strategy=strategy)
    if filterset.is_bound and not filterset.is_valid():
        return filterset, queryset.none()
    return filterset, filterset.qs


def dashboard(
    *, strategy: Strategy, data: QueryDict | Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """Everything /action-plan/ shows, from two queries over the strategy's actions."""
    filterset, queryset = actions_of(strategy=strategy, data=data)
    actions = list(queryset)
    objectives = list(strategy.objectives.all())
    by_objective = defaultdict(list)
    for action in actions:
        by_objective[action.objective_id].append(action)
    today = timezone.localdate()
    rows: list[dict[str, Any]] = []
    for objective in objectives:
        own = by_objective.get(objective.pk, [])
        top = [a for a in own if a.parent_id is None or a.parent_id not in {b.pk for b in own}]
        rows.append(
            {
                "objective": objective,
                "actions": own,
                "progress": _average([a.progress for a in top if a.status != "cancelled"]),
            }
        )
    top_level = [a for a in actions if a.parent_id is None and a.status != "cancelled"]
    status_counts = Counter(a.status for a in actions)
    labels = dict(Action.Status.choices)
    start = date(strategy.start_year, 1, 1)
    end = date(strategy.end_year, 12, 31)
    return {
        "filter": filterset,
        "objectives": rows,
        "overall": _average([a.progress for a in top_level]),
        "counts": [(labels[s], status_counts.get(s, 0), s) for s in labels],
        "total": len(actions),
        "overdue": [a for a in actions if a.due_state_db == "overdue"],  # type: ignore[attr-defined]  # annotated by with_due_state()
        "due_soon": [a for a in actions if a.due_state_db == "due_soon"],  # type: ignore[attr-defined]  # annotated by with_due_state()
        "progress_chart": charts.bars([(r["objective"].title, r["progress"]) for r in rows]),
        "status_chart": charts.status_bar(status_counts, labels),
        "timeline": charts.timeline(
            [(a.title, a.due_date, a.due_state_db) for a in actions if a.parent_id is None],  # type: ignore[attr-defined]  # annotated by with_due_state()
            start=min(start, today - timedelta(days=30)),
            end=end,
        ),
        "today": today,
    }


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


def plan_summary() -> dict[str, Any] | None:
    """The adopted strategy's overall progress, for the home page (two queries)."""
    from django.db.models import Avg

    strategy = current_strategy(user=None)
    if strategy is None:
        return None
    top = Action.objects.filter(objective__strategy=strategy, parent__isnull=True).exclude(
        status=Action.Status.CANCELLED
    )
    average = top.aggregate(avg=Avg("progress"))["avg"]
    return {
        "strategy": strategy,
        "progress": int(average + 0.5) if average is not None else 0,
        "overdue": top.with_due_state().filter(due_state_db="overdue").count(),
    }
