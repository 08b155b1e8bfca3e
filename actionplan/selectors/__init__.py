"""Reads for the strategy and the actions: constant queries per page. The plan's page
(/action-plan/) is put together in :mod:`.plan`."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from accounts.permissions import is_authenticated, is_secretariat

from ..filters import ActionFilter
from ..models import DUE_SOON_DAYS, Action, CalendarFeed, Indicator, Milestone, Strategy, hash_token
from ..permissions import can_view_action

if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

    from django.http import QueryDict

    from accounts.models import User
    from accounts.types import AnyUser


def current_strategy(
    *, user: AnyUser | None, adopted: bool = False, drafts: bool | None = None
) -> Strategy | None:
    """The adopted strategy; the secretariat (or ``drafts``) also sees a newer draft, unless
    ``adopted`` asks for the plan being carried out (the one the reminders follow)."""
    strategies = Strategy.objects.all()
    if drafts is None:
        drafts = is_secretariat(user)
    if adopted or not drafts:
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


def half_up(total: int, n: int) -> int:
    """An average progress, half up, as everywhere the plan's progress is shown (``round``
    would give 42 for 42.5); 0 for no action."""
    return int(total / n + 0.5) if n else 0


def counted_progress() -> dict[str, Any]:
    """The sum and number of progress figures that count in an average: the top-level
    actions (sub-actions roll up into their parent), not cancelled."""
    counted = Q(parent__isnull=True) & ~Q(status=Action.Status.CANCELLED)
    return {
        "progress_sum": Sum("progress", filter=counted, default=0),
        "progress_n": Count("pk", filter=counted),
    }


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


def plan_summary(*, drafts: bool = False) -> dict[str, Any] | None:
    """The plan's overall progress and overdue count for the home page: the same strategy
    the person sees on /action-plan/ (``drafts``: the secretariat's), and the same figures
    (``counted_progress``, ``overdue_actions``), counted in the database."""
    strategy = current_strategy(user=None, drafts=drafts)
    if strategy is None:
        return None
    plan = Action.objects.filter(objective__strategy=strategy)
    progress = plan.aggregate(**counted_progress())
    return {
        "strategy": strategy,
        "progress": half_up(progress["progress_sum"], progress["progress_n"]),
        "overdue": overdue_actions(strategy=strategy).count(),
    }
