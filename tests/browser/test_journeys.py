"""Journeys through the real pages, as a person clicks them."""

import re

import pytest
from django.core import mail

from clusters.models import Cluster, ClusterMembership, JoinRequest
from tests.factories import (
    TEST_PASSWORD,
    ClusterFactory,
    MembershipFactory,
    StaffFactory,
    UserFactory,
)


@pytest.fixture
def network():
    mobility = ClusterFactory(
        name="Isar Mobility Forum",
        slug="isar-mobility-forum",
        country="DE",
        city="Munich",
        ecosystems=["mobility", "ict"],
        label="gold",
        label_year=2023,
    )
    energy = ClusterFactory(
        name="Loire Energy Coast",
        slug="loire-energy-coast",
        country="FR",
        city="Nantes",
        ecosystems=["energy"],
    )
    ClusterFactory(
        name="Tejo Green Hub",
        slug="tejo-green-hub",
        country="PT",
        city="Lisbon",
        ecosystems=["environment"],
    )
    return {"mobility": mobility, "energy": energy}


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_visitor_filters_the_directory_and_opens_a_profile(
    network, new_visitor, new_phone_visitor, phone
):
    visitor = (new_phone_visitor if phone else new_visitor)()
    page = visitor.page
    visitor.goto("/")
    page.get_by_role("link", name="Browse the clusters").click()
    visitor.check_page()
    assert page.get_by_role("heading", name="3 clusters").is_visible()

    page.get_by_role("checkbox", name="Energy").check()
    page.get_by_role("button", name="Show clusters").click()
    visitor.check_page()
    assert page.get_by_role("heading", name="1 cluster", exact=True).is_visible()
    assert page.get_by_role("link", name="Loire Energy Coast").is_visible()
    assert page.get_by_role("link", name="Isar Mobility Forum").count() == 0

    page.get_by_role("link", name="Loire Energy Coast").click()
    visitor.check_page()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Loire Energy Coast")
    assert "Nantes" in page.content()


def test_newcomer_signs_up_confirms_by_email_logs_in_and_edits_profile(db, new_visitor):
    visitor = new_visitor()
    page = visitor.page
    visitor.goto("/")
    page.get_by_role("link", name="Sign up").click()
    visitor.check_page()
    page.get_by_label("Your name").fill("Nina Newcomer")
    page.get_by_label("Email").fill("nina@sme.example.org")
    page.get_by_label(re.compile(r"^Password:?$")).fill("a-long-and-unusual-passphrase")
    page.get_by_label("Password (again)").fill("a-long-and-unusual-passphrase")
    page.get_by_role("button", name="Sign Up").click()
    visitor.check_page()
    assert "Verify Your Email Address" in page.content()

    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body).group(0)
    page.goto(link)
    visitor.check_page()
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_load_state()
    # Confirming logs the newcomer in and lands on Your work, whose first step is the profile.
    visitor.check_page()
    assert page.get_by_role("heading", name="Your work").is_visible()
    page.get_by_role("link", name="Add your organisation, its country and kind").click()
    visitor.check_page()
    assert page.get_by_role("heading", name="Your profile").is_visible()

    page.get_by_label("Country").select_option("ES")
    page.get_by_label(re.compile(r"^Organisation:?$")).fill("Sol Mobility SL")
    page.get_by_label("Kind of organisation").select_option("startup")
    page.get_by_role("button", name="Save").click()
    visitor.check_page()
    assert page.get_by_text("Your profile has been saved.").is_visible()

    page.get_by_role("button", name="Log out").click()
    visitor.login("nina@sme.example.org", "a-long-and-unusual-passphrase")
    visitor.check_page()
    # Her organisation is in: Your work no longer asks for it; the header opens her profile.
    assert page.get_by_role("heading", name="Your work").is_visible()
    assert not page.get_by_text("Complete your profile").is_visible()
    page.get_by_role("link", name="Nina Newcomer").click()
    visitor.check_page()
    assert page.get_by_label(re.compile(r"^Organisation:?$")).input_value() == "Sol Mobility SL"


def test_manager_edits_own_cluster_and_adds_a_staff_member(network, new_visitor):
    manager = MembershipFactory(cluster=network["mobility"], user__email="kat@imf.example.org")
    colleague = UserFactory(email="felix@imf.example.org", name="Felix Brandt")
    visitor = new_visitor()
    page = visitor.page
    visitor.login(manager.user.email, TEST_PASSWORD)
    visitor.goto("/clusters/isar-mobility-forum/")
    page.get_by_role("link", name="Edit profile and team").click()
    visitor.check_page()

    page.get_by_label("What we can share").fill("A living lab of 40 connected intersections.")
    page.get_by_label("SMEs").fill("150")
    page.get_by_role("button", name="Save profile").click()
    visitor.check_page()
    assert page.get_by_text("The cluster profile has been saved.").is_visible()

    page.get_by_label("E-mail address of the person").fill(colleague.email)
    page.get_by_label("Role").select_option("staff")
    page.get_by_role("button", name="Add or invite").click()
    visitor.check_page()
    assert page.get_by_text("Felix Brandt is now staff of the cluster.").is_visible()

    network["mobility"].refresh_from_db()
    assert network["mobility"].offers == "A living lab of 40 connected intersections."
    assert network["mobility"].members_smes == 150
    assert ClusterMembership.objects.filter(
        cluster=network["mobility"], user=colleague, role="staff"
    ).exists()

    visitor.goto("/clusters/isar-mobility-forum/")
    assert "A living lab of 40 connected intersections." in page.content()


def test_manager_cannot_reach_another_clusters_edit_page(network, new_visitor):
    manager = MembershipFactory(cluster=network["mobility"], user__email="kat@imf.example.org")
    visitor = new_visitor()
    visitor.login(manager.user.email, TEST_PASSWORD)
    response = visitor.goto("/clusters/loire-energy-coast/edit/")
    assert response.status == 403
    assert visitor.page.get_by_role("heading", name="You may not do this").is_visible()
    # Nor is there a link to it on the other cluster's profile.
    visitor.goto("/clusters/loire-energy-coast/")
    assert visitor.page.get_by_role("link", name="Edit profile and team").count() == 0


def test_member_requests_to_join_and_secretariat_approves_on_the_site(network, new_visitor):
    member = UserFactory(email="ana@porto.example.org", name="Ana Sousa")
    secretariat = StaffFactory(email="sec@network.example.org", name="Sam Secretariat")

    applicant = new_visitor()
    page = applicant.page
    applicant.login(member.email, TEST_PASSWORD)
    applicant.goto("/")
    page.get_by_role("link", name="Join the network").click()
    applicant.check_page()
    page.get_by_label(re.compile(r"^Name:?$")).fill("Porto Energy Communities")
    page.get_by_label("Acronym").fill("PEC")
    page.get_by_label("Description").fill("Energy communities in the Porto metropolitan area.")
    page.get_by_label("Energy").check()
    page.get_by_label("Country").select_option("PT")
    page.get_by_label("City").fill("Porto")
    page.get_by_label("Contact e-mail").fill("hello@pec.example.org")
    page.get_by_label("Why join the network").fill("To learn from older clusters.")
    page.get_by_role("button", name="Send the request").click()
    applicant.check_page()
    assert page.get_by_text("your request has been sent").is_visible()
    join_request = JoinRequest.objects.get(name="Porto Energy Communities")

    admin = new_visitor()
    admin.login(secretariat.email, TEST_PASSWORD)
    # The secretariat was told: a badge in the header, the request in the inbox.
    admin.goto("/")
    admin.page.get_by_role("link", name=re.compile("Notifications 1 unread")).click()
    admin.check_page()
    admin.page.get_by_role("link", name=re.compile("New join request: Porto Energy")).click()
    admin.page.wait_for_load_state()
    # The link opens the request on the site, where the secretariat decides it.
    assert f"/clusters/join-requests/{join_request.pk}/" in admin.page.url
    admin.check_page()
    admin.page.get_by_role("button", name="Approve").click()
    admin.check_page()
    assert admin.page.get_by_text("Porto Energy Communities is approved").is_visible()

    join_request.refresh_from_db()
    assert join_request.status == "approved"
    cluster = Cluster.objects.get(name="Porto Energy Communities")
    assert ClusterMembership.objects.filter(cluster=cluster, user=member, role="manager").exists()

    applicant.goto("/notifications/")
    assert page.get_by_role(
        "link", name="Welcome: Porto Energy Communities is now in the network"
    ).is_visible()
    assert len(mail.outbox) == 2  # one to the secretariat, one to the requester

    applicant.goto("/clusters/?q=Porto")
    page.get_by_role("link", name="Porto Energy Communities").click()
    applicant.check_page()
    assert page.get_by_role("link", name="Edit profile and team").is_visible()


def test_member_chooses_a_daily_digest_and_clears_the_inbox(db, new_visitor):
    from notifications.models import Preference
    from tests.factories import NotificationFactory

    member = UserFactory(email="mia@sme.example.org")
    NotificationFactory.create_batch(2, recipient=member, email_state="sent")
    visitor = new_visitor()
    page = visitor.page
    visitor.login(member.email, TEST_PASSWORD)
    page.get_by_role("link", name=re.compile("Notifications 2 unread")).click()
    visitor.check_page()
    page.get_by_role("button", name="Mark all as read").click()
    visitor.check_page()
    assert page.get_by_text("All your notifications are marked as read.").is_visible()
    assert page.get_by_role("link", name=re.compile("unread")).count() == 0

    page.get_by_role("link", name="Preferences").click()
    visitor.check_page()
    group = page.get_by_role("group", name=re.compile("join request was approved"))
    group.get_by_label("Daily digest e-mail").check()
    page.get_by_role("button", name="Save preferences").click()
    visitor.check_page()
    assert page.get_by_text("Your notification preferences have been saved.").is_visible()
    assert Preference.objects.get(user=member, kind="clusters.joinrequest_approved").channel == (
        "digest"
    )
