"""Changelists show a country's name without a pass over the 250 countries per row."""

from unittest import mock

import pytest
from django.contrib.admin import utils as admin_utils
from django.urls import reverse

from tests.factories import ClusterFactory, JoinRequestFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELISTS = [
    "admin:clusters_cluster_changelist",
    "admin:clusters_organisation_changelist",
    "admin:clusters_joinrequest_changelist",
    "admin:accounts_user_changelist",
]


@pytest.fixture
def secretariat():
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.mark.parametrize("name", CHANGELISTS)
def test_the_country_column_shows_names_without_flattening_the_choices_per_row(
    client, secretariat, name
):
    for country in ("PT", "FI", "BE"):
        cluster = ClusterFactory(country=country)
        cluster.member_organisations.create(name=f"SME of {country}", country=country)
        UserFactory(country=country)
        JoinRequestFactory(country=country)
    client.force_login(secretariat)
    shown = []
    real = admin_utils.display_for_field

    def spy(value, field, empty_value_display, *args, **kwargs):
        shown.append(field.name)
        return real(value, field, empty_value_display, *args, **kwargs)

    with mock.patch("django.contrib.admin.templatetags.admin_list.display_for_field", spy):
        response = client.get(reverse(name), {"o": ""})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Portugal" in html
    assert "Finland" in html
    assert "country" not in shown
