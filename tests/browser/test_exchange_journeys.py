"""A ClusterXchange visit from offer to decision, through the real pages."""

import re
from datetime import timedelta

import pytest

from exchange.models import Application
from tests.factories import (
    TEST_PASSWORD,
    ApplicantFactory,
    CallFactory,
    ClusterFactory,
    MembershipFactory,
    OfferFactory,
    StaffFactory,
)

pytestmark = pytest.mark.browser

TOPIC = "Mobility data living lab"
HOST_COMMENT = "Between us: a strong team, but their budget is thin."
DECISION_MESSAGE = "Approved. Book your travel and enjoy Lyon!"


@pytest.fixture
def scheme():
    call = CallFactory(title="ClusterXchange 2026")
    lyon = ClusterFactory(
        name="Lyon Urban Mobility", slug="lyon-urban-mobility", country="FR", city="Lyon"
    )
    turin = ClusterFactory(
        name="Torino Energy Hub",
        slug="torino-energy-hub",
        country="IT",
        city="Turin",
        ecosystems=["energy"],
    )
    OfferFactory(call=call, host=lyon, topic=TOPIC, ecosystems=["mobility", "ict"])
    OfferFactory(call=call, host=turin, topic="Energy communities tour", ecosystems=["energy"])
    window = call.visits_from
    start = window + timedelta(days=(7 - window.weekday()) % 7)  # a Monday
    return {
        "call": call,
        "start": start,
        "applicant": ApplicantFactory(
            email="ana@sme.example.org", name="Ana Weber", organisation__name="Weber Mobility"
        ),
        "host": MembershipFactory(cluster=lyon, user__email="luc@lyon.example.org").user,
        "secretariat": StaffFactory(email="sec@network.example.org"),
    }


def _label(text):
    return re.compile(rf"^{re.escape(text)}:?$")


def _apply(visitor, start):
    """Find the Lyon offer with a filter, fill in the form, save the draft."""
    page = visitor.page
    visitor.goto("/exchange/")
    assert page.get_by_role("heading", name="2 offers in the open calls").is_visible()
    visitor.screenshot("exchange-index")
    page.get_by_role("combobox", name="Ecosystem").select_option("mobility")
    page.get_by_role("button", name="Show offers").click()
    visitor.check_page()
    assert page.get_by_role("heading", name="1 offer in the open calls").is_visible()
    page.get_by_role("link", name=TOPIC).first.click()
    visitor.check_page()
    page.get_by_role("link", name="Apply", exact=True).click()
    visitor.check_page()
    page.get_by_label(_label("Motivation")).fill("Lyon runs the data space we want to build.")
    page.get_by_label(_label("Learning goals")).fill("Data sharing agreements with operators.")
    page.get_by_label(_label("Expected results")).fill("A joint pilot proposal.")
    page.get_by_label(_label("First day on site")).fill(start.isoformat())
    page.get_by_label(_label("Last day on site")).fill((start + timedelta(days=4)).isoformat())
    page.get_by_label(_label("Travelling from (city)")).fill("Munich")
    page.get_by_label(_label("Distance to the host (km, one way)")).fill("800")
    page.get_by_role("button", name="Compute the funding").click()
    visitor.check_page()
    # The amount is shown on the form itself, nothing saved yet; the fields keep their values.
    assert page.get_by_role("heading", name="Funding for these dates").is_visible()
    assert page.get_by_text("775.00 EUR", exact=True).is_visible()
    assert not Application.objects.exists()
    page.get_by_role("button", name="Save draft and check").click()
    visitor.check_page()


def test_a_member_applies_the_host_accepts_and_the_secretariat_approves(
    scheme, new_visitor, new_phone_visitor
):
    # (a) The member finds the offer, saves a draft, sees the funding, submits.
    applicant = new_visitor()
    page = applicant.page
    applicant.login(scheme["applicant"].email, TEST_PASSWORD)
    _apply(applicant, scheme["start"])
    assert page.get_by_text("Your draft is saved.").is_visible()
    assert page.get_by_text("775.00 EUR", exact=True).is_visible()
    assert page.get_by_text("Every rule is met: you can submit.").is_visible()
    application = Application.objects.get(applicant=scheme["applicant"])
    assert application.status == "draft"
    applicant.screenshot("exchange-draft")
    page.get_by_role("button", name="Submit", exact=True).click()
    applicant.check_page()
    assert page.get_by_text("Submitted: the host cluster has been told").is_visible()
    applicant.goto("/exchange/applications/")
    row = page.get_by_role("row", name=re.compile(application.reference))
    assert row.get_by_text("Waiting for the host").is_visible()
    assert row.get_by_text("The host cluster reviews your application.").is_visible()

    # (b) The host's manager finds it in the queue and accepts it, with a comment.
    host = new_visitor()
    host.login(scheme["host"].email, TEST_PASSWORD)
    host.goto("/exchange/review/")
    host.screenshot("exchange-review")
    host.page.get_by_role("link", name=application.reference).click()
    host.check_page()
    host.page.get_by_label("Accept: we will host this visit").check()
    host.page.get_by_label(_label("Comment for the secretariat")).fill(HOST_COMMENT)
    host.page.get_by_role("button", name="Send the review").click()
    host.check_page()
    assert host.page.get_by_text("Thank you: the applicant and the secretariat").is_visible()
    host.page.get_by_text("Version 1").click()  # the version submitted, field by field
    host.screenshot("exchange-application-host")
    application.refresh_from_db()
    assert application.status == "host_accepted"

    # (c) The secretariat approves; the applicant reads the message, never the comment.
    secretariat = new_visitor()
    secretariat.login(scheme["secretariat"].email, TEST_PASSWORD)
    secretariat.goto("/exchange/decisions/")
    secretariat.screenshot("exchange-decisions")
    secretariat.page.get_by_role("link", name=application.reference).click()
    secretariat.check_page()
    assert secretariat.page.get_by_text(HOST_COMMENT).first.is_visible()
    secretariat.page.get_by_label("Approved", exact=True).check()
    secretariat.page.get_by_label(_label("Message to the applicant")).fill(DECISION_MESSAGE)
    secretariat.page.get_by_role("button", name="Record the decision").click()
    secretariat.check_page()
    assert secretariat.page.get_by_text(
        "Decision recorded: the applicant has been told."
    ).is_visible()
    application.refresh_from_db()
    assert application.status == "approved"

    applicant.goto(application.get_absolute_url())
    assert page.get_by_text(DECISION_MESSAGE).first.is_visible()
    assert page.get_by_text(HOST_COMMENT).count() == 0
    assert "Between us" not in page.content()
    applicant.screenshot("exchange-application")

    # (d) On a phone the application page does not scroll sideways (check_page says so).
    phone = new_phone_visitor()
    phone.login(scheme["applicant"].email, TEST_PASSWORD)
    phone.goto(application.get_absolute_url())
    assert phone.page.get_by_text(DECISION_MESSAGE).first.is_visible()
    phone.screenshot("exchange-application-phone")
    phone.goto("/exchange/")
    phone.screenshot("exchange-index-phone")
    phone.goto("/exchange/applications/")
