from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404, QueryDict
from django.utils import timezone

from clusters.models import Cluster
from clusters.selectors import (
    cluster_directory,
    cluster_directory_results,
    cluster_get,
    cluster_team,
    join_requests_of,
    network_counts,
)
from tests.factories import ClusterFactory, JoinRequestFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def directory(**params):
    """Names of the clusters the directory lists for these query parameters, in order."""
    filterset = cluster_directory(data=QueryDict(urlencode(params, doseq=True)))
    return [c.name for c in cluster_directory_results(filterset)]


def set_created(cluster, days_ago):
    Cluster.objects.filter(pk=cluster.pk).update(created=timezone.now() - timedelta(days=days_ago))


@pytest.fixture
def network(db):
    """Four clusters that differ on every filter."""
    return {
        "alpha": ClusterFactory(
            name="Alpha Mobility",
            acronym="ALM",
            country="DE",
            ecosystems=["mobility"],
            label=Cluster.Label.GOLD,
            label_year=2022,
            members_smes=30,
            members_research=0,
            description="Electric buses and shared bikes.",
        ),
        "bravo": ClusterFactory(
            name="Bravo Energy",
            acronym="BEN",
            country="FR",
            ecosystems=["energy", "environment"],
            label=Cluster.Label.SILVER,
            label_year=2021,
            members_smes=120,
            members_research=0,
            description="Renewable energy communities.",
        ),
        "charlie": ClusterFactory(
            name="Charlie Digital",
            acronym="CDX",
            country="PT",
            ecosystems=["ict", "mobility"],
            members_smes=300,
            members_research=10,
            description="Urban data platforms and hydrogen logistics.",
        ),
        "delta": ClusterFactory(
            name="Delta Green",
            acronym="DGR",
            country="FR",
            ecosystems=["environment"],
            members_smes=600,
            members_research=0,
            description="Water and waste.",
        ),
    }


def test_directory_without_filters_lists_active_clusters_by_name(network):
    assert directory() == ["Alpha Mobility", "Bravo Energy", "Charlie Digital", "Delta Green"]


def test_directory_without_any_data_lists_all_active_clusters(network):
    filterset = cluster_directory(data=None)
    assert [c.name for c in cluster_directory_results(filterset)] == [
        "Alpha Mobility",
        "Bravo Energy",
        "Charlie Digital",
        "Delta Green",
    ]


def test_directory_filters_by_ecosystem(network):
    assert directory(ecosystem="mobility") == ["Alpha Mobility", "Charlie Digital"]
    assert directory(ecosystem="environment") == ["Bravo Energy", "Delta Green"]
    assert directory(ecosystem="energy") == ["Bravo Energy"]


def test_directory_ecosystem_filter_lists_each_cluster_once(network):
    names = directory(ecosystem="mobility", sort="-members")
    assert names == ["Charlie Digital", "Alpha Mobility"]


def test_directory_filters_by_country(network):
    assert directory(country="FR") == ["Bravo Energy", "Delta Green"]
    assert directory(country="PT") == ["Charlie Digital"]


def test_directory_filters_by_label(network):
    assert directory(label="gold") == ["Alpha Mobility"]
    assert directory(label="none") == ["Charlie Digital", "Delta Green"]


@pytest.mark.parametrize(
    ("band", "expected"),
    [
        ("small", ["Alpha Mobility"]),
        ("medium", ["Bravo Energy"]),
        ("large", ["Charlie Digital"]),
        ("xlarge", ["Delta Green"]),
    ],
)
def test_directory_filters_by_size_band(network, band, expected):
    assert directory(size=band) == expected


def test_size_band_edges_are_inclusive():
    ClusterFactory(name="Forty-nine", members_smes=49, members_research=0)
    ClusterFactory(name="Fifty", members_smes=50, members_research=0)
    ClusterFactory(name="Five hundred", members_smes=500, members_research=0)
    assert directory(size="small") == ["Forty-nine"]
    assert directory(size="medium") == ["Fifty"]
    assert directory(size="xlarge") == ["Five hundred"]


def test_directory_search_matches_name_acronym_and_description(network):
    assert directory(q="bravo") == ["Bravo Energy"]
    assert directory(q="cdx") == ["Charlie Digital"]
    assert directory(q="HYDROGEN") == ["Charlie Digital"]
    assert directory(q="energy") == ["Bravo Energy"]
    assert len(directory(q="   ")) == 4
    assert directory(q="nothing like this") == []


def test_directory_filters_combine(network):
    assert directory(country="FR", ecosystem="environment", size="xlarge") == ["Delta Green"]
    assert directory(country="FR", label="gold") == []


def test_directory_sorts_by_name(network):
    assert directory(sort="name") == [
        "Alpha Mobility",
        "Bravo Energy",
        "Charlie Digital",
        "Delta Green",
    ]
    assert directory(sort="-name") == [
        "Delta Green",
        "Charlie Digital",
        "Bravo Energy",
        "Alpha Mobility",
    ]


def test_directory_sorts_by_most_members(network):
    assert directory(sort="-members") == [
        "Delta Green",
        "Charlie Digital",
        "Bravo Energy",
        "Alpha Mobility",
    ]
    assert directory(sort="members") == [
        "Alpha Mobility",
        "Bravo Energy",
        "Charlie Digital",
        "Delta Green",
    ]


def test_directory_sorts_by_newest(network):
    set_created(network["charlie"], days_ago=1)
    set_created(network["alpha"], days_ago=10)
    set_created(network["delta"], days_ago=100)
    set_created(network["bravo"], days_ago=1000)
    assert directory(sort="-newest") == [
        "Charlie Digital",
        "Alpha Mobility",
        "Delta Green",
        "Bravo Energy",
    ]


def test_directory_hides_inactive_clusters(network):
    ClusterFactory(name="Asleep Cluster", status=Cluster.Status.INACTIVE, country="IT")
    assert "Asleep Cluster" not in directory()
    assert directory(q="asleep") == []
    assert directory(country="IT") == []


def test_directory_offers_only_countries_of_active_clusters(network):
    ClusterFactory(name="Asleep Cluster", status=Cluster.Status.INACTIVE, country="IT")
    filterset = cluster_directory(data=None)
    codes = [code for code, _name in filterset.form.fields["country"].choices if code]
    assert sorted(codes) == ["DE", "FR", "PT"]


@pytest.mark.parametrize(
    "params",
    [
        {"ecosystem": "space"},
        {"country": "XX"},
        {"country": "IT"},  # a real country without an active cluster
        {"label": "platinum"},
        {"size": "huge"},
        {"sort": "-popularity"},
        {"ecosystem": "mobility", "size": "gigantic"},
    ],
)
def test_invalid_filter_values_give_no_results_without_error(network, params):
    assert directory(**params) == []


def test_cluster_get_returns_an_active_cluster_to_a_visitor(cluster):
    assert cluster_get(slug=cluster.slug, user=AnonymousUser()) == cluster


def test_cluster_get_404s_for_an_unknown_slug(db):
    with pytest.raises(Http404):
        cluster_get(slug="no-such-cluster", user=AnonymousUser())


@pytest.fixture
def inactive_cluster(cluster):
    Cluster.objects.filter(pk=cluster.pk).update(status=Cluster.Status.INACTIVE)
    return cluster


@pytest.mark.parametrize("who", ["visitor", "member", "other_manager"])
def test_cluster_get_404s_for_an_inactive_cluster_to_outsiders(request, inactive_cluster, who):
    user = AnonymousUser() if who == "visitor" else request.getfixturevalue(who)
    with pytest.raises(Http404):
        cluster_get(slug=inactive_cluster.slug, user=user)


@pytest.mark.parametrize("who", ["manager", "staff_member", "secretariat"])
def test_cluster_get_shows_an_inactive_cluster_to_its_team_and_secretariat(
    request, inactive_cluster, who
):
    user = request.getfixturevalue(who)
    assert cluster_get(slug=inactive_cluster.slug, user=user) == inactive_cluster


def test_cluster_get_lists_only_the_managers(cluster, manager, staff_member):
    fetched = cluster_get(slug=cluster.slug, user=AnonymousUser())
    assert [m.user for m in fetched.manager_memberships] == [manager]


def test_cluster_team_lists_the_whole_team_of_this_cluster(
    cluster, manager, staff_member, other_manager
):
    team = cluster_team(cluster=cluster)
    assert {m.user for m in team} == {manager, staff_member}


def test_join_requests_of_lists_only_the_users_requests(member):
    mine = JoinRequestFactory(requester=member)
    JoinRequestFactory()
    assert list(join_requests_of(user=member)) == [mine]


def test_network_counts_count_only_active_clusters(cluster, other_cluster):
    ClusterFactory(country="IT", status=Cluster.Status.INACTIVE, members_smes=1000)
    MembershipFactory(cluster=cluster)
    assert network_counts() == {"clusters": 2, "countries": 2, "members": 90}
