"""Who may see and update the strategy and its actions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from accounts.permissions import is_authenticated, is_secretariat
from clusters.permissions import is_cluster_manager_of

from .models import Action, CalendarFeed, Strategy

if TYPE_CHECKING:
    from accounts.types import AnyUser


def can_view_strategy(user: AnyUser, strategy: Strategy) -> bool:
    return strategy.status == Strategy.Status.ADOPTED or is_secretariat(user)


def can_view_action(user: AnyUser, action: Action) -> bool:
    return can_view_strategy(user, action.objective.strategy)


def is_lead_manager(user: AnyUser, action: Action) -> bool:
    return is_cluster_manager_of(user, action.lead_cluster_id)


def can_update_action(user: AnyUser, action: Action) -> bool:
    """The owner, the lead cluster's managers and the secretariat report progress."""
    if not is_authenticated(user):
        return False
    return is_secretariat(user) or action.owner_id == user.pk or is_lead_manager(user, action)


def can_manage_plan(user: AnyUser) -> bool:
    return is_secretariat(user)


def can_follow_action(user: AnyUser, action: Action) -> bool:
    return is_authenticated(user) and can_view_action(user, action)


def can_have_calendar_feed(user: AnyUser) -> bool:
    return is_authenticated(user) and user.is_active


def can_reset_calendar_feed(user: AnyUser, feed: CalendarFeed) -> bool:
    """Only the person whose address it is (the secretariat cannot see or reset it)."""
    return can_have_calendar_feed(user) and feed.user_id == user.pk
