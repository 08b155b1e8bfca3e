"""The practices admin: the secretariat moderates with the actions; a practice's cluster,
author and text are never changed there (four eyes, and no unreviewed rewrite)."""

import pytest
from django.urls import reverse

from practices.models import Practice
from tests.admin_forms import change_form_data
from tests.factories import ClusterFactory, MembershipFactory, StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_in_team(cluster):
    user = StaffFactory(email="staff.team@example.org")
    MembershipFactory(cluster=cluster, user=user, role="staff")
    return user


@pytest.mark.parametrize("status", ["submitted", "published"])
def test_the_admin_change_page_changes_no_cluster_author_or_text(
    client, make_practice, staff_in_team, status
):
    practice = make_practice(status)
    elsewhere = ClusterFactory(name="Elsewhere Cluster")
    before = Practice.objects.filter(pk=practice.pk).values().get()
    client.force_login(staff_in_team)
    url = reverse("admin:practices_practice_change", args=[practice.pk])

    page = client.get(url)
    assert page.status_code == 200  # still read here
    assert practice.title in page.content.decode()
    response = client.post(
        url,
        change_form_data(
            page,
            cluster=elsewhere.pk,
            author=staff_in_team.pk,
            title="Rewritten in admin",
            summary="Nobody reviewed this.",
            description="Nobody reviewed this either.",
        ),
    )

    assert Practice.objects.filter(pk=practice.pk).values().get() == before
    assert response.status_code == 403


def test_the_admin_cannot_add_a_practice(client, secretariat):
    client.force_login(secretariat)
    assert client.get(reverse("admin:practices_practice_add")).status_code == 403
