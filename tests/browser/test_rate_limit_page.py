"""The 429 page passes the checks every page passes (axe, one h1, a main, CSP, fits a
phone) and says when to come back."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_too_many_requests_page_is_accessible_and_fits_a_phone(
    settings, new_visitor, new_phone_visitor
):
    settings.RATELIMIT_RATES = {**settings.RATELIMIT_RATES, "search": "1/h"}
    desktop, phone = new_visitor(), new_phone_visitor()
    assert desktop.goto("/practices/?q=data", check=False).status == 200
    # Both tabs come from the same address: both are now over the limit. Each asks for a
    # search not made yet: a repeated one is served from the page cache, never rendered.
    for visitor, words in ((desktop, "energy"), (phone, "mobility")):
        over = visitor.goto(f"/practices/?q={words}")  # checked as every page is
        assert over.status == 429
        assert "Please try again in" in visitor.page.content()
