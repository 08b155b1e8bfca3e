"""The plan counts its figures in the database and loads only the lines it shows: each
objective's first lines (the sub-actions under their parent), the attention lists and the
timeline, whatever the size of the plan."""

from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from actionplan.models import Action
from actionplan.selectors.plan import ATTENTION_MAX, LINES_PER_OBJECTIVE, TIMELINE_MAX
from tests.factories import ClusterFactory

from .conftest import ActionFactory, ObjectiveFactory

pytestmark = pytest.mark.django_db

PLAN = reverse("actionplan:plan")


def days(n):
    return timezone.localdate() + timedelta(days=n)


def _actions(objective, count, *, lead, parent=None, first_due=1, **fields):
    Action.objects.bulk_create(
        Action(
            objective=objective,
            parent=parent,
            title=f"{objective.title} {'sub ' if parent else ''}{n:03}",
            lead_cluster=lead,
            start_date=days(-400),
            due_date=days(first_due + n),
            **fields,
        )
        for n in range(count)
    )


def _plan(strategy, *, objectives, per_objective):
    """``objectives`` objectives of ``per_objective`` top-level actions, each of the first
    three with two sub-actions; a third of them closed."""
    lead = ClusterFactory()
    for n in range(objectives):
        objective = ObjectiveFactory(strategy=strategy, title=f"O{n}")
        _actions(objective, per_objective, lead=lead)
        _actions(objective, per_objective // 3, lead=lead, first_due=-30, status="completed")
        for parent in Action.objects.filter(objective=objective).order_by("due_date")[:3]:
            _actions(objective, 2, lead=lead, parent=parent, first_due=200)


def lines(response):
    return [line for row in response.context["objectives"] for line in row["lines"]]


@pytest.mark.parametrize("filters", [{}, {"status": "planned"}])
def test_the_plan_loads_only_the_actions_it_shows(client, strategy, filters):
    _plan(strategy, objectives=3, per_objective=60)
    built = []
    from_db = Action.from_db

    def counted(cls, *args, **kwargs):
        built.append(1)
        return from_db(*args, **kwargs)

    with mock.patch.object(Action, "from_db", classmethod(counted)):
        response = client.get(PLAN, filters)

    assert response.context["total"] == 3 * (60 + 20 + 6)
    assert len(lines(response)) == 3 * LINES_PER_OBJECTIVE
    # The lines, their parents and children, the attention lists: not the plan's 258.
    assert len(built) <= 3 * 2 * LINES_PER_OBJECTIVE + 2 * ATTENTION_MAX


def test_the_plans_queries_do_not_grow_with_its_objectives_and_sub_actions(
    client, strategy, django_assert_max_num_queries, django_assert_num_queries
):
    _plan(strategy, objectives=1, per_objective=4)
    with django_assert_max_num_queries(10) as small:
        client.get(PLAN)
    _plan(strategy, objectives=4, per_objective=40)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(PLAN)

    assert len(response.context["objectives"]) == 5


def test_the_figures_count_the_whole_plan(client, strategy):
    _plan(strategy, objectives=2, per_objective=30)
    objective = ObjectiveFactory(strategy=strategy, title="Late")
    ActionFactory(objective=objective, due_date=days(-3), progress=40)  # overdue
    ActionFactory(objective=objective, due_date=days(14), progress=61)  # due soon
    ActionFactory(objective=objective, due_date=days(3), status="cancelled", progress=99)

    context = client.get(PLAN).context

    assert context["total"] == 2 * (30 + 10 + 6) + 3
    counts = {status: n for _, n, status in context["counts"]}
    assert counts == {
        "planned": 2 * (30 + 6),
        "in_progress": 2,
        "completed": 2 * 10,
        "delayed": 0,
        "cancelled": 1,
    }
    assert context["overdue_count"] == 1
    assert [a.due_date for a in context["overdue"]] == [days(-3)]
    assert context["due_soon_count"] == 2 * 14 + 1  # due today to in 14 days, still open
    assert len(context["due_soon"]) == ATTENTION_MAX
    progress = {r["objective"].title: r["progress"] for r in context["objectives"]}
    assert progress["Late"] == 51  # (40 + 61) / 2, half up; the cancelled one does not count


def test_a_parent_with_many_sub_actions_fills_its_objectives_first_lines(client, objective):
    lead = ClusterFactory(name="Lead")
    _actions(objective, 3, lead=lead)
    parent = Action.objects.filter(objective=objective).order_by("due_date").first()
    _actions(objective, LINES_PER_OBJECTIVE + 5, lead=lead, parent=parent, first_due=100)

    response = client.get(PLAN)
    row = response.context["objectives"][0]

    assert [(line.action.pk == parent.pk, line.sub) for line in row["lines"][:2]] == [
        (True, False),
        (False, True),
    ]
    assert all(line.sub for line in row["lines"][1:])
    assert len(row["lines"]) == LINES_PER_OBJECTIVE
    assert row["matching"] == 3 + LINES_PER_OBJECTIVE + 5
    assert row["more"] == 3 + 5


def test_a_line_links_its_action_and_names_its_lead_status_and_due_state(client, objective):
    lead = ClusterFactory(name="Energy Coast")
    parent = ActionFactory(objective=objective, title="Parent", lead_cluster=lead)
    ActionFactory(
        objective=objective,
        parent=parent,
        title="Late part",
        lead_cluster=lead,
        status="delayed",
        due_date=days(-2),
    )

    response = client.get(PLAN)
    sub = lines(response)[1]

    assert sub.url == sub.action.get_absolute_url()
    assert (sub.lead, sub.status, sub.sub) == ("Energy Coast", "Delayed", True)
    row = response.text.split('class="sub-action"')[1].split("</tr>")[0]
    assert "Late part" in row
    assert "Energy Coast" in row
    assert "Delayed" in row
    assert 'class="badge badge-rejected">overdue' in row  # a sub-action's due badge too


def test_a_filtered_list_keeps_the_tree_across_objectives(client, strategy):
    lead = ClusterFactory(name="Lead")
    first = ObjectiveFactory(strategy=strategy, title="First")
    second = ObjectiveFactory(strategy=strategy, title="Second")
    _actions(first, 20, lead=lead, status="planned")
    parent = ActionFactory(objective=second, title="Hidden parent", due_date=days(1))
    _actions(second, 3, lead=lead, parent=parent, first_due=50, status="delayed")

    response = client.get(PLAN, {"status": "delayed"})
    rows = {r["objective"].title: r for r in response.context["objectives"]}

    assert rows["First"]["lines"] == []
    assert [(line.sub, line.parent) for line in rows["Second"]["lines"]] == [(True, parent)] * 3
    assert "(part of Hidden parent)" in response.text
    assert response.context["shown"] == 3


def test_the_timeline_of_a_long_plan_shows_the_open_actions_due_next(client, objective):
    lead = ClusterFactory(name="Lead")
    _actions(objective, TIMELINE_MAX + 5, lead=lead, first_due=-10)
    Action.objects.filter(title__endswith="015").update(status="completed")

    points = client.get(PLAN).context["timeline"]["points"]

    due = [p["date"] for p in points]
    assert len(points) == TIMELINE_MAX + 5 - 10 - 1  # due from today on, not the closed one
    assert due == sorted(due)
    assert due[0] == days(0)
    assert days(5) not in due
