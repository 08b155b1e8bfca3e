"""A best practice from first draft to transfer, through the real pages."""

import re

import pytest

from practices.models import Practice, TransferInterest
from tests.factories import (
    TEST_PASSWORD,
    ClusterFactory,
    MembershipFactory,
    StaffFactory,
    UserFactory,
)


@pytest.fixture
def people():
    cluster = ClusterFactory(
        name="Isar Mobility Forum", slug="isar-mobility-forum", ecosystems=["mobility"]
    )
    return {
        "manager": MembershipFactory(cluster=cluster, user__email="kat@imf.example.org").user,
        "secretariat": StaffFactory(email="sec@network.example.org"),
        "member": UserFactory(email="ana@porto.example.org", name="Ana Sousa"),
    }


def _moderate(visitor, title, decision, comment=""):
    page = visitor.page
    visitor.goto("/practices/moderation/")
    page.get_by_role("link", name=title).click()
    visitor.check_page()
    page.get_by_label(decision).check()
    if comment:
        page.get_by_label("Comment to the authors").fill(comment)
    page.get_by_role("button", name="Send the decision").click()
    visitor.check_page()


def test_a_practice_goes_from_draft_to_transfer(people, new_visitor):
    title = "Matchmaking breakfasts with city buyers"
    author = new_visitor()
    page = author.page
    author.login(people["manager"].email, TEST_PASSWORD)
    author.goto("/practices/")
    page.get_by_role("link", name="Share a practice").click()
    author.check_page()
    page.get_by_label(re.compile(r"^Title:?$")).fill(title)
    page.get_by_label("Category").select_option("value")
    page.get_by_label("Mobility").check()
    page.get_by_label(re.compile(r"^Summary:?$")).fill("SMEs meet public buyers over coffee.")
    page.get_by_label(re.compile(r"^Tags:?$")).fill("procurement, SMEs")
    page.get_by_label("Problem addressed").fill("SMEs never meet the city's buyers.")
    page.get_by_label(re.compile(r"^Description:?$")).fill("- monthly\n- **informal**")
    page.get_by_label("Since").fill("2019")
    page.get_by_role("button", name="Save draft").click()
    author.check_page()
    assert page.get_by_text("Your draft is saved.").is_visible()
    page.get_by_role("button", name="Save and submit for moderation").click()
    author.check_page()
    assert page.get_by_text("Submitted:").is_visible()

    secretariat = new_visitor()
    secretariat.login(people["secretariat"].email, TEST_PASSWORD)
    _moderate(secretariat, title, "Ask for changes", "Please add figures on the results.")
    assert Practice.objects.get(title=title).status == "changes_requested"

    author.goto("/notifications/")
    page.get_by_role("link", name=f"Changes requested: {title}").click()
    page.get_by_role("link", name="Edit").click()
    author.check_page()
    assert page.get_by_text("Please add figures on the results.").first.is_visible()
    page.get_by_label("Evidence of success").fill("40 contracts signed in three years.")
    page.get_by_role("button", name="Save and submit for moderation").click()
    author.check_page()

    _moderate(secretariat, title, "Publish")
    practice = Practice.objects.get(title=title)
    assert practice.status == "published"
    assert practice.versions.count() == 2

    reader = new_visitor()
    reader.login(people["member"].email, TEST_PASSWORD)
    reader.goto("/practices/")
    reader.page.get_by_label("Search").fill("buyers")
    reader.page.get_by_role("button", name="Show practices").click()
    reader.check_page()
    reader.page.get_by_role("link", name=title).click()
    reader.check_page()
    assert reader.page.locator(".prose strong", has_text="informal").is_visible()
    reader.page.get_by_role("button", name="We want to transfer this").click()
    reader.check_page()
    assert TransferInterest.objects.filter(practice=practice, user=people["member"]).exists()

    author.goto("/notifications/")
    assert author.page.get_by_role(
        "link", name=re.compile(f"Ana Sousa wants to transfer .{title}.")
    ).is_visible()
