from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from actionplan.models import Action, ActionFollow, ProgressUpdate
from actionplan.services import STALE_EDIT
from core.models import AuditEvent
from tests.factories import ClusterFactory, UserFactory

from .conftest import ActionFactory, ObjectiveFactory

PLAN = reverse("actionplan:plan")


def update_url(action):
    return reverse("actionplan:action_update", args=[action.pk])


def edit_url(action):
    return reverse("actionplan:action_edit", args=[action.pk])


def titles(response):
    return [a.title for row in response.context["objectives"] for a in row["actions"]]


# --- the plan page ---------------------------------------------------------------------


def test_visitors_see_the_adopted_strategy(client, action, draft_action):
    response = client.get(PLAN)
    assert response.status_code == 200
    assert response.context["strategy"] == action.objective.strategy
    assert titles(response) == ["Shared e-bike pilots"]
    assert "Secret future action" not in response.text


def test_only_the_secretariat_sees_a_draft_strategy(client, login, draft_action, member):
    response = client.get(PLAN)
    assert response.status_code == 200
    assert response.context["strategy"] is None
    assert "has not adopted a strategy yet" in response.text
    assert "Secret future action" not in login(member).get(PLAN).text


def test_the_secretariat_sees_the_draft_strategy(login, draft_action, secretariat):
    response = login(secretariat).get(PLAN)
    assert response.context["strategy"] == draft_action.objective.strategy
    assert "Secret future action" in response.text


@pytest.fixture
def varied(strategy, cluster, other_cluster, owner):
    """Four actions that differ in theme, lead cluster, status, owner and due date."""
    today = timezone.localdate()
    mobility = ObjectiveFactory(strategy=strategy, theme="mobility")
    energy = ObjectiveFactory(strategy=strategy, theme="energy")
    return {
        "bikes": ActionFactory(
            objective=mobility,
            title="Bikes",
            lead_cluster=cluster,
            owner=owner,
            due_date=today - timedelta(days=2),
        ),
        "buses": ActionFactory(
            objective=mobility,
            title="Buses",
            lead_cluster=other_cluster,
            status="delayed",
            due_date=today + timedelta(days=5),
        ),
        "grid": ActionFactory(
            objective=energy,
            title="Grid",
            lead_cluster=other_cluster,
            status="completed",
            due_date=today - timedelta(days=9),
        ),
        "solar": ActionFactory(
            objective=energy, title="Solar", lead_cluster=cluster, status="planned"
        ),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, {"Bikes", "Buses", "Grid", "Solar"}),
        ({"theme": "energy"}, {"Grid", "Solar"}),
        ({"lead": "energy-coast"}, {"Buses", "Grid"}),
        ({"status": "delayed"}, {"Buses"}),
        ({"due": "overdue"}, {"Bikes"}),
        ({"due": "due_soon"}, {"Buses"}),
        ({"due": "closed"}, {"Grid"}),
        ({"due": "on_track"}, {"Solar"}),
        ({"theme": "mobility", "lead": "mobility-valley"}, {"Bikes"}),
    ],
)
def test_filters_narrow_the_plan(client, varied, query, expected):
    response = client.get(PLAN, query)
    assert response.status_code == 200
    assert set(titles(response)) == expected


def test_owner_filter_narrows_the_plan(client, varied, owner):
    response = client.get(PLAN, {"owner": owner.pk})
    assert titles(response) == ["Bikes"]


def test_invalid_filter_shows_no_actions(client, varied):
    response = client.get(PLAN, {"status": "lost"})
    assert response.status_code == 200
    assert titles(response) == []


def _make_actions(strategy, count):
    objectives = [ObjectiveFactory(strategy=strategy) for _ in range(3)]
    for n in range(count):
        owner = UserFactory()
        action = ActionFactory(
            objective=objectives[n % 3],
            owner=owner,
            lead_cluster=ClusterFactory(),
        )
        action.partners.set([ClusterFactory()])


def test_plan_queries_do_not_grow_with_the_actions(
    client, strategy, django_assert_max_num_queries, django_assert_num_queries
):
    _make_actions(strategy, 5)
    with django_assert_max_num_queries(50) as small:
        client.get(PLAN)
    _make_actions(strategy, 25)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(PLAN)
    assert response.context["total"] == 30


# --- the action page -------------------------------------------------------------------


def test_visitors_see_an_adopted_action(client, action):
    response = client.get(action.get_absolute_url())
    assert response.status_code == 200
    assert "Shared e-bike pilots" in response.text


def test_draft_actions_are_hidden_except_for_the_secretariat(client, login, draft_action, member):
    url = draft_action.get_absolute_url()
    assert client.get(url).status_code == 404
    assert login(member).get(url).status_code == 404
    assert login(member).get(update_url(draft_action)).status_code == 404


def test_the_secretariat_sees_a_draft_action(login, draft_action, secretariat):
    assert login(secretariat).get(draft_action.get_absolute_url()).status_code == 200


def test_unknown_action_is_404(client, db):
    assert client.get(reverse("actionplan:action", args=[999999])).status_code == 404


# --- progress updates ------------------------------------------------------------------


def _form(action, **overrides):
    data = {"version": action.version, "progress": 55, "status": "delayed", "text": "Slower."}
    data.update(overrides)
    return data


@pytest.mark.parametrize("who", ["owner", "manager", "secretariat"])
def test_responsible_people_post_progress(request, login, action, who):
    client = login(request.getfixturevalue(who))
    assert client.get(update_url(action)).status_code == 200
    response = client.post(update_url(action), _form(action))
    assert response.status_code == 302
    assert response["Location"] == action.get_absolute_url()
    action.refresh_from_db()
    assert (action.progress, action.status) == (55, "delayed")
    assert ProgressUpdate.objects.get().text == "Slower."


@pytest.mark.parametrize("who", ["member", "other_manager", "staff_member"])
def test_others_may_not_post_progress(request, login, action, who):
    client = login(request.getfixturevalue(who))
    assert client.get(update_url(action)).status_code == 403
    assert client.post(update_url(action), _form(action)).status_code == 403
    action.refresh_from_db()
    assert action.progress == 0
    assert not ProgressUpdate.objects.exists()


def test_visitors_are_sent_to_log_in(client, action):
    for response in (client.get(update_url(action)), client.post(update_url(action), {})):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    assert not ProgressUpdate.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"progress": "150"}, "progress"),
        ({"progress": "-5"}, "progress"),
        ({"progress": "lots"}, "progress"),
        ({"status": "lost"}, "status"),
        ({"text": ""}, "text"),
        ({"version": "x"}, "version"),
    ],
)
def test_bad_progress_input_is_refused(login, action, owner, overrides, field):
    response = login(owner).post(update_url(action), _form(action, **overrides))
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    action.refresh_from_db()
    assert (action.progress, action.status, action.version) == (0, "in_progress", 1)
    assert not ProgressUpdate.objects.exists()


def test_stale_version_is_refused_and_shown(login, action, owner, manager):
    stale = _form(action, progress=90, text="Mine.")
    assert login(manager).post(update_url(action), _form(action, text="Theirs.")).status_code == 302
    response = login(owner).post(update_url(action), stale)
    assert response.status_code == 400
    assert str(STALE_EDIT) in response.context["form"].non_field_errors()
    action.refresh_from_db()
    assert (action.progress, action.version) == (55, 2)
    assert list(ProgressUpdate.objects.values_list("text", flat=True)) == ["Theirs."]


def test_parent_progress_error_is_shown_on_the_field(login, action, owner, objective):
    ActionFactory(objective=objective, parent=action)
    response = login(owner).post(update_url(action), _form(action, progress=70))
    assert response.status_code == 400
    assert response.context["form"].errors["progress"]
    assert not ProgressUpdate.objects.exists()


# --- new and edit ----------------------------------------------------------------------


def _action_data(action=None, **overrides):
    data = {
        "objective": action.objective_id if action else "",
        "title": "Shared e-bike pilots",
        "description": "",
        # Typed, not chosen from lists (core.typed_choice): a name and an e-mail.
        "lead_cluster": action.lead_cluster.name if action else "",
        "owner": action.owner.email if action and action.owner else "",
        "parent": "",
        "weight": 1,
        "start_date": "2026-01-01",
        "due_date": "2027-06-30",
        "status": "in_progress",
        "budget_amount": "",
        "budget_currency": "EUR",
        "funding_source": "",
        "version": action.version if action else "",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("who", ["manager", "owner", "member"])
def test_only_the_secretariat_creates_and_edits_actions(request, login, action, who):
    client = login(request.getfixturevalue(who))
    new = reverse("actionplan:action_new")
    assert client.get(new).status_code == 403
    assert client.post(new, _action_data(action, title="Sneaky")).status_code == 403
    assert client.get(edit_url(action)).status_code == 403
    assert client.post(edit_url(action), _action_data(action, title="Sneaky")).status_code == 403
    assert not Action.objects.filter(title="Sneaky").exists()


def test_the_secretariat_creates_an_action(login, action, secretariat, other_cluster):
    client = login(secretariat)
    assert client.get(reverse("actionplan:action_new")).status_code == 200
    data = _action_data(action, title="Car sharing", partners=other_cluster.name)
    response = client.post(reverse("actionplan:action_new"), data)
    created = Action.objects.get(title="Car sharing")
    assert response.status_code == 302
    assert list(created.partners.all()) == [other_cluster]
    assert AuditEvent.objects.filter(verb="action.create", object_id=str(created.pk)).exists()


def test_the_secretariat_edits_an_action(login, action, secretariat):
    client = login(secretariat)
    assert client.get(edit_url(action)).status_code == 200
    response = client.post(edit_url(action), _action_data(action, title="E-bikes for all"))
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.title, action.version) == ("E-bikes for all", 2)


def test_editing_a_stale_version_is_refused(login, action, secretariat):
    data = _action_data(action, title="Late edit")
    Action.objects.filter(pk=action.pk).update(version=2)
    response = login(secretariat).post(edit_url(action), data)
    assert response.status_code == 400
    assert str(STALE_EDIT) in response.context["form"].non_field_errors()
    action.refresh_from_db()
    assert action.title == "Shared e-bike pilots"


def test_due_before_start_is_refused_in_the_form(login, action, secretariat):
    data = _action_data(action, start_date="2027-01-01", due_date="2026-01-01")
    response = login(secretariat).post(edit_url(action), data)
    assert response.status_code == 400
    assert response.context["form"].errors["due_date"]


# --- follow ----------------------------------------------------------------------------


def test_follow_and_unfollow(login, action, member):
    client = login(member)
    url = reverse("actionplan:action_follow", args=[action.pk])
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    assert ActionFollow.objects.filter(user=member, action=action).exists()
    assert client.get(action.get_absolute_url()).context["is_following"] is True
    assert client.post(url, {"action": "unfollow"}).status_code == 302
    assert not ActionFollow.objects.exists()


def test_visitors_cannot_follow(client, action):
    response = client.post(reverse("actionplan:action_follow", args=[action.pk]))
    assert response.status_code == 302
    assert not ActionFollow.objects.exists()


def test_draft_actions_cannot_be_followed(login, draft_action, member):
    url = reverse("actionplan:action_follow", args=[draft_action.pk])
    assert login(member).post(url).status_code == 404
    assert not ActionFollow.objects.exists()
