"""Issue 14, "Finding a cluster" and "No lost typing", through the real pages at
desktop (1280 px) and phone (390 px) widths: a visitor finds Portuguese and energy
clusters and drops the filter an empty result names; a member writes to a cluster's
managers from its profile; a manager attaches a file without losing what they typed."""

import re

import pytest

from clusters.notifications import CLUSTER_CONTACTED
from notifications.models import Notification
from practices.models import Practice
from tests.factories import (
    PDF_BYTES,
    TEST_PASSWORD,
    ClusterFactory,
    MembershipFactory,
    OrganisationFactory,
    PracticeFactory,
    UserFactory,
)

WIDTHS = {"desktop": "new_visitor", "phone": "new_phone_visitor"}


@pytest.fixture(params=sorted(WIDTHS))
def make_visitor(request):
    """A fresh browser tab at the parameter's width."""
    return request.getfixturevalue(WIDTHS[request.param])


@pytest.fixture
def network():
    tejo = ClusterFactory(
        name="Tejo Green Hub", slug="tejo-green-hub", country="PT", ecosystems=["energy"]
    )
    ClusterFactory(
        name="Douro Mobility Lab", slug="douro-mobility-lab", country="PT", ecosystems=["mobility"]
    )
    ClusterFactory(
        name="Ebro Solar Valley", slug="ebro-solar-valley", country="ES", ecosystems=["energy"]
    )
    ClusterFactory(
        name="Isar Mobility Forum", slug="isar-mobility-forum", country="DE", ecosystems=["ict"]
    )
    manager = MembershipFactory(
        cluster=tejo, user__email="rita@tejo.example.pt", user__name="Rita Alves"
    ).user
    return {"tejo": tejo, "manager": manager}


def _names(page):
    """The clusters listed, by name (a card's title ends with the acronym)."""
    titles = page.locator(".card-grid .card-title").all_inner_texts()
    return sorted(title.rsplit(" ", 1)[0] for title in titles)


def test_a_visitor_finds_clusters_by_country_and_ecosystem(network, make_visitor):
    visitor = make_visitor()
    page = visitor.page
    visitor.goto("/clusters/")
    page.get_by_label("Search").fill("Portugal")
    page.get_by_role("button", name="Show clusters").click()
    visitor.check_page()
    assert _names(page) == ["Douro Mobility Lab", "Tejo Green Hub"]

    page.get_by_label("Search").fill("energy")
    page.get_by_role("button", name="Show clusters").click()
    visitor.check_page()
    assert _names(page) == ["Ebro Solar Valley", "Tejo Green Hub"]

    # Several countries and an ecosystem, ticked: the address can be shared as it is.
    page.get_by_label("Search").fill("")
    page.get_by_label("Portugal").check()
    page.get_by_label("Spain").check()
    page.get_by_label("ICT").check()
    page.get_by_role("button", name="Show clusters").click()
    visitor.check_page()
    assert "country=PT" in page.url
    assert "country=ES" in page.url
    assert _names(page) == []
    suggestion = page.get_by_role("link", name=re.compile("Without ‘Countries: Portugal, Spain’"))
    assert suggestion.is_visible()
    assert "there is 1" in suggestion.inner_text()
    suggestion.click()
    visitor.check_page()
    assert _names(page) == ["Isar Mobility Forum"]
    assert page.get_by_label("ICT").is_checked()
    assert not page.get_by_label("Portugal").is_checked()


def test_a_member_writes_to_a_clusters_managers(network, make_visitor):
    sender = UserFactory(
        email="jan@gdansk.example.pl",
        name="Jan Nowak",
        organisation=OrganisationFactory(name="Gdansk Port Tech"),
    )
    visitor = make_visitor()
    page = visitor.page
    visitor.goto("/clusters/tejo-green-hub/")
    assert "rita@tejo.example.pt" not in page.content()
    button = page.get_by_role("link", name="Contact the cluster")
    box = button.bounding_box()
    assert box is not None
    assert box["y"] + box["height"] <= page.viewport_size["height"], "not on the first screen"
    button.click()
    # Not signed in: the sign-in page, then back to the form.
    page.get_by_label("Email").fill(sender.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_load_state()
    visitor.check_page()
    assert page.url.endswith("/clusters/tejo-green-hub/contact/")

    page.get_by_role("button", name="Send the message").click()
    visitor.check_page()
    assert page.get_by_text("This field is required.").is_visible()
    assert not Notification.objects.filter(kind=CLUSTER_CONTACTED.name).exists()

    page.get_by_label("Your message").fill("Could we visit your energy community in May?")
    page.get_by_role("button", name="Send the message").click()
    visitor.check_page()
    assert page.get_by_text("Your message has been sent to the managers").is_visible()
    sent = Notification.objects.get(kind=CLUSTER_CONTACTED.name)
    assert sent.recipient == network["manager"]
    assert "jan@gdansk.example.pl" in sent.body

    manager = make_visitor()
    manager.login(network["manager"].email, TEST_PASSWORD)
    manager.goto("/notifications/")
    subject = re.compile(r"^Jan Nowak \(Gdansk Port Tech\) writes to Tejo")
    assert manager.page.get_by_role("link", name=subject).is_visible()
    assert manager.page.get_by_text("write to jan@gdansk.example.pl").is_visible()


def test_a_manager_attaches_a_file_without_losing_the_typing(network, make_visitor, tmp_path):
    draft = PracticeFactory(
        cluster=network["tejo"],
        author=network["manager"],
        status="draft",
        title="Energy communities in social housing",
        slug="energy-communities",
    )
    report = tmp_path / "results.pdf"
    report.write_bytes(PDF_BYTES)
    visitor = make_visitor()
    page = visitor.page
    visitor.login(network["manager"].email, TEST_PASSWORD)

    visitor.goto("/practices/new/")
    assert page.get_by_text("Files (PDF, images, office documents) are added once").is_visible()

    visitor.goto(f"/practices/{draft.slug}/edit/")
    assert page.get_by_text("Attaching or removing a file saves your text").is_visible()
    page.get_by_label("Evidence of success").fill("Bills fell by a fifth in 120 flats.")
    page.get_by_label("Add a file").set_input_files(str(report))
    page.get_by_role("button", name="Save and attach").click()
    visitor.check_page()
    assert page.get_by_text("Your draft is saved and the file is attached.").is_visible()
    assert page.get_by_role("link", name="results.pdf").is_visible()
    assert page.get_by_label("Evidence of success").input_value() == (
        "Bills fell by a fifth in 120 flats."
    )
    draft.refresh_from_db()
    assert draft.evidence == "Bills fell by a fifth in 120 flats."

    # Removing the file keeps what was typed since, too.
    page.get_by_label("Difficulties").fill("Landlords' consent took a year.")
    page.get_by_role("button", name="Remove results.pdf").click()
    visitor.check_page()
    assert page.get_by_text("the file was removed").is_visible()
    practice = Practice.objects.get(pk=draft.pk)
    assert practice.difficulties == "Landlords' consent took a year."
    assert not practice.attachments.exists()


def test_leaving_the_practice_form_with_unsaved_typing_asks_first(network, new_visitor):
    draft = PracticeFactory(
        cluster=network["tejo"], author=network["manager"], status="draft", slug="unsaved"
    )
    visitor = new_visitor()
    page = visitor.page
    visitor.login(network["manager"].email, TEST_PASSWORD)
    visitor.goto(f"/practices/{draft.slug}/edit/")
    page.get_by_label("Difficulties").fill("Typed and not saved.")
    asked = []

    def answer(dialog):
        asked.append(dialog.type)
        dialog.dismiss()  # stay on the page

    page.on("dialog", answer)
    page.get_by_role("link", name=f"← {draft.title}").click()
    page.wait_for_timeout(500)
    assert asked == ["beforeunload"]
    assert page.url.endswith(f"/practices/{draft.slug}/edit/")
    assert page.get_by_label("Difficulties").input_value() == "Typed and not saved."
