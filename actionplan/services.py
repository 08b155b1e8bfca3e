"""Writes for the Plan of Actions: progress updates, action edits, follows, roll-up.

Action edits use optimistic locking: the form carries the ``version`` it was
read at, and the save only happens if the row still has that version, so two
people editing at once never silently overwrite each other.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.services import change, record
from notifications.services import notify

from . import notifications as kinds
from .models import (
    Action,
    ActionFollow,
    CalendarFeed,
    Indicator,
    IndicatorValue,
    ProgressUpdate,
    hash_token,
    new_token,
)
from .permissions import (
    can_have_calendar_feed,
    can_manage_plan,
    can_reset_calendar_feed,
    can_update_action,
    can_view_action,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

    from accounts.models import User
    from clusters.models import Cluster

    from .models import Objective, Strategy

STALE_EDIT = _(
    "Someone else saved this action while you were editing it. Your changes were not "
    "saved: reload the page to see theirs, then make yours again."
)
PARENT_PROGRESS = _(
    "This action's progress is the roll-up of its sub-actions: update those instead."
)
NOT_THIS_ACTION = _("This indicator does not belong to this action.")
FEED_EXISTS = _(
    "You already have a private calendar address. It is shown only once: reset it to get a new one."
)

ACTION_FIELDS = (
    "title",
    "description",
    "lead_cluster",
    "owner",
    "start_date",
    "due_date",
    "status",
    "budget_amount",
    "budget_currency",
    "funding_source",
    "parent",
    "weight",
    "objective",
)


def _save_if_current(action: Action, expected_version: int, fields: dict[str, Any]) -> None:
    """Write ``fields`` only if the row is still at ``expected_version`` (else STALE_EDIT)."""
    updated = Action.objects.filter(pk=action.pk, version=expected_version).update(
        version=F("version") + 1, updated=timezone.now(), **fields
    )
    if not updated:
        raise ValidationError(STALE_EDIT, code="stale")
    action.version = expected_version + 1
    for name, value in fields.items():
        setattr(action, name, value)


def rollup_progress(action: Action) -> None:
    """Recompute the progress of ``action``'s ancestors from their sub-actions (weighted)."""
    parent_id = action.parent_id
    seen = set()
    while parent_id and parent_id not in seen:
        seen.add(parent_id)
        children = list(
            Action.objects.filter(parent_id=parent_id)
            .exclude(status=Action.Status.CANCELLED)
            .values_list("progress", "weight")
        )
        total = sum(w for _p, w in children)
        # Half up (62.5 → 63), as people round by hand.
        progress = int(sum(p * w for p, w in children) / total + 0.5) if total else 0
        Action.objects.filter(pk=parent_id).update(
            progress=progress, version=F("version") + 1, updated=timezone.now()
        )
        parent_id = Action.objects.filter(pk=parent_id).values_list("parent_id", flat=True).first()


def _notify_status_change(action: Action, before: str, actor: User) -> None:
    followers = [
        f.user
        for f in ActionFollow.objects.filter(action=action).select_related("user")
        if f.user_id != getattr(actor, "pk", None)
    ]
    notify(
        recipients=followers,
        kind=kinds.STATUS_CHANGED.name,
        context={
            "action": action,
            "before": Action.Status(before).label,
            "after": Action.Status(action.status).label,
        },
        link=action.get_absolute_url(),
    )


@transaction.atomic
def progress_update_post(
    *,
    action: Action,
    actor: User,
    expected_version: int,
    progress: int,
    status: str,
    text: str,
    indicator_values: dict[int, Decimal] | None = None,
) -> ProgressUpdate:
    """An owner reports: progress, status, a few words and indicator values, in one go."""
    if not can_update_action(actor, action):
        raise PermissionDenied
    has_children = Action.objects.filter(parent=action).exists()
    if has_children and progress != action.progress:
        raise ValidationError({"progress": PARENT_PROGRESS})
    before, before_progress = action.status, action.progress
    _save_if_current(action, expected_version, {"progress": progress, "status": status})
    update = ProgressUpdate.objects.create(
        action=action, author=actor, progress=progress, status=status, text=text.strip()
    )
    for indicator_id, value in (indicator_values or {}).items():
        indicator = (
            Indicator.objects.select_for_update().filter(pk=indicator_id, action=action).first()
        )
        if indicator is None:
            raise ValidationError(NOT_THIS_ACTION)
        if value is None or value == indicator.current:
            continue
        indicator.current = value
        indicator.save(update_fields=["current"])
        IndicatorValue.objects.create(indicator=indicator, value=value, recorded_by=actor)
    rollup_progress(action)
    record(
        actor=actor,
        verb="action.progress",
        target=action,
        from_state=before,
        to_state=status,
        comment=text[:500],
        changes={"progress": change(before_progress, progress)},
    )
    if status != before:
        _notify_status_change(action, before, actor)
    return update


@transaction.atomic
def action_edit(
    *,
    action: Action,
    actor: User,
    expected_version: int,
    data: dict[str, Any],
    partners: Iterable[Cluster] | None = None,
) -> Action:
    """The secretariat edits an action on the site (optimistic locking)."""
    if not can_manage_plan(actor):
        raise PermissionDenied
    before_status, before_owner, before_parent = action.status, action.owner_id, action.parent_id
    fields = {k: v for k, v in data.items() if k in ACTION_FIELDS}
    old = {f: getattr(action, f) for f in fields}
    changes = {f: change(old[f], v) for f, v in fields.items() if old[f] != v}
    candidate = Action(**{**{f: getattr(action, f) for f in ACTION_FIELDS}, **fields})
    candidate.pk = action.pk
    candidate._state.adding = False  # an existing row: don't check its own id is unique
    candidate.progress = action.progress
    candidate.full_clean(exclude=["objective"] if "objective" not in fields else None)
    _save_if_current(action, expected_version, fields)
    if partners is not None:
        action.partners.set(partners)
    # Its weight, status or parent may have changed: both parents' progress follow.
    rollup_progress(action)
    if before_parent and before_parent != action.parent_id:
        rollup_progress(Action(parent_id=before_parent))
    record(
        actor=actor,
        verb="action.edit",
        target=action,
        from_state=before_status,
        to_state=action.status,
        changes=changes,
    )
    if action.owner_id and action.owner_id != before_owner:
        _notify_assigned(action)
    if action.status != before_status:
        _notify_status_change(action, before_status, actor)
    return action


def _notify_assigned(action: Action) -> None:
    notify(
        recipients=[action.owner],
        kind=kinds.ASSIGNED.name,
        context={"action": action},
        link=action.get_absolute_url(),
        dedupe_key=f"assigned:{action.pk}:{action.owner_id}",
    )


@transaction.atomic
def action_create(*, actor: User, data: dict[str, Any], partners: Iterable[Cluster] = ()) -> Action:
    if not can_manage_plan(actor):
        raise PermissionDenied
    action = Action(**{k: v for k, v in data.items() if k in ACTION_FIELDS})
    action.full_clean()
    action.save()
    action.partners.set(partners)
    rollup_progress(action)
    record(actor=actor, verb="action.create", target=action, to_state=action.status)
    if action.owner_id:
        _notify_assigned(action)
    return action


@transaction.atomic
def action_follow(*, action: Action, user: User) -> bool:
    if not can_view_action(user, action):
        raise PermissionDenied
    _follow, created = ActionFollow.objects.get_or_create(action=action, user=user)
    if created:
        record(actor=user, verb="action.follow", target=action)
    return created


@transaction.atomic
def action_unfollow(*, action: Action, user: User) -> bool:
    deleted, _n = ActionFollow.objects.filter(action=action, user=user).delete()
    if deleted:
        record(actor=user, verb="action.unfollow", target=action)
    return bool(deleted)


@transaction.atomic
def calendar_feed_create(*, user: User) -> str:
    """Make a person's private calendar address. The token is returned to be shown once;
    only its hash is kept."""
    if not can_have_calendar_feed(user):
        raise PermissionDenied
    token = new_token()
    try:
        with transaction.atomic():
            feed = CalendarFeed.objects.create(user=user, token_hash=hash_token(token))
    except IntegrityError:  # one already (or made at the same moment)
        raise ValidationError(FEED_EXISTS) from None
    record(actor=user, verb="calendar_feed.create", target=feed)
    return token


@transaction.atomic
def calendar_feed_reset(*, feed: CalendarFeed, actor: User) -> str:
    """Give the owner a new private calendar address: the old one stops working at once.
    The new token is returned to be shown once; only its hash is kept."""
    feed = CalendarFeed.objects.select_for_update().get(pk=feed.pk)
    if not can_reset_calendar_feed(actor, feed):
        raise PermissionDenied
    token = new_token()
    feed.token_hash = hash_token(token)
    feed.issued = timezone.now()
    feed.save(update_fields=["token_hash", "issued"])
    record(actor=actor, verb="calendar_feed.reset", target=feed)
    return token


@transaction.atomic
def strategy_save(*, strategy: Strategy, actor: User, data: dict[str, Any]) -> Strategy:
    """The secretariat edits the strategy (title, vision, period, draft or adopted)."""
    if not can_manage_plan(actor):
        raise PermissionDenied
    before = strategy.status
    for field in ("title", "vision", "start_year", "end_year", "status"):
        if field in data:
            setattr(strategy, field, data[field])
    strategy.full_clean()
    strategy.save()
    record(
        actor=actor,
        verb="strategy.save",
        target=strategy,
        from_state=before,
        to_state=strategy.status,
    )
    return strategy


@transaction.atomic
def objective_save(*, objective: Objective, actor: User, data: dict[str, Any]) -> Objective:
    """Create (no pk yet) or edit an objective of a strategy."""
    if not can_manage_plan(actor):
        raise PermissionDenied
    created = objective.pk is None
    for field in ("title", "theme", "description", "order"):
        if field in data:
            setattr(objective, field, data[field])
    objective.full_clean()
    objective.save()
    record(actor=actor, verb="objective.create" if created else "objective.edit", target=objective)
    return objective
