"""Issue 15, logged-in pages: the action form names its clusters by typing, not from a
list of the network's thousands. The secretariat types the start of a cluster's name, is
told when it is ambiguous (the matches named), types more and saves. At 1280 and 390 px."""

import pytest

from actionplan.models import Action
from tests.factories import TEST_PASSWORD, ClusterFactory

WIDTHS = ["new_visitor", "new_phone_visitor"]


@pytest.mark.parametrize("width", WIDTHS)
def test_the_secretariat_types_the_lead_and_partner_clusters(world, request, width):
    for name in ("Bremen Ports", "Bremen Port Logistics", "Lyon Wood"):
        ClusterFactory(name=name)
    action = world.plan["action"]
    secretariat = request.getfixturevalue(width)()
    page = secretariat.page
    secretariat.login(world.users["secretariat"].email, TEST_PASSWORD)
    secretariat.goto(f"/action-plan/actions/{action.pk}/edit/")
    assert page.locator("select#id_lead_cluster").count() == 0
    lead = page.get_by_label("Lead cluster")
    assert lead.input_value() == world.cluster.name

    lead.fill("bremen port l")  # the start of one name, in any case
    page.get_by_label("Partner clusters").fill("lyon\nBremen")  # "Bremen" names two
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    secretariat.check_page()
    errors = page.locator(".errorlist").all_inner_texts()
    assert any("“Bremen Port Logistics”" in e and "“Bremen Ports”" in e for e in errors), errors

    page.get_by_label("Partner clusters").fill("lyon\nBremen Ports")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    secretariat.check_page()
    action = Action.objects.get(pk=action.pk)
    assert action.lead_cluster.name == "Bremen Port Logistics"
    assert {c.name for c in action.partners.all()} == {"Lyon Wood", "Bremen Ports"}
