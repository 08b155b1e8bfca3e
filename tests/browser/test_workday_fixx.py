"""A host manager follows "See all N" from Your work's reviews block and finds exactly
the N applications waiting for their review, at desktop (1280 px) and phone (390 px)."""

import os

import pytest

from exchange.models import Application
from exchange.services import application_review
from tests.exchange.steps import submitted
from tests.factories import TEST_PASSWORD, ClusterFactory, MembershipFactory, OfferFactory

pytestmark = pytest.mark.browser

SHOTS = "/tmp/fixx-shots"  # noqa: S108  # screenshots to look at, outside the repository


@pytest.fixture(params=[1280, 390], ids=["desktop", "phone"])
def tab(request, new_visitor, new_phone_visitor):
    return new_visitor if request.param == 1280 else new_phone_visitor


def test_see_all_opens_exactly_the_applications_waiting_for_review(tab):
    host = ClusterFactory(country="FR", city="Lyon")
    manager = MembershipFactory(cluster=host).user
    waiting = [submitted(offer=OfferFactory(host=host)) for _ in range(6)]
    for _ in range(2):  # reviewed: still listed on the review page, no longer waiting
        application_review(
            application=submitted(offer=OfferFactory(host=host)),
            actor=manager,
            recommendation="accept",
            comment="Fine.",
        )
    visitor = tab()
    page = visitor.page
    visitor.login(manager.email, TEST_PASSWORD)

    visitor.goto("/dashboard/")
    block = page.locator('section[aria-labelledby="work-exchange-reviews"]')
    assert block.locator(".count-badge").inner_text() == "6"
    block.get_by_role("link", name="See all 6").click()
    visitor.check_page()

    assert page.get_by_role("heading", name="Waiting for your review (6)").is_visible()
    refs = page.locator("a.exchange-ref").all_inner_texts()
    assert sorted(refs) == sorted(a.reference for a in waiting)
    os.makedirs(SHOTS, exist_ok=True)
    width = page.viewport_size["width"]
    page.screenshot(path=f"{SHOTS}/review-waiting-{width}.png", full_page=True)

    page.get_by_role("link", name="All applications to your clusters").click()
    visitor.check_page()
    assert page.locator("a.exchange-ref").count() == Application.objects.count() == 8
