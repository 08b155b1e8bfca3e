"""Your work, in a browser: the secretariat's morning (log in, see its queues, moderate
the oldest practice, come back: one less, and the notification that asked is done),
and a member's applications with what each waits for; at desktop and phone widths."""

from datetime import timedelta

import pytest
from django.utils import timezone

from exchange.models import Application
from practices.models import Practice
from practices.services import practice_submit
from tests.exchange.steps import host_member, review, submit
from tests.factories import (
    TEST_PASSWORD,
    ApplicationFactory,
    ClusterFactory,
    MembershipFactory,
    NotificationFactory,
    PracticeFactory,
    StaffFactory,
)

WIDTHS = {"desktop": 1280, "phone": 390}


@pytest.fixture(params=sorted(WIDTHS))
def visitor_at(request):
    """A fresh tab at the width named by the test's parameter."""
    fixture = "new_visitor" if request.param == "desktop" else "new_phone_visitor"
    return request.param, request.getfixturevalue(fixture)()


def submitted_practice(cluster, author, title, days_ago):
    practice = practice_submit(
        practice=PracticeFactory(cluster=cluster, author=author, title=title), actor=author
    )
    Practice.objects.filter(pk=practice.pk).update(
        submitted_at=timezone.now() - timedelta(days=days_ago)
    )
    return practice


@pytest.fixture
def morning():
    """One secretariat member and one item or two in each of its queues."""
    secretariat = StaffFactory(email="sam@network.example.org", name="Sam Secretariat")
    cluster = ClusterFactory(name="Isar Mobility Forum", ecosystems=["mobility"])
    author = MembershipFactory(cluster=cluster).user
    oldest = submitted_practice(cluster, author, "Matchmaking breakfasts", 6)
    submitted_practice(cluster, author, "Shared e-bus depots", 1)
    application = submit(ApplicationFactory())
    review(application, host_member(application))
    NotificationFactory(
        recipient=author,
        email_state="failed",
        subject="To moderate: an old message",
        last_error="SMTPRecipientsRefused: 550",
    )
    return {"secretariat": secretariat, "oldest": oldest, "application": application}


def block_heading(page, title):
    return page.locator(".work-block h2", has_text=title)


def block(page, title):
    return page.locator(".work-block").filter(has=page.locator("h2", has_text=title))


def test_the_secretariats_morning_on_your_work(morning, visitor_at):
    width, visitor = visitor_at
    page = visitor.page
    visitor.login(morning["secretariat"].email, TEST_PASSWORD)

    assert page.url.endswith("/dashboard/")  # the landing page after login
    visitor.check_page()
    assert block_heading(page, "Practices to moderate").locator(".count-badge").inner_text() == "2"
    decisions = block_heading(page, "Exchange decisions to take")
    assert decisions.locator(".count-badge").inner_text() == "1"
    assert block_heading(page, "Failed e-mails").locator(".count-badge").inner_text() == "1"
    assert page.get_by_role("link", name=morning["application"].reference, exact=False).is_visible()
    visitor.screenshot(f"work-secretariat-{width}")

    moderation = block(page, "Practices to moderate")
    first = moderation.locator(".work-items li").first
    assert first.get_by_role("link").inner_text() == "Matchmaking breakfasts"  # oldest first
    first.get_by_role("link").click()
    visitor.check_page()
    page.get_by_label("Publish").check()
    page.get_by_role("button", name="Send the decision").click()
    visitor.check_page()

    page.get_by_role("link", name="Your work").click()
    visitor.check_page()
    moderation = block(page, "Practices to moderate")
    assert moderation.locator(".count-badge").inner_text() == "1"
    assert moderation.get_by_role("link", name="Matchmaking breakfasts").count() == 0
    visitor.screenshot(f"work-secretariat-after-{width}")

    visitor.goto("/notifications/")
    done = page.locator(".inbox-item", has_text="To moderate: Matchmaking breakfasts")
    waiting = page.locator(".inbox-item", has_text="To moderate: Shared e-bus depots")
    assert done.locator(".badge").inner_text() == "Done"
    assert waiting.locator(".badge").inner_text() == "New"
    visitor.screenshot(f"work-secretariat-inbox-{width}")


@pytest.fixture
def applicant():
    """A member with a draft, an application at the host and a visit report due."""
    draft = ApplicationFactory()
    person = draft.applicant
    submit(ApplicationFactory(applicant=person))
    over = ApplicationFactory(applicant=person)
    end = timezone.localdate() - timedelta(days=3)
    Application.objects.filter(pk=over.pk).update(
        status="report_due",
        start_date=end - timedelta(days=4),
        end_date=end,
        submitted_at=timezone.now() - timedelta(days=60),
        report_due_at=timezone.now() - timedelta(days=2),
    )
    return person


def test_a_members_work_says_what_each_application_waits_for(applicant, visitor_at):
    width, visitor = visitor_at
    page = visitor.page
    visitor.login(applicant.email, TEST_PASSWORD)

    assert page.url.endswith("/dashboard/")
    visitor.check_page()
    reports = block(page, "Visit reports due")
    applications = block(page, "Your exchange applications")
    assert reports.locator(".count-badge").inner_text() == "1"
    assert "report due by" in reports.locator(".work-note").inner_text()
    assert applications.locator(".count-badge").inner_text() == "2"
    notes = applications.locator(".work-note").all_inner_texts()
    assert notes[0].startswith("waits for you to submit it, before")
    assert notes[1] == "waits for the host"
    assert block_heading(page, "Practices to moderate").count() == 0
    visitor.screenshot(f"work-member-{width}")

    reports.get_by_role("link").first.click()
    visitor.check_page()
    assert page.url.endswith("/report/")
