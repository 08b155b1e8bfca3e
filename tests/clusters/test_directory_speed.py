"""The directory and the profile at network scale: the cheaper widgets render the same HTML
as Django's, the query count stays the same as the network grows, and the page stays small."""

import pytest
from django import forms
from django.test.html import parse_html
from django.urls import reverse

from clusters.filters import CheckboxList, FlatSelect
from clusters.models import Cluster
from clusters.selectors import active_country_codes, network_counts
from tests.factories import ClusterFactory

CHOICES = [("mobility", "Mobility"), ("energy", "Energy & <grids>"), ("ict", "ICT")]


@pytest.mark.parametrize(
    ("ours", "django"),
    [(CheckboxList, forms.CheckboxSelectMultiple), (FlatSelect, forms.Select)],
)
@pytest.mark.parametrize("value", [None, ["energy"], ["energy", "ict"], "ict"])
def test_the_flat_widgets_render_the_same_html_as_djangos(ours, django, value):
    if django is forms.Select and isinstance(value, list):
        value = value[0]
    attrs = {"id": "id_eco", "aria-describedby": "id_eco_helptext"}
    mine = ours(choices=CHOICES).render("eco", value, attrs=attrs)
    theirs = django(choices=CHOICES).render("eco", value, attrs=attrs)
    assert parse_html(mine) == parse_html(theirs)
    assert "&lt;grids&gt;" in mine


@pytest.fixture
def spread(db):
    """Active clusters in three countries, and a country whose only cluster is inactive."""
    for country, status in [
        ("PT", "active"),
        ("PT", "active"),
        ("DE", "active"),
        ("SE", "active"),
        ("SE", "inactive"),
        ("FR", "inactive"),
    ]:
        ClusterFactory(country=country, status=status, members_smes=10, members_research=1)


def test_the_countries_with_an_active_cluster_are_each_listed_once(spread):
    distinct = set(Cluster.objects.active().values_list("country", flat=True))
    assert active_country_codes() == sorted(distinct) == ["DE", "PT", "SE"]


def test_no_active_cluster_means_no_country(db):
    assert active_country_codes() == []
    assert network_counts() == {"clusters": 0, "countries": 0, "members": 0}


def test_the_network_figures_count_active_clusters_only(spread):
    assert network_counts() == {"clusters": 4, "countries": 3, "members": 44}


def test_the_directory_offers_only_the_countries_with_an_active_cluster(client, spread):
    response = client.get(reverse("clusters:directory"))
    offered = [code for code, _name in response.context["filter"].form.fields["country"].choices]
    assert sorted(offered) == ["DE", "PT", "SE"]
