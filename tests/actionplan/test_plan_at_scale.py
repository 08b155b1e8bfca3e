"""The plan stays small and its queries constant with thousands of actions; its lead
cluster and owner filters are typed, not picked from a select."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from actionplan.models import Action
from actionplan.selectors.plan import ATTENTION_MAX, LINES_PER_OBJECTIVE
from core.typed_choice import AMBIGUOUS
from tests.factories import ClusterFactory

from .conftest import ObjectiveFactory
from .test_views import titles, varied  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db

PLAN = reverse("actionplan:plan")


def _many(strategy, count):
    """``count`` overdue actions in one objective, each led by its own cluster."""
    objective = ObjectiveFactory(strategy=strategy, theme="energy")
    today = timezone.localdate()
    clusters = [ClusterFactory(name=f"Lead {n:03}") for n in range(count)]
    Action.objects.bulk_create(
        Action(
            objective=objective,
            title=f"Action {n:03}",
            lead_cluster=clusters[n],
            start_date=today - timedelta(days=60),
            due_date=today - timedelta(days=1 + n),
        )
        for n in range(count)
    )


@pytest.mark.parametrize("count", [3, LINES_PER_OBJECTIVE + 15])
def test_the_plans_queries_do_not_grow_with_its_actions(
    count, client, strategy, django_assert_max_num_queries
):
    _many(strategy, count)

    with django_assert_max_num_queries(12):
        response = client.get(PLAN)
    with django_assert_max_num_queries(14):
        filtered = client.get(PLAN, {"lead": "Lead 001", "due": "overdue"})

    assert len(titles(response)) == min(count, LINES_PER_OBJECTIVE)
    assert titles(filtered) == ["Action 001"]


def test_a_long_plan_shows_the_first_lines_and_says_how_many_match(client, strategy):
    _many(strategy, LINES_PER_OBJECTIVE + 15)

    response = client.get(PLAN)
    html = response.content.decode()

    assert response.context["total"] == LINES_PER_OBJECTIVE + 15
    assert f"{LINES_PER_OBJECTIVE} of {LINES_PER_OBJECTIVE + 15} actions shown" in html
    assert len(response.context["overdue"]) == ATTENTION_MAX
    assert response.context["overdue_count"] == LINES_PER_OBJECTIVE + 15
    assert re.search(rf"<dd[^>]*>{LINES_PER_OBJECTIVE + 15}</dd>", html)  # the overdue figure
    assert not re.search(r'<select[^>]*name="(lead|owner)"', html)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"lead": "Energy Coast"}, {"Buses", "Grid"}),
        ({"lead": "energy"}, {"Buses", "Grid"}),  # the start of the name
        ({"lead": "MV"}, {"Bikes", "Solar"}),  # the acronym
        ({"owner": "Olga Owner"}, {"Bikes"}),
        ({"owner": "olga"}, {"Bikes"}),
    ],
)
def test_the_lead_and_owner_are_typed(client, varied, query, expected):  # noqa: F811
    response = client.get(PLAN, query)

    assert response.status_code == 200
    assert set(titles(response)) == expected


def test_an_ambiguous_lead_cluster_lists_the_matches(client, varied, strategy):  # noqa: F811
    ClusterFactory(name="Energy Cove")  # leads no action: not offered
    energy_valley = ClusterFactory(name="Energy Valley", slug="energy-valley")
    ObjectiveFactory(strategy=strategy)
    Action.objects.filter(title="Solar").update(lead_cluster=energy_valley)

    response = client.get(PLAN, {"lead": "Energy"})

    assert titles(response) == []
    assert AMBIGUOUS % {
        "value": "Energy",
        "matches": "“Energy Coast”, “Energy Valley”",
    } in response.content.decode().replace("&ldquo;", "“").replace("&rdquo;", "”")
