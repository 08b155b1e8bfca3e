"""The "Your work" page: the landing page after login, composed of the features' queues."""

import pytest
from django.urls import reverse

from core.panels import _PANELS, Panel, register
from core.work import WORK_SLOT, WorkItem, work_block
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def a_queue():
    """A feature's queue registered for the test only (the real ones have tests of their own)."""

    def context(request):
        if not request.user.is_staff:
            return None
        items = [WorkItem(f"Item {n}", f"/item/{n}/", note="waits") for n in range(7)]
        return work_block(
            name="test-queue", title="Things to check", count=7, items=items, more_url="/all/"
        )

    panel = register(Panel(WORK_SLOT, "test-queue", "work/block.html", context))
    yield panel
    del _PANELS[(WORK_SLOT, "test-queue")]


def test_logging_in_lands_on_your_work(client, django_user_model):
    user = django_user_model.objects.create_user(
        email="ana@example.org", password="a long password 123"
    )
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    response = client.post(
        reverse("account_login"), {"login": "ana@example.org", "password": "a long password 123"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")


def test_a_block_lists_the_oldest_five_with_the_count_and_a_link_to_all(
    client, a_queue, admin_user
):
    client.force_login(admin_user)
    page = client.get(reverse("dashboard")).content.decode()
    assert "Things to check" in page
    assert ">7<" in page
    assert "Item 4" in page
    assert "Item 5" not in page
    assert 'href="/all/"' in page


def test_a_person_without_any_queue_is_told_so_and_shown_where_to_go(
    client, a_queue, django_user_model
):
    user = django_user_model.objects.create_user(
        email="bo@example.org", password="x" * 14, organisation=OrganisationFactory()
    )
    client.force_login(user)
    page = client.get(reverse("dashboard")).content.decode()
    assert "Things to check" not in page
    assert "Nothing waits for you" in page
    assert reverse("clusters:directory") in page


def test_the_header_links_to_your_work_for_people_logged_in_only(client, django_user_model):
    assert reverse("dashboard") not in client.get(reverse("home")).content.decode()
    client.force_login(
        django_user_model.objects.create_user(email="c@example.org", password="x" * 14)
    )
    assert f'href="{reverse("dashboard")}"' in client.get(reverse("home")).content.decode()


def test_a_newcomer_without_an_organisation_is_shown_the_profile_first(client, django_user_model):
    user = django_user_model.objects.create_user(email="new@example.org", password="x" * 14)
    client.force_login(user)
    page = client.get(reverse("dashboard")).content.decode()
    assert "Complete your profile" in page
    assert f'href="{reverse("accounts:profile")}"' in page


def test_a_person_with_an_organisation_is_not_asked_for_it(client, member):
    member.organisation = OrganisationFactory()
    member.save(update_fields=["organisation"])
    client.force_login(member)
    assert "Complete your profile" not in client.get(reverse("dashboard")).content.decode()
