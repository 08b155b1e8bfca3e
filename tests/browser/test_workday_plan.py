"""The working day, plan side: a manager's actions from "Your work" to the filtered plan;
a member's notification preferences; tables that fit a phone. At 1280 and 390 px."""

import re
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from actionplan.models import Action
from notifications.models import DigestSchedule, Preference
from notifications.registry import kinds_for
from tests.factories import TEST_PASSWORD

WIDTHS = ["new_visitor", "new_phone_visitor"]
SHOTS = Path(tempfile.gettempdir())  # screenshots to look at, outside the repository


def shot(page, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.fixture
def visitor_at(request):
    def make(width_fixture):
        return request.getfixturevalue(width_fixture)()

    return make


@pytest.mark.parametrize("width", WIDTHS)
def test_a_manager_goes_from_their_work_to_their_actions_in_the_plan(world, visitor_at, width):
    plan = world.plan
    today = timezone.localdate()
    late = Action.objects.create(
        objective=plan["objective"],
        parent=plan["action"],
        title="Sign the data-sharing agreement",
        lead_cluster=world.cluster,
        start_date=today - timedelta(days=30),
        due_date=today - timedelta(days=3),
        progress=50,
    )
    other = plan["strategy"].objectives.create(title="Greener energy", theme="energy", order=2)
    Action.objects.create(
        objective=other,
        title="Solar roofs on depots",
        lead_cluster=world.other_cluster,
        start_date=today - timedelta(days=30),
        due_date=today + timedelta(days=200),
        progress=80,
    )
    manager = visitor_at(width)
    page = manager.page
    manager.login(world.users["manager"].email, TEST_PASSWORD)
    manager.goto("/dashboard/")
    shot(page, f"work-manager-{width}")
    block = page.locator("#work-actionplan-mine").locator("..")
    assert block.get_by_role("link", name=late.title).is_visible()
    assert block.get_by_text(re.compile("overdue since")).is_visible()
    block.get_by_role("link", name="See all your actions in the plan").click()
    manager.check_page()
    assert page.get_by_label("Only mine").is_checked()
    assert page.get_by_text(
        re.compile(r"Filtered list \(Only mine\): 2 of the plan's 3")
    ).is_visible()
    # The sub-action sits right under its parent; the other objective keeps its progress.
    rows = page.locator(".actions-table tbody tr")
    assert rows.nth(0).get_by_role("link").inner_text() == plan["action"].title
    assert rows.nth(1).get_by_role("link").inner_text() == late.title
    assert page.get_by_text("No action matches these filters.").is_visible()
    assert (
        page.get_by_role("progressbar", name="Progress of Greener energy").get_attribute("value")
        == "80"
    )
    shot(manager.page, f"plan-mine-{width}")
    page.get_by_role("link", name="Clear the filters and show every action").click()
    manager.check_page()
    assert not page.get_by_label("Only mine").is_checked()
    assert page.get_by_role("link", name="Solar roofs on depots").is_visible()
    assert page.get_by_text("Filtered list").count() == 0


@pytest.mark.parametrize("width", WIDTHS)
def test_a_member_sets_every_kind_at_once_and_chooses_the_digest_hour(world, visitor_at, width):
    member = world.users["member"]
    person = visitor_at(width)
    page = person.page
    person.login(member.email, TEST_PASSWORD)
    person.goto("/notifications/preferences/")
    headings = page.locator(".preferences-area h2").all_inner_texts()
    assert headings == [
        "Daily digest",
        "Clusters",
        "ClusterXchange",
        "Plan of Actions",
        "Practices",
    ]
    assert page.get_by_text("A practice waits for moderation (secretariat)").count() == 0
    shot(person.page, f"preferences-{width}")
    page.get_by_label("Send every kind of message").select_option("in_app")
    # site.js ticks the choices below at once; the button saves them (with or without JS).
    assert page.locator('input[name="exchange.decided"][value="in_app"]').is_checked()
    page.get_by_role("button", name="Set every kind").click()
    person.check_page()
    assert page.get_by_text("Every kind of message is now set to “Only in my inbox”.").is_visible()
    stored = dict(Preference.objects.filter(user=member).values_list("kind", "channel"))
    assert stored == {kind.name: "in_app" for kind in kinds_for(member)}

    page.get_by_label("Send my daily digest at").select_option("18")
    page.get_by_role("button", name="Save preferences").click()
    person.check_page()
    assert page.get_by_text("Your notification preferences have been saved.").is_visible()
    assert DigestSchedule.objects.get(user=member).hour == 18
    assert page.get_by_label("Send my daily digest at").input_value() == "18"


def cell_box(page, column):
    """Where the first row's cell of ``column`` (a header's text) is on the page."""
    headers = page.locator(".actions-table").first.locator("thead th").all_inner_texts()
    row = page.locator(".actions-table").first.locator("tbody tr").first
    return row.locator("td").nth(headers.index(column)).bounding_box()


def on_screen(box, width=390) -> bool:
    return box["x"] >= 0 and box["x"] + box["width"] <= width


def test_on_a_phone_status_and_next_step_are_on_screen(
    world, browser, live_server, new_phone_visitor
):
    member = new_phone_visitor()
    member.login(world.users["member"].email, TEST_PASSWORD)
    member.goto("/exchange/applications/")
    page = member.page
    assert on_screen(cell_box(page, "Status"))
    assert on_screen(cell_box(page, "Next step"))
    first_row = page.locator(".actions-table tbody tr").first
    assert first_row.locator("td").nth(3).get_attribute("data-label") == "Status"
    shot(page, "table-cards-after-390")
    member.goto("/action-plan/")
    assert on_screen(cell_box(page, "Status"))
    assert on_screen(cell_box(page, "Progress"))
    shot(page, "plan-cards-390")

    # Without JavaScript the table keeps its columns and scrolls inside its frame.
    context = browser.new_context(viewport={"width": 390, "height": 900}, java_script_enabled=False)
    try:
        bare = context.new_page()
        bare.goto(live_server.url + "/accounts/login/")
        bare.get_by_label("Email").fill(world.users["member"].email)
        bare.get_by_label("Password").fill(TEST_PASSWORD)
        bare.get_by_role("button", name="Sign In").click()
        bare.goto(live_server.url + "/exchange/applications/")
        assert bare.evaluate("document.documentElement.scrollWidth") <= 390
        assert not on_screen(cell_box(bare, "Next step"))  # reached by scrolling the table
        shot(bare, "table-cards-before-390")
    finally:
        context.close()
