"""The Plan of Actions as its people use it."""

import re

from actionplan.models import ProgressUpdate
from tests.factories import TEST_PASSWORD


def test_an_owner_reports_progress_and_the_dashboard_shows_it(world, new_visitor):
    action = world.plan["action"]
    owner = new_visitor()
    page = owner.page
    owner.login(world.users["manager"].email, TEST_PASSWORD)
    owner.goto("/")
    page.get_by_role("link", name="Action plan").click()
    owner.check_page()
    page.get_by_role("link", name=action.title).first.click()
    owner.check_page()
    page.get_by_role("link", name="Post a progress update").click()
    owner.check_page()
    page.get_by_label(re.compile(r"^Progress \(%\)")).fill("60")
    page.get_by_label("Status").select_option("in_progress")
    page.get_by_label("What happened since the last update").fill("Four operators share data.")
    page.get_by_label(re.compile("Operators sharing data")).fill("4")
    page.get_by_role("button", name="Post the update").click()
    owner.check_page()
    assert page.get_by_text("Thank you: your progress update is posted.").is_visible()
    assert page.get_by_text("Four operators share data.").is_visible()
    assert ProgressUpdate.objects.filter(action=action, progress=60).exists()

    visitor = new_visitor()
    visitor.goto("/action-plan/")
    assert visitor.page.get_by_role("cell", name="60%").is_visible()
    visitor.page.get_by_role("combobox", name="Status").select_option("completed")
    visitor.page.get_by_role("button", name="Show actions").click()
    visitor.check_page()
    assert visitor.page.get_by_text("No action matches these filters.").is_visible()
