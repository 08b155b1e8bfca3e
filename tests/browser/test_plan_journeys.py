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


def test_a_person_gets_a_private_calendar_address_and_resets_it(world, new_visitor):
    person = new_visitor()
    page = person.page
    person.login(world.users["manager"].email, TEST_PASSWORD)
    person.goto("/action-plan/")
    page.get_by_role("button", name="Get my private calendar feed").click()
    person.check_page()
    assert page.get_by_text("Copy it now: it is shown only once.").first.is_visible()
    first = page.locator(".feed-url code").inner_text()
    assert page.request.get(first).status == 200

    page.get_by_label("I understand that my current calendar address will stop working").check()
    page.get_by_role("button", name="Reset my calendar address").click()
    person.check_page()
    assert page.get_by_text("the old one no longer works").first.is_visible()
    second = page.locator(".feed-url code").inner_text()
    assert second != first
    assert page.request.get(first).status == 404
    assert page.request.get(second).status == 200

    person.goto("/action-plan/")
    assert page.locator(".feed-url code").count() == 0  # shown once
    assert page.get_by_text("You have a private calendar address").is_visible()
