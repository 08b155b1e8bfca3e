"""Everything /action-plan/ shows, at any size of plan: the figures counted in the
database, and only the lines shown loaded (each objective's first lines, the attention
lists, the timeline's dots)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db import connection
from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q, QuerySet, Window
from django.db.models.functions import Coalesce, RowNumber
from django.urls import reverse
from django.utils import timezone

from clusters.models import Cluster

from .. import charts
from ..filters import ActionFilter
from ..models import Action, ActionQuerySet, Strategy
from . import actions_of, counted_progress, half_up, overdue_actions

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from typing import Any

    from django.http import QueryDict

    from accounts.types import AnyUser


# A plan of thousands of actions: each objective's table shows this many lines (the rest
# through the filters or the CSV export), "Needs attention" this many of each kind and
# the timeline this many dots. The figures and the charts still count every action.
LINES_PER_OBJECTIVE = 15
ATTENTION_MAX = 10
TIMELINE_MAX = 60
# The columns of a line of an objective's table.
LINE_FIELDS = ("objective", "parent", "title", "lead_cluster", "due_date", "status", "progress")


@dataclass(frozen=True)
class PlanLine:
    """One row of an objective's table: a top-level action, or a sub-action right under its
    parent (``sub``). A sub-action whose parent the filters leave out names it (``parent``).
    The link, the lead cluster's name and the status label come with it: hundreds of lines
    would otherwise call ``reverse()`` and ``get_status_display()`` one by one."""

    action: Action
    sub: bool = False
    parent: Action | None = None
    url: str = ""
    lead: str = ""
    status: str = ""


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


@dataclass
class _Figures:
    """The whole plan's figures, from one grouped query: actions per objective, status
    and due state (``with_due_state``, the due filter's and the badges' definition), and
    the progress of the top-level actions that count (not cancelled)."""

    by_status: Counter[str] = field(default_factory=Counter)
    by_due_state: Counter[str] = field(default_factory=Counter)
    by_objective: Counter[int] = field(default_factory=Counter)
    top: int = 0
    progress_sum: Counter[int] = field(default_factory=Counter)
    progress_n: Counter[int] = field(default_factory=Counter)

    def progress(self, objective_id: int | None = None) -> int:
        """Of one objective, or of the whole plan."""
        if objective_id is None:
            return half_up(sum(self.progress_sum.values()), sum(self.progress_n.values()))
        return half_up(self.progress_sum[objective_id], self.progress_n[objective_id])


def _figures(plan: ActionQuerySet, today: date) -> _Figures:
    groups = (
        plan.with_due_state(today)
        .order_by()
        .values(
            "objective_id",
            "status",
            "due_state_db",
            top=ExpressionWrapper(Q(parent__isnull=True), output_field=BooleanField()),
        )
        .annotate(n=Count("pk"), **counted_progress())
    )
    figures = _Figures()
    for group in groups:
        n, objective_id = group["n"], group["objective_id"]
        figures.by_status[group["status"]] += n
        figures.by_due_state[group["due_state_db"]] += n
        figures.by_objective[objective_id] += n
        figures.top += n if group["top"] else 0
        figures.progress_sum[objective_id] += group["progress_sum"]
        figures.progress_n[objective_id] += group["progress_n"]
    return figures


def _first_per(
    queryset: QuerySet[Action], key: str, values: list[int], n: int, *, union: bool
) -> list[Action]:
    """The first ``n`` rows by due date of each ``key`` value. On PostgreSQL, unfiltered, a
    UNION ALL of one LIMIT query per value (each an index scan, not a sort of the whole
    plan); otherwise a row number over the rows that match."""
    ordered = queryset.order_by("due_date", "id")
    if not values:
        return []
    if union and connection.features.supports_slicing_ordering_in_compound:
        parts = [ordered.filter(**{key: value})[:n] for value in values]
        return list(parts[0].union(*parts[1:], all=True)) if len(parts) > 1 else list(parts[0])
    rank = Window(RowNumber(), partition_by=F(key), order_by=[F("due_date"), F("id")])
    return list(ordered.filter(**{f"{key}__in": values}).annotate(rank=rank).filter(rank__lte=n))


def _action_url() -> Callable[[int], str]:
    """An action's address from one ``reverse()`` for all the lines."""
    marker = 987654321
    head, tail = reverse("actionplan:action", kwargs={"pk": marker}).split(str(marker))
    return lambda pk: f"{head}{pk}{tail}"


def _first_lines(
    *,
    filtered: QuerySet[Action] | None,
    objective_ids: list[int],
    today: date,
) -> dict[int, list[PlanLine]]:
    """Each objective's first ``LINES_PER_OBJECTIVE`` lines: each top-level action by due
    date, its sub-actions right under it by due date; with filters (``filtered``), only the
    actions they keep. Sub-actions go one level deep, in their parent's objective
    (``Action.clean``): a top-level action yields a line if it or one of its sub-actions is
    shown, so the first ``LINES_PER_OBJECTIVE`` of them and their sub-actions are enough."""
    n = LINES_PER_OBJECTIVE
    tops = Action.objects.filter(parent__isnull=True)
    subs = Action.objects.with_due_state(today)
    if filtered is not None:
        tops = tops.filter(pk__in=filtered.order_by().values(top=Coalesce("parent_id", "id")))
        subs = filtered.select_related(None)
    tops = tops.with_due_state(today).only(*LINE_FIELDS)
    anchors = _first_per(tops, "objective_id", objective_ids, n, union=filtered is None)
    ids = [a.pk for a in anchors]
    children = defaultdict(list)
    for child in _first_per(subs.only(*LINE_FIELDS), "parent_id", ids, n, union=False):
        children[child.parent_id].append(child)
    shown = set(ids)
    if filtered is not None:
        shown = set(filtered.filter(pk__in=ids).values_list("pk", flat=True))
    anchors.sort(key=lambda a: (a.due_date, a.pk))
    tree: dict[int, list[tuple[Action, Action | None]]] = defaultdict(list)
    for anchor in anchors:
        own = tree[anchor.objective_id]
        if anchor.pk in shown:
            own.append((anchor, None))
        own.extend((child, anchor) for child in children[anchor.pk])
    return _as_lines({pk: own[:n] for pk, own in tree.items()}, shown)


def _as_lines(
    tree: dict[int, list[tuple[Action, Action | None]]], shown: set[int]
) -> dict[int, list[PlanLine]]:
    """(action, its parent or None) → lines, with their links, lead clusters (one query)
    and status labels."""
    leads = {a.lead_cluster_id for own in tree.values() for a, _ in own}
    names = dict(Cluster.objects.filter(pk__in=leads).values_list("pk", "name"))
    statuses = {value: str(label) for value, label in Action.Status.choices}
    url = _action_url()
    return {
        objective_id: [
            PlanLine(
                action,
                sub=parent is not None,
                parent=parent if parent is not None and parent.pk not in shown else None,
                url=url(action.pk),
                lead=names[action.lead_cluster_id],
                status=statuses[action.status],
            )
            for action, parent in own
        ]
        for objective_id, own in tree.items()
    }


def dashboard(
    *,
    strategy: Strategy,
    data: QueryDict | Mapping[str, Any] | None = None,
    user: AnyUser | None = None,
) -> dict[str, Any]:
    """Everything /action-plan/ shows. The figures, the charts and each objective's progress
    are the whole plan's whatever the filters; the filters narrow the tables only. The
    figures are counted in the database and only the lines shown are loaded: a constant
    number of queries and of rows, whatever the size of the plan."""
    filterset, filtered = actions_of(strategy=strategy, data=data, user=user)
    in_use = _filters_in_use(filterset)
    today = timezone.localdate()
    objectives = list(strategy.objectives.all())
    plan = Action.objects.filter(objective__in=[o.pk for o in objectives])
    figures = _figures(plan, today)
    matching = figures.by_objective
    if in_use:
        matching = Counter(
            dict(filtered.order_by().values_list("objective_id").annotate(n=Count("pk")))
        )
    lines = _first_lines(
        filtered=filtered if in_use else None,
        objective_ids=[o.pk for o in objectives],
        today=today,
    )
    rows: list[dict[str, Any]] = []
    for objective in objectives:
        own = lines.get(objective.pk, [])
        rows.append(
            {
                "objective": objective,
                "lines": own,
                "more": max(matching[objective.pk] - LINES_PER_OBJECTIVE, 0),
                "matching": matching[objective.pk],
                "actions": [line.action for line in own],
                "progress": figures.progress(objective.pk),
            }
        )
    labels = dict(Action.Status.choices)
    start = date(strategy.start_year, 1, 1)
    end = date(strategy.end_year, 12, 31)
    overdue = overdue_actions(strategy=strategy, today=today)
    due_soon = plan.due_soon(today).only("title", "due_date").order_by("due_date", "id")
    return {
        "filter": filterset,
        "filters_in_use": in_use,
        "shown": sum(r["matching"] for r in rows),
        "objectives": rows,
        "overall": figures.progress(),
        "counts": [(labels[s], figures.by_status.get(s, 0), s) for s in labels],
        "total": figures.by_status.total(),
        "overdue": list(overdue[:ATTENTION_MAX]),
        "overdue_count": figures.by_due_state[Action.DueState.OVERDUE],
        "due_soon": list(due_soon[:ATTENTION_MAX]),
        "due_soon_count": figures.by_due_state[Action.DueState.DUE_SOON],
        "progress_chart": charts.bars([(r["objective"].title, r["progress"]) for r in rows]),
        "status_chart": charts.status_bar(figures.by_status, labels),
        "timeline": charts.timeline(
            _timeline_items(plan, today, top=figures.top),
            start=min(start, today - timedelta(days=30)),
            end=end,
        ),
        "today": today,
    }


def _timeline_items(plan: ActionQuerySet, today: date, *, top: int) -> list[tuple[str, date, str]]:
    """The top-level actions' due dates; a plan of thousands shows the open ones due next
    (``TIMELINE_MAX`` of them: more dots would only cover one another)."""
    items = plan.filter(parent__isnull=True)
    if top > TIMELINE_MAX:
        items = items.open().filter(due_date__gte=today)
    items = items.with_due_state(today).order_by("due_date", "id")
    return list(items.values_list("title", "due_date", "due_state_db")[:TIMELINE_MAX])
