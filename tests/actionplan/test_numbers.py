"""Numbers that agree: one definition of "overdue" on every page; the plan's tree and
progress stay true when the list is filtered; the "Mine" filter."""

import html
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from actionplan.models import Action
from actionplan.notifications import OVERDUE
from notifications.models import Notification
from notifications.reminders import run
from tests.factories import MembershipFactory, UserFactory

from .conftest import ActionFactory, ObjectiveFactory, StrategyFactory

PLAN = reverse("actionplan:plan")
HOME = reverse("home")
WORK = reverse("dashboard")


def days(n):
    return timezone.localdate() + timedelta(days=n)


def text(response) -> str:
    return " ".join(html.unescape(response.text).split())


def titles(response):
    return [line.action.title for row in response.context["objectives"] for line in row["lines"]]


def home_overdue(client) -> int:
    page = client.get(HOME).text
    found = re.search(r"(\d+) actions? overdue", page)
    return int(found.group(1)) if found else 0


def plan_overdue(client) -> int:
    page = client.get(PLAN).text
    found = re.search(r"<dt>Overdue</dt>\s*<dd[^>]*>(\d+)</dd>", page)
    assert found, "the plan shows its overdue figure"
    return int(found.group(1))


@pytest.fixture
def edge_cases(strategy, cluster, owner):
    """Every case the two pages used to count differently: 4 overdue out of 9."""
    objective = ObjectiveFactory(strategy=strategy, title="Edges")
    make = lambda title, due, **kw: ActionFactory(  # noqa: E731
        objective=objective, title=title, lead_cluster=cluster, due_date=due, **kw
    )
    parent = make("Parent on track", days(90))
    late_parent = make("Parent overdue", days(-10))
    cancelled_parent = make("Parent cancelled", days(-40), status="cancelled")
    return {
        "overdue": [
            late_parent,
            make("Sub-action overdue", days(-3), parent=parent),
            make("Delayed and late", days(-1), status="delayed", owner=owner),
            make("Planned and late", days(-20), status="planned"),
        ],
        "not": [
            parent,
            cancelled_parent,
            make("Due today", days(0)),
            make("Done late", days(-5), status="completed"),
            make("Cancelled sub-action", days(-2), status="cancelled", parent=late_parent),
            make("Sub-action on track", days(30), parent=late_parent),
        ],
    }


def test_home_and_plan_count_the_same_overdue_actions(client, edge_cases):
    expected = len(edge_cases["overdue"])
    # The context first: the next visits of the plan come from the page cache.
    listed = client.get(PLAN).context["overdue"]
    assert {a.title for a in listed} == {a.title for a in edge_cases["overdue"]}
    assert plan_overdue(client) == expected
    assert home_overdue(client) == expected


def test_the_secretariat_sees_the_same_strategy_and_count_on_both_pages(
    login, edge_cases, secretariat, cluster
):
    draft = StrategyFactory(start_year=2031, end_year=2035, status="draft")
    ActionFactory(
        objective=ObjectiveFactory(strategy=draft), lead_cluster=cluster, due_date=days(-1)
    )
    client = login(secretariat)
    assert client.get(PLAN).context["strategy"] == draft
    assert plan_overdue(client) == home_overdue(client) == 1


def test_the_secretariats_work_block_counts_what_the_plan_counts(login, edge_cases, secretariat):
    client = login(secretariat)
    page = client.get(WORK).text
    block = page[page.index('id="work-actionplan-overdue"') :]
    count = int(re.search(r"count-badge[^>]*>(\d+)<", block).group(1))
    assert count == plan_overdue(client) == len(edge_cases["overdue"])
    # Most overdue first, and the link opens the plan filtered on them.
    listed = re.findall(r'<a href="/action-plan/actions/\d+/">([^<]+)</a>', block)
    assert listed[:2] == ["Planned and late", "Parent overdue"]
    assert f'href="{PLAN}?plan=adopted&amp;due=overdue"' in block
    assert set(titles(client.get(PLAN, {"due": "overdue"}))) == {
        a.title for a in edge_cases["overdue"]
    }


def test_drafting_the_next_plan_keeps_the_running_plans_overdue_queue(
    login, edge_cases, secretariat, cluster
):
    # The secretariat's plan page and home page follow a newer draft; its overdue queue
    # stays on the adopted plan, the one the reminders follow, and its link opens that plan.
    draft = StrategyFactory(start_year=2031, end_year=2035, status="draft")
    ActionFactory(
        objective=ObjectiveFactory(strategy=draft), lead_cluster=cluster, due_date=days(-1)
    )
    client = login(secretariat)
    page = client.get(WORK).text
    block = page[page.index('id="work-actionplan-overdue"') :]
    count = int(re.search(r"count-badge[^>]*>(\d+)<", block).group(1))
    assert count == len(edge_cases["overdue"])
    linked = client.get(PLAN, {"plan": "adopted", "due": "overdue"})
    assert linked.context["strategy"].status == "adopted"
    assert len(titles(linked)) == count
    assert client.get(PLAN).context["strategy"] == draft


def test_the_weekly_overdue_reminder_uses_the_same_definition(edge_cases, owner, manager):
    run(OVERDUE.name)
    reminded = Notification.objects.filter(kind=OVERDUE.name, recipient=manager)
    assert {n.link for n in reminded} == {a.get_absolute_url() for a in edge_cases["overdue"]}


# --- the tree and the progress under filters -------------------------------------------


def test_sub_actions_stay_under_their_parent_when_sorted_by_date(client, objective, cluster):
    late = ActionFactory(objective=objective, title="A late parent", due_date=days(100))
    ActionFactory(objective=objective, title="A1 early child", due_date=days(10), parent=late)
    early = ActionFactory(objective=objective, title="B early parent", due_date=days(50))
    ActionFactory(objective=objective, title="B1 child", due_date=days(60), parent=early)
    ActionFactory(objective=objective, title="B2 child", due_date=days(20), parent=early)
    response = client.get(PLAN)
    assert titles(response) == [
        "B early parent",
        "B2 child",
        "B1 child",
        "A late parent",
        "A1 early child",
    ]
    subs = [line.sub for row in response.context["objectives"] for line in row["lines"]]
    assert subs == [False, True, True, False, True]


def test_filtering_keeps_each_objectives_progress_and_says_the_list_is_filtered(
    client, strategy, cluster, owner
):
    mobility = ObjectiveFactory(strategy=strategy, title="Mobility")
    energy = ObjectiveFactory(strategy=strategy, title="Energy")
    ActionFactory(objective=mobility, owner=owner, progress=40)
    ActionFactory(objective=mobility, progress=80)
    ActionFactory(objective=energy, progress=30)
    ActionFactory(objective=energy, progress=50, status="cancelled")  # does not count
    unfiltered = client.get(PLAN)
    response = client.get(PLAN, {"owner": owner.pk})
    progress = {r["objective"].title: r["progress"] for r in response.context["objectives"]}
    assert progress == {"Mobility": 60, "Energy": 30}
    assert response.context["overall"] == unfiltered.context["overall"] == 50
    assert "Filtered list (Owner): 1 of the plan's 4 actions shown." in text(response)
    assert "Clear the filters and show every action" in response.text
    assert "Filtered list" not in unfiltered.text


def test_a_sub_action_shown_without_its_parent_names_it(client, objective, owner):
    parent = ActionFactory(objective=objective, title="The big pilot")
    ActionFactory(objective=objective, title="My part", parent=parent, owner=owner)
    response = client.get(PLAN, {"owner": owner.pk})
    assert titles(response) == ["My part"]
    assert "(part of The big pilot)" in response.text


# --- "Mine" ----------------------------------------------------------------------------


@pytest.fixture
def people_and_actions(strategy, cluster, other_cluster, owner, manager, staff_member):
    objective = ObjectiveFactory(strategy=strategy)
    ActionFactory(objective=objective, title="Owned", owner=owner, lead_cluster=other_cluster)
    ActionFactory(objective=objective, title="Led by my cluster", lead_cluster=cluster)
    ActionFactory(
        objective=objective, title="Staffer owns", owner=staff_member, lead_cluster=cluster
    )
    ActionFactory(objective=objective, title="Someone else's", lead_cluster=other_cluster)


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("owner", {"Owned"}),
        # A manager answers for every action their cluster leads (they report its progress
        # and get its reminders), whoever owns it.
        ("manager", {"Led by my cluster", "Staffer owns"}),
        # Staff of the lead cluster only for what they own.
        ("staff_member", {"Staffer owns"}),
        ("member", set()),
    ],
)
def test_mine_shows_the_actions_the_person_answers_for(
    request, login, people_and_actions, who, expected
):
    response = login(request.getfixturevalue(who)).get(PLAN, {"mine": "on"})
    assert set(titles(response)) == expected
    assert "Filtered list (Only mine)" in response.text


def test_visitors_get_no_mine_filter_and_see_every_action(client, people_and_actions):
    response = client.get(PLAN, {"mine": "on"})
    assert 'name="mine"' not in response.text
    assert len(titles(response)) == 4


def test_mine_is_the_same_set_the_person_may_update(people_and_actions, manager):
    from actionplan.permissions import can_update_action

    mine = set(Action.objects.of_person(manager))
    assert mine == {a for a in Action.objects.all() if can_update_action(manager, a)}


# --- the person's "Your work" block -----------------------------------------------------


def work_block(client, name):
    page = client.get(WORK).text
    marker = f'id="work-{name}"'
    if marker not in page:
        return None
    start = page.index(marker)
    return page[start : page.index("</section>", start)]


def test_a_manager_sees_their_actions_due_most_overdue_first(login, strategy, cluster, manager):
    objective = ObjectiveFactory(strategy=strategy)
    make = lambda title, due, **kw: ActionFactory(  # noqa: E731
        objective=objective, title=title, lead_cluster=cluster, due_date=due, **kw
    )
    make("Due in a week", days(7))
    make("Late a month", days(-30))
    make("Late a day", days(-1))
    make("Due next year", days(365))
    make("Done", days(-3), status="completed")
    ActionFactory(objective=objective, title="Not mine", due_date=days(-9))
    block = work_block(login(manager), "actionplan-mine")
    listed = re.findall(r'<a href="/action-plan/actions/\d+/">([^<]+)</a>', block)
    assert listed == ["Late a month", "Late a day", "Due in a week"]
    assert re.search(r"count-badge[^>]*>3<", block)
    assert f'href="{PLAN}?plan=adopted&amp;mine=on"' in block
    assert "overdue since" in block


def test_a_person_with_no_action_has_no_plan_block(login, strategy, member, cluster):
    ActionFactory(objective=ObjectiveFactory(strategy=strategy), lead_cluster=cluster)
    assert work_block(login(member), "actionplan-mine") is None
    assert work_block(login(member), "actionplan-overdue") is None


def test_a_person_whose_actions_are_far_off_is_told_nothing_is_due(login, strategy, owner):
    ActionFactory(objective=ObjectiveFactory(strategy=strategy), owner=owner, due_date=days(90))
    block = work_block(login(owner), "actionplan-mine")
    assert "None of your actions is overdue or due in the next 14 days." in block


def test_the_plan_blocks_queries_do_not_grow(
    login, strategy, cluster, manager, secretariat, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    objective = ObjectiveFactory(strategy=strategy)
    MembershipFactory(cluster=cluster, user=secretariat)  # the secretariat gets both blocks

    def add(n):
        for _ in range(n):
            ActionFactory(
                objective=objective, lead_cluster=cluster, owner=UserFactory(), due_date=days(-2)
            )

    add(2)
    client = login(secretariat)
    with CaptureQueriesContext(connection) as few:
        client.get(WORK)
    add(12)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(WORK).text
    assert 'id="work-actionplan-overdue"' in page
    assert 'id="work-actionplan-mine"' in page
