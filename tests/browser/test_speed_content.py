"""Issue 15: the practices filter names a cluster by typing (no select of 10,000
clusters), at desktop (1280 px) and phone (390 px) widths, without JavaScript help."""

import pytest

from tests.factories import ClusterFactory, PracticeFactory

WIDTHS = {"desktop": "new_visitor", "phone": "new_phone_visitor"}


@pytest.fixture(params=sorted(WIDTHS))
def make_visitor(request):
    return request.getfixturevalue(WIDTHS[request.param])


@pytest.fixture
def practices():
    valley = ClusterFactory(name="Mobility Valley", slug="mobility-valley", country="DE")
    vienna = ClusterFactory(name="Mobility Vienna", slug="mobility-vienna", country="AT")
    PracticeFactory(status="published", cluster=valley, title="Car-sharing for members")
    PracticeFactory(status="published", cluster=vienna, title="Night buses for shift workers")


def _titles(page):
    return sorted(page.locator(".card-grid .card-title").all_inner_texts())


def test_a_visitor_filters_practices_by_typing_a_clusters_name(practices, make_visitor):
    visitor = make_visitor()
    page = visitor.page
    visitor.goto("/practices/")
    assert page.locator('select[name="cluster"]').count() == 0

    box = page.get_by_role("textbox", name="Cluster")
    box.fill("Mobility")
    page.get_by_role("button", name="Show practices").click()
    visitor.check_page()
    # Two clusters start so: the page names them and lists nothing yet.
    assert page.get_by_text("Several names start with “Mobility”").is_visible()
    assert page.get_by_text("“Mobility Valley”, “Mobility Vienna”").is_visible()
    assert _titles(page) == []

    page.get_by_role("textbox", name="Cluster").fill("mobility vie")
    page.get_by_role("button", name="Show practices").click()
    visitor.check_page()
    assert _titles(page) == ["Night buses for shift workers"]
    # The box now shows the cluster's whole name.
    assert page.get_by_role("textbox", name="Cluster").input_value() == "Mobility Vienna"

    # An older link with the cluster's address name still works.
    visitor.goto("/practices/?cluster=mobility-valley")
    assert _titles(page) == ["Car-sharing for members"]
    assert page.get_by_role("textbox", name="Cluster").input_value() == "Mobility Valley"
