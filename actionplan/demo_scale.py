"""A synthetic joint plan for benchmarks (``manage.py seed_scale --actions N``).

One adopted strategy (this year and the four after it, so it is the plan the pages and
reminders follow), 15 objectives over the five themes and N actions, a quarter of them
sub-actions of an earlier action of the same objective. Action number ``n`` is titled
``A<n:05d> · ...``, so a rerun adds only the numbers that are missing; every action is
drawn, existing or not, so the same --seed gives the same action behind the same number.

Distributions: start dates from three years ago to a year and a half ahead, due 1-24
months after; the status follows the dates (not started: planned, a few cancelled; due
date passed: mostly completed, some delayed or still in progress, which makes them
overdue, about 6 % of all; running: mostly in progress, some delayed, planned or done
early); progress follows the status (planned 0, completed 100, in between otherwise) and
a parent's is rolled up from its sub-actions, as ``actionplan.services.rollup_progress``
does. Leads are drawn from the seeded clusters (a few lead many), owned by their
manager, with 0-3 partner clusters; half the actions have a budget.
"""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from actionplan.models import Action, Objective, Strategy
from clusters.demo_scale import ScaleCluster
from core.demo_scale import PROSE, insert, skewed_index, weighted

STRATEGY_PREFIX = "Scale network strategy"
CODE_PREFIX = "A"
AS = Action.Status
THEMES = [choice for choice, _label in Objective.Theme.choices]
OBJECTIVES_PER_THEME = 3
OBJECTIVE_TITLES = [
    "Pilot and transfer solutions between member cities",
    "Build the members' skills and open new markets",
    "Share data, standards and procurement know-how",
]
ACTION_TITLES = [
    "Run a matchmaking day with city buyers",
    "Publish a joint guide",
    "Pilot a shared data space",
    "Launch a cross-cluster working group",
    "Organise study visits",
    "Prepare a joint funding proposal",
    "Map member competences",
    "Set up a peer-review round",
    "Hold a webinar series",
    "Draft common procurement criteria",
    "Test a living-lab method",
    "Run a member survey",
    "Open a help desk",
    "Co-fund a demonstrator",
]
FUNDING = ["ERDF", "Interreg Europe", "Horizon Europe", "Membership fees", "Regional budget", ""]


COLUMNS = (
    "title",
    "description",
    "lead_cluster_id",
    "owner_id",
    "start_date",
    "due_date",
    "status",
    "progress",
    "weight",
    "budget_amount",
    "budget_currency",
    "funding_source",
    "version",
    "created",
    "updated",
)


@dataclass
class ActionPlan:
    number: int
    objective_index: int
    parent_number: int | None
    values: tuple[Any, ...]  # COLUMNS
    partner_ids: list[int] = field(default_factory=list)


def code_of(number: int) -> str:
    return f"{CODE_PREFIX}{number:05d}"


def _status(rng: random.Random, start: date, due: date, today: date) -> tuple[str, int]:
    if start > today:
        status = weighted(rng, {AS.PLANNED: 95, AS.CANCELLED: 5})
    elif due < today:
        status = weighted(
            rng, {AS.COMPLETED: 70, AS.DELAYED: 12, AS.IN_PROGRESS: 10, AS.CANCELLED: 8}
        )
    else:
        status = weighted(
            rng,
            {AS.IN_PROGRESS: 60, AS.DELAYED: 12, AS.PLANNED: 15, AS.COMPLETED: 8, AS.CANCELLED: 5},
        )
    progress = {
        AS.PLANNED: 0,
        AS.COMPLETED: 100,
        AS.IN_PROGRESS: rng.randint(5, 95),
        AS.DELAYED: rng.randint(0, 70),
        AS.CANCELLED: rng.randint(0, 60),
    }[status]
    return status, progress


def plan_action(
    rng: random.Random,
    number: int,
    clusters: list[ScaleCluster],
    today: date,
    tops: dict[int, list[int]],
) -> ActionPlan:
    """Draw one action; ``tops`` (top-level numbers per objective so far) grows with it."""
    objective_index = rng.randrange(len(THEMES) * OBJECTIVES_PER_THEME)
    earlier = tops.setdefault(objective_index, [])
    parent_number = rng.choice(earlier[-50:]) if earlier and rng.random() < 0.25 else None
    lead = clusters[skewed_index(rng, len(clusters), 2.0)]
    start = today + timedelta(days=rng.randint(-3 * 365, 365))
    due = start + timedelta(days=rng.randint(30, 730))
    status, progress = _status(rng, start, due, today)
    partners = sorted(
        {clusters[rng.randrange(len(clusters))].id for _ in range(rng.choice([0, 1, 1, 2, 3]))}
        - {lead.id}
    )
    has_budget = rng.random() < 0.5
    created = timezone.make_aware(
        datetime.combine(min(start, today) - timedelta(days=rng.randint(5, 60)), time(9))
    )
    values = (
        f"{code_of(number)} · {rng.choice(ACTION_TITLES)}",
        PROSE.text(rng, 1, 3, per=(2, 5)) if rng.random() < 0.9 else "",
        lead.id,
        lead.manager_id if rng.random() < 0.9 else None,
        start,
        due,
        status,
        progress,
        rng.choice([1, 1, 1, 2, 3]),
        Decimal(rng.randrange(5, 500) * 1000) if has_budget else None,
        "EUR",
        rng.choice(FUNDING) if has_budget else "",
        1,
        created,
        created,
    )
    if parent_number is None:
        earlier.append(number)
    return ActionPlan(number, objective_index, parent_number, values, partners)


def _strategy(today: date) -> tuple[Strategy, list[int]]:
    strategy = Strategy.objects.filter(title__startswith=STRATEGY_PREFIX).first()
    if strategy is None:
        strategy = Strategy.objects.create(
            title=f"{STRATEGY_PREFIX} {today.year}–{today.year + 4}",
            vision=PROSE.text(random.Random("vision"), 2, 2),
            start_year=today.year,
            end_year=today.year + 4,
            status=Strategy.Status.ADOPTED,
        )
    objectives = list(strategy.objectives.order_by("order", "id").values_list("id", flat=True))
    if not objectives:
        Objective.objects.bulk_create(
            [
                Objective(
                    strategy=strategy,
                    title=f"{Objective.Theme(theme).label}: {OBJECTIVE_TITLES[i]}",
                    theme=theme,
                    description=PROSE.text(random.Random(f"{theme}{i}"), 1, 1, per=(2, 3)),
                    order=order,
                )
                for order, (theme, i) in enumerate(
                    (theme, i) for theme in THEMES for i in range(OBJECTIVES_PER_THEME)
                )
            ]
        )
        objectives = list(strategy.objectives.order_by("order", "id").values_list("id", flat=True))
    return strategy, objectives


def _existing(strategy: Strategy) -> dict[int, int]:
    """The actions already there: number → id."""
    found = {}
    for pk, title in Action.objects.filter(objective__strategy=strategy).values_list("id", "title"):
        code = title.split(" ", 1)[0]
        if code.startswith(CODE_PREFIX) and code[1:].isdigit():
            found[int(code[1:])] = pk
    return found


def seed_actions(rng: random.Random, count: int, clusters: list[ScaleCluster]) -> int:
    """Actions 1..``count`` of the scale strategy; returns how many were added."""
    if count <= 0 or not clusters:
        return 0
    today = timezone.localdate()
    tops: dict[int, list[int]] = {}
    plans = [plan_action(rng, number, clusters, today, tops) for number in range(1, count + 1)]
    strategy, objective_ids = _strategy(today)
    ids = _existing(strategy)
    new = [plan for plan in plans if plan.number not in ids]
    if not new:
        return 0
    # Parents first, so the sub-actions can point at them.
    for parents in (True, False):
        insert(
            Action,
            ("objective_id", "parent_id", *COLUMNS),
            (
                (
                    objective_ids[plan.objective_index],
                    ids[plan.parent_number] if plan.parent_number else None,
                    *plan.values,
                )
                for plan in new
                if (plan.parent_number is None) == parents
            ),
        )
        ids = _existing(strategy)
    insert(
        Action.partners.through,
        ("action_id", "cluster_id"),
        ((ids[plan.number], cluster_id) for plan in new for cluster_id in plan.partner_ids),
    )
    _roll_up(strategy, {ids[plan.parent_number] for plan in new if plan.parent_number})
    return len(new)


def _roll_up(strategy: Strategy, parent_ids: set[int]) -> None:
    """A parent's progress from its sub-actions, weighted, cancelled ones left out."""
    children: dict[int, list[tuple[int, int]]] = {}
    for parent_id, progress, weight, status in Action.objects.filter(
        parent_id__in=parent_ids
    ).values_list("parent_id", "progress", "weight", "status"):
        if status != AS.CANCELLED:
            children.setdefault(parent_id, []).append((progress, weight))
    parents = list(Action.objects.filter(pk__in=parent_ids))
    for parent in parents:
        rows = children.get(parent.pk, [])
        total = sum(weight for _progress, weight in rows)
        parent.progress = int(sum(p * w for p, w in rows) / total + 0.5) if total else 0
    Action.objects.bulk_update(parents, ["progress"], batch_size=500)


def targets(rng: random.Random, limit: int) -> list[tuple[str, str, str]]:
    rows = list(
        Action.objects.filter(objective__strategy__title__startswith=STRATEGY_PREFIX)
        .order_by("id")
        .values_list("id", "title")
    )
    rows = rng.sample(rows, min(limit, len(rows)))
    return [
        (f"actionplan.action:{pk}", Action(pk=pk).get_absolute_url(), title) for pk, title in rows
    ]
