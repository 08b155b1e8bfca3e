"""The action form's clusters, owner and parent are typed, not chosen from lists of
thousands (core.typed_choice): an exact name or its unique start is taken, anything else
is refused with a message naming a few matches, and nothing changes."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from actionplan.models import Action
from core.typed_choice import AMBIGUOUS, UNKNOWN, UNKNOWN_SOME
from tests.actionplan.test_views import _action_data, edit_url
from tests.factories import ClusterFactory
from tests.matrix import snapshot


@pytest.fixture
def crowd(db):
    return {
        name: ClusterFactory(name=name)
        for name in ("Berlin Energy Hub", "Berlin Energy Hub North", "Bremen Ports", "Lyon Wood")
    }


def _post(login, secretariat, action, **fields):
    return login(secretariat).post(edit_url(action), _action_data(action, **fields))


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Bremen Ports", "Bremen Ports"),  # exact
        ("bremen ports", "Bremen Ports"),  # any case
        ("  Brem ", "Bremen Ports"),  # the start of one name
        ("Berlin Energy Hub", "Berlin Energy Hub"),  # exact wins over a longer name
        ("berlin energy hub n", "Berlin Energy Hub North"),
    ],
)
def test_a_typed_lead_cluster_is_found(login, secretariat, action, crowd, typed, expected):
    response = _post(login, secretariat, action, lead_cluster=typed)
    assert response.status_code == 302, response.context["form"].errors
    action.refresh_from_db()
    assert action.lead_cluster.name == expected


@pytest.mark.parametrize(
    ("typed", "message", "shown"),
    [
        ("Berlin", AMBIGUOUS, ["Berlin Energy Hub", "Berlin Energy Hub North"]),
        ("Paris", UNKNOWN, []),
        ("Wood", UNKNOWN_SOME, ["Lyon Wood"]),
    ],
)
def test_an_ambiguous_or_unknown_cluster_changes_nothing(
    login, secretariat, action, crowd, typed, message, shown
):
    before = snapshot()
    response = _post(login, secretariat, action, lead_cluster=typed, title="Renamed")
    assert response.status_code == 400
    (error,) = response.context["form"].errors["lead_cluster"]
    assert error.startswith(str(message).split("%")[0].split("“")[0])
    html = response.content.decode()
    for name in shown:
        assert escape(f"“{name}”") in html
    assert f'value="{escape(typed)}"' in html  # what was typed stays, to correct it
    assert snapshot() == before


def test_partners_are_typed_one_per_line(login, secretariat, action, crowd):
    response = _post(login, secretariat, action, partners="Bremen Ports\n\nlyon w\nBremen")
    assert response.status_code == 302
    action.refresh_from_db()
    assert {c.name for c in action.partners.all()} == {"Bremen Ports", "Lyon Wood"}
    page = login(secretariat).get(edit_url(action)).content.decode()
    assert "Bremen Ports\nLyon Wood" in page or "Lyon Wood\nBremen Ports" in page


def test_one_unknown_partner_refuses_all(login, secretariat, action, crowd):
    response = _post(login, secretariat, action, partners="Bremen Ports\nAtlantis")
    assert response.status_code == 400
    assert "Atlantis" in response.context["form"].errors["partners"][0]
    assert not action.partners.exists()


def test_the_owner_is_typed_by_email_and_the_parent_by_title(
    login, secretariat, action, objective, cluster, owner
):
    top = Action.objects.create(
        objective=objective,
        title="Top-level programme",
        lead_cluster=cluster,
        start_date=action.start_date,
        due_date=action.due_date,
    )
    response = _post(login, secretariat, action, owner=owner.email.upper(), parent="top-level")
    assert response.status_code == 302, response.context["form"].errors
    action.refresh_from_db()
    assert (action.owner, action.parent) == (owner, top)


def test_the_edit_page_shows_names_not_ids(login, secretariat, action):
    page = login(secretariat).get(edit_url(action)).content.decode()
    assert f'value="{escape(action.lead_cluster.name)}"' in page
    assert "<select" not in page.split('name="lead_cluster"')[0][-200:]


def test_a_new_action_names_its_lead_cluster(login, secretariat, action, crowd):
    data = _action_data(action, title="Harbour data", lead_cluster="Bremen P")
    assert login(secretariat).post(reverse("actionplan:action_new"), data).status_code == 302
    assert Action.objects.get(title="Harbour data").lead_cluster == crowd["Bremen Ports"]
