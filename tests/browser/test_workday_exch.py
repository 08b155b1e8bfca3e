"""No dead ends for applicants and hosts, through the real pages, at desktop (1280 px) and
phone (390 px) widths: the reason instead of Apply, the funding from dates and distance
alone, the message thread and the contacts, the report's dates and the payment."""

import os
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from exchange import services
from exchange.models import Application, ApplicationMessage, Decision
from tests.factories import (
    TEST_PASSWORD,
    ApplicantFactory,
    ApplicationFactory,
    CallFactory,
    ClusterFactory,
    MembershipFactory,
    OfferFactory,
    StaffFactory,
)

pytestmark = pytest.mark.browser

S = Application.Status
SHOTS = "/tmp/exch-shots"  # noqa: S108  # screenshots to look at, outside the repository
FULL_TOPIC = "Smart parking pilots"
OPEN_TOPIC = "Mobility data living lab"
HOST_QUESTION = "Could you send us your travel dates and who comes with you?"
ANSWER = "Just me, arriving on Sunday evening."


def _label(text):
    return re.compile(rf"^{re.escape(text)}:?$")


def _shot(visitor, name):
    os.makedirs(SHOTS, exist_ok=True)
    width = visitor.page.viewport_size["width"]
    visitor.page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)


@pytest.fixture(params=[1280, 390], ids=["desktop", "phone"])
def tab(request, new_visitor, new_phone_visitor):
    """A fresh tab at the width of this run."""
    return new_visitor if request.param == 1280 else new_phone_visitor


@pytest.fixture
def scheme():
    call = CallFactory(title="ClusterXchange 2026")
    lyon = ClusterFactory(
        name="Lyon Urban Mobility",
        slug="lyon-urban-mobility",
        country="FR",
        city="Lyon",
        contact_email="hello@lyon.example.org",
    )
    host = MembershipFactory(cluster=lyon, user__email="luc@lyon.example.org", user__name="Luc")
    offer = OfferFactory(call=call, host=lyon, topic=OPEN_TOPIC, contact=host.user)
    full = OfferFactory(call=call, host=lyon, topic=FULL_TOPIC, capacity=1)
    ApplicationFactory(offer=full, status=S.SUBMITTED, submitted_at=timezone.now())
    window = call.visits_from
    return {
        "call": call,
        "offer": offer,
        "full": full,
        "start": window + timedelta(days=(7 - window.weekday()) % 7),  # a Monday
        "applicant": ApplicantFactory(
            email="ana@sme.example.org", name="Ana Weber", organisation__name="Weber Mobility"
        ),
        "host": host.user,
        "secretariat": StaffFactory(email="sec@network.example.org"),
    }


def test_an_applicant_is_told_why_before_the_form_computes_the_funding_and_talks_to_the_host(
    scheme, tab
):
    applicant = tab()
    page = applicant.page
    applicant.login(scheme["applicant"].email, TEST_PASSWORD)

    # The call's list: Apply on the open offer, the reason on the full one.
    applicant.goto(scheme["call"].get_absolute_url())
    _shot(applicant, "call")
    full_card = page.locator(".offer-card", has_text=FULL_TOPIC)
    assert full_card.get_by_text("place(s) are all taken").is_visible()
    assert full_card.get_by_role("link", name=re.compile("^Apply")).count() == 0
    open_card = page.locator(".offer-card", has_text=OPEN_TOPIC)
    assert open_card.get_by_role("link", name=re.compile("^Apply")).is_visible()

    # The full offer's page says so before any form.
    full_card.get_by_role("link", name=FULL_TOPIC).click()
    applicant.check_page()
    _shot(applicant, "offer-full")
    assert page.get_by_text("You cannot apply:").is_visible()
    assert page.get_by_role("link", name="Apply", exact=True).count() == 0

    # The open offer: compute the funding from the dates and the distance alone.
    applicant.goto(scheme["offer"].get_absolute_url())
    page.get_by_role("link", name="Apply", exact=True).click()
    applicant.check_page()
    start = scheme["start"]
    page.get_by_label(_label("First day on site")).fill(start.isoformat())
    page.get_by_label(_label("Last day on site")).fill((start + timedelta(days=4)).isoformat())
    page.get_by_label(_label("Distance to the host (km, one way)")).fill("800")
    page.get_by_role("button", name="Compute the funding").click()
    applicant.check_page()
    _shot(applicant, "funding-preview")
    assert page.get_by_role("heading", name="Funding for these dates").is_visible()
    assert page.get_by_text("775.00 EUR", exact=True).is_visible()
    assert page.get_by_text("This field is required").count() == 0
    assert not Application.objects.filter(applicant=scheme["applicant"]).exists()
    page.get_by_label(_label("Motivation")).fill("Lyon runs the data space we want to build.")
    page.get_by_label(_label("Learning goals")).fill("Data sharing agreements.")
    page.get_by_label(_label("Expected results")).fill("A joint pilot proposal.")
    page.get_by_label(_label("Travelling from (city)")).fill("Munich")
    page.get_by_role("button", name="Save draft and check").click()
    applicant.check_page()
    page.get_by_role("button", name="Submit", exact=True).click()
    applicant.check_page()
    application = Application.objects.get(applicant=scheme["applicant"])
    assert application.status == S.SUBMITTED

    # The host's contact asks a question in the thread, then accepts.
    host = tab()
    host.login(scheme["host"].email, TEST_PASSWORD)
    host.goto(application.get_absolute_url())
    host.page.get_by_label(_label("Your message")).fill(HOST_QUESTION)
    host.page.get_by_role("button", name="Send the message").click()
    host.check_page()
    assert host.page.get_by_text("Your message is in the thread").is_visible()
    host.page.get_by_label("Accept: we will host this visit").check()
    host.page.get_by_role("button", name="Send the review").click()
    host.check_page()
    assert host.page.get_by_role("link", name="ana@sme.example.org").first.is_visible()
    _shot(host, "application-host")

    # The applicant reads it, sees the host's contact, and answers; an empty answer is
    # refused with a clear message.
    applicant.goto(application.get_absolute_url())
    assert page.get_by_text(HOST_QUESTION).is_visible()
    assert page.get_by_role("link", name="luc@lyon.example.org").first.is_visible()
    page.get_by_role("button", name="Send the message").click()
    applicant.check_page()
    assert page.get_by_text(str(services.MESSAGE_EMPTY)).first.is_visible()
    page.get_by_label(_label("Your message")).fill(ANSWER)
    page.get_by_role("button", name="Send the message").click()
    applicant.check_page()
    _shot(applicant, "application-thread")
    assert page.get_by_text(ANSWER).is_visible()
    assert ApplicationMessage.objects.filter(application=application).count() == 2


def test_after_approval_the_report_dates_and_the_payment(scheme, tab):
    now = timezone.now()
    approved = ApplicationFactory(
        offer=scheme["offer"], applicant=scheme["applicant"], status=S.APPROVED, submitted_at=now
    )
    past_offer = OfferFactory(
        call=CallFactory(
            series="Earlier series",
            opens_at=now - timedelta(days=300),
            closes_at=now - timedelta(days=250),
            visits_from=timezone.localdate() - timedelta(days=200),
            visits_until=timezone.localdate() - timedelta(days=20),
        ),
        host=scheme["offer"].host,
    )
    completed = ApplicationFactory(
        offer=past_offer, applicant=scheme["applicant"], status=S.COMPLETED, submitted_at=now
    )
    Decision.objects.create(application=completed, outcome="approved", funding_granted="700.00")

    # The applicant: the report opens the day after the visit, with its due date.
    applicant = tab()
    page = applicant.page
    applicant.login(scheme["applicant"].email, TEST_PASSWORD)
    applicant.goto(approved.get_absolute_url())
    assert page.get_by_text("The visit report opens on").is_visible()
    assert page.get_by_role("link", name="luc@lyon.example.org").first.is_visible()
    applicant.goto(f"/exchange/applications/{approved.pk}/report/")
    _shot(applicant, "report-not-open")
    assert page.get_by_text("The visit report opens on").is_visible()
    applicant.goto("/exchange/applications/")
    _shot(applicant, "applications")
    assert page.get_by_text("Host contact:").first.is_visible()
    applicant.goto(completed.get_absolute_url())
    assert page.get_by_text("Not paid yet").is_visible()

    # The secretariat marks the grant paid; the applicant sees it.
    secretariat = tab()
    secretariat.login(scheme["secretariat"].email, TEST_PASSWORD)
    secretariat.goto(completed.get_absolute_url())
    secretariat.page.get_by_role("button", name="Mark the grant paid").click()
    secretariat.check_page()
    assert secretariat.page.get_by_text("Marked paid: the applicant has been told.").is_visible()
    applicant.goto(completed.get_absolute_url())
    _shot(applicant, "paid")
    assert page.get_by_text("Paid: 700.00 EUR").is_visible()
    completed.refresh_from_db()
    assert completed.paid_at is not None
