"""Cluster memberships through the real pages, at desktop and phone widths: the secretariat
approves a join request on the site; an SME's organisation asks to join a cluster and a
manager accepts, so the cluster is choosable as sending cluster; a manager invites a
colleague who signs up."""

import re

import pytest
from django.core import mail

from clusters.models import Cluster, ClusterMembership, JoinRequest
from tests.factories import (
    TEST_PASSWORD,
    CallFactory,
    ClusterFactory,
    JoinRequestFactory,
    MembershipFactory,
    OfferFactory,
    OrganisationFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser

WIDTHS = ["desktop", "phone"]


def _visitor(kind, new_visitor, new_phone_visitor):
    return new_visitor() if kind == "desktop" else new_phone_visitor()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_secretariat_approves_a_join_request_on_the_site(width, new_visitor, new_phone_visitor):
    secretariat = StaffFactory(email="sec@network.example.org")
    JoinRequestFactory(name="Porto Energy Communities", motivation="We run 12 communities.")
    visitor = _visitor(width, new_visitor, new_phone_visitor)
    page = visitor.page
    visitor.login(secretariat.email, TEST_PASSWORD)

    visitor.goto("/dashboard/")
    block = page.locator("section.work-block", has_text="Join requests to decide")
    assert block.get_by_text("Porto Energy Communities").is_visible()
    block.get_by_role("link", name="All join requests").click()
    visitor.check_page()
    visitor.screenshot(f"team-join-requests-{width}")
    page.get_by_role("link", name="Porto Energy Communities").click()
    visitor.check_page()
    assert page.get_by_text("We run 12 communities.").is_visible()
    visitor.screenshot(f"team-join-request-{width}")
    page.get_by_role("button", name="Approve").click()
    visitor.check_page()

    assert page.get_by_text("Porto Energy Communities is approved").is_visible()
    assert JoinRequest.objects.get().status == "approved"
    assert Cluster.objects.filter(name="Porto Energy Communities").exists()


@pytest.mark.parametrize("width", WIDTHS)
def test_an_smes_organisation_joins_a_cluster_and_can_send_from_it(
    width, new_visitor, new_phone_visitor
):
    cluster = ClusterFactory(name="Isar Mobility Forum", slug="isar-mobility-forum")
    manager = MembershipFactory(cluster=cluster, user__email="kat@imf.example.org").user
    host = ClusterFactory(name="Lyon Urban Mobility", slug="lyon", country="FR", city="Lyon")
    offer = OfferFactory(call=CallFactory(), host=host)
    sme = UserFactory(
        email="ana@acme.example.org",
        name="Ana Acme",
        organisation=OrganisationFactory(name="Acme Mobility GmbH"),
    )

    person = _visitor(width, new_visitor, new_phone_visitor)
    page = person.page
    person.login(sme.email, TEST_PASSWORD)
    person.goto(f"/exchange/applications/new/?offer={offer.pk}")
    sending = page.get_by_label(re.compile(r"^Sending cluster"))
    assert sending.locator("option").all_inner_texts() == ["None"]

    person.goto("/clusters/isar-mobility-forum/")
    page.get_by_role("link", name="Ask for Acme Mobility GmbH to join as a member").click()
    person.check_page()
    person.screenshot(f"team-member-request-{width}")
    page.get_by_label(re.compile(r"^Message to the cluster")).fill("We build e-bus chargers.")
    page.get_by_role("button", name="Send the request").click()
    person.check_page()
    assert page.get_by_text("has asked to join this cluster").is_visible()

    managing = _visitor(width, new_visitor, new_phone_visitor)
    mpage = managing.page
    managing.login(manager.email, TEST_PASSWORD)
    managing.goto("/dashboard/")
    block = mpage.locator("section.work-block", has_text="Organisations asking to join")
    block.get_by_role("link", name="Acme Mobility GmbH").click()
    managing.check_page()
    managing.screenshot(f"team-member-requests-{width}")
    assert mpage.get_by_text("We build e-bus chargers.").is_visible()
    mpage.get_by_label("Accept as a member").check()
    mpage.get_by_role("button", name=re.compile("Send the decision")).click()
    managing.check_page()
    assert mpage.get_by_text("Acme Mobility GmbH is now a member organisation").is_visible()

    person.goto("/accounts/profile/")
    assert page.get_by_role("heading", name="Clusters of Acme Mobility GmbH").is_visible()
    person.goto(f"/exchange/applications/new/?offer={offer.pk}")
    options = page.get_by_label(re.compile(r"^Sending cluster")).locator("option")
    assert "Isar Mobility Forum" in options.all_inner_texts()


@pytest.mark.parametrize("width", WIDTHS)
def test_a_manager_invites_a_colleague_who_signs_up(width, new_visitor, new_phone_visitor):
    cluster = ClusterFactory(name="Isar Mobility Forum", slug="isar-mobility-forum")
    manager = MembershipFactory(cluster=cluster, user__email="kat@imf.example.org").user
    mail.outbox.clear()

    managing = _visitor(width, new_visitor, new_phone_visitor)
    page = managing.page
    managing.login(manager.email, TEST_PASSWORD)
    managing.goto("/clusters/isar-mobility-forum/edit/")
    assert page.get_by_label("Role").input_value() == "staff"
    page.get_by_label("E-mail address of the person").fill("nina@newco.example.org")
    page.get_by_role("button", name="Add or invite").click()
    managing.check_page()
    assert page.get_by_text("an invitation to join as staff is sent by e-mail").is_visible()
    managing.screenshot(f"team-edit-invited-{width}")

    [invitation] = [m for m in mail.outbox if "nina@newco.example.org" in m.to]
    link = re.search(r"https?://\S+/clusters/invitations/\S+/", invitation.body).group(0)
    path = "/" + link.split("/", 3)[3]

    colleague = _visitor(width, new_visitor, new_phone_visitor)
    cpage = colleague.page
    colleague.goto(path)
    colleague.screenshot(f"team-invitation-{width}")
    cpage.get_by_role("link", name="Create my account").click()
    colleague.check_page()
    cpage.locator("input[name=name]").fill("Nina Newcomer")
    cpage.locator("input[name=email]").fill("nina@newco.example.org")
    cpage.locator("input[name=password1]").fill("a-long-and-unusual-passphrase")
    cpage.locator("input[name=password2]").fill("a-long-and-unusual-passphrase")
    cpage.locator("main form button[type=submit]").click()
    cpage.wait_for_load_state()
    [confirmation] = [
        m for m in mail.outbox if "nina@newco.example.org" in m.to and "confirm-email" in m.body
    ]
    colleague.goto(re.search(r"/accounts/confirm-email/\S+/", confirmation.body).group(0))
    cpage.locator("main form button[type=submit]").click()
    cpage.wait_for_load_state()
    colleague.check_page()
    assert cpage.get_by_text("You joined the team of Isar Mobility Forum as staff.").is_visible()
    membership = ClusterMembership.objects.get(user__email="nina@newco.example.org")
    assert (membership.cluster, membership.role) == (cluster, "staff")

    # Removing her asks first.
    managing.goto("/clusters/isar-mobility-forum/edit/")
    page.get_by_role("link", name="Remove Nina Newcomer").click()
    managing.check_page()
    managing.screenshot(f"team-remove-{width}")
    assert ClusterMembership.objects.filter(pk=membership.pk).exists()
    page.get_by_role("button", name="Yes, remove").click()
    managing.check_page()
    assert not ClusterMembership.objects.filter(pk=membership.pk).exists()
