"""Finding a cluster: search by country name and ecosystem, several countries and
ecosystems at once, and an empty result that says which filter to drop."""

from urllib.parse import urlencode

import pytest
from django.http import QueryDict
from django.urls import reverse

from clusters.filters import countries_named, ecosystems_named
from clusters.selectors import (
    cluster_directory,
    cluster_directory_relaxations,
    cluster_directory_results,
)
from tests.factories import ClusterFactory

pytestmark = pytest.mark.django_db


def directory(**params):
    filterset = cluster_directory(data=QueryDict(urlencode(params, doseq=True)))
    return [c.name for c in cluster_directory_results(filterset)]


@pytest.fixture
def network(db):
    """Words in names and descriptions never say the country or the ecosystem."""
    return [
        ClusterFactory(
            name="Lisbon Cluster Alpha", country="PT", ecosystems=["energy"], description="Grids."
        ),
        ClusterFactory(
            name="Porto Cluster Bravo",
            country="PT",
            ecosystems=["mobility", "ict"],
            description="Buses.",
        ),
        ClusterFactory(
            name="Madrid Cluster Charlie",
            country="ES",
            ecosystems=["energy", "ict"],
            description="Solar.",
        ),
        ClusterFactory(
            name="Lyon Cluster Delta",
            country="FR",
            ecosystems=["environment"],
            description="Water.",
        ),
        ClusterFactory(
            name="Malmo Cluster Echo",
            country="SE",
            ecosystems=["mobility"],
            description="We save energy in depots.",
        ),
    ]


@pytest.mark.parametrize("typed", ["Portugal", "portugal", "PORTU", "PT", "prt", "  Portugal  "])
def test_search_finds_clusters_by_their_country_as_people_type_it(network, typed):
    assert directory(q=typed) == ["Lisbon Cluster Alpha", "Porto Cluster Bravo"]


@pytest.mark.parametrize("typed", ["Spain", "España", "espana", "ESP"])
def test_search_knows_a_country_by_its_own_name_too(network, typed):
    assert directory(q=typed) == ["Madrid Cluster Charlie"]


def test_search_does_not_match_the_middle_of_a_country_name(network):
    assert "PT" not in countries_named("gal")
    assert directory(q="tugal") == []


def test_search_for_an_ecosystem_finds_the_clusters_tagged_with_it(network):
    # Echo says "energy" in its description; the other two are tagged Energy.
    assert directory(q="energy") == [
        "Lisbon Cluster Alpha",
        "Madrid Cluster Charlie",
        "Malmo Cluster Echo",
    ]
    assert directory(q="ICT") == ["Madrid Cluster Charlie", "Porto Cluster Bravo"]
    assert ecosystems_named("environ") == ["environment"]


def test_every_word_of_the_search_must_match(network):
    assert directory(q="Portugal energy") == ["Lisbon Cluster Alpha"]
    assert directory(q="energy Sweden") == ["Malmo Cluster Echo"]
    assert directory(q="Portugal environment") == []


def test_a_cluster_matching_two_ecosystems_is_listed_once(network):
    assert directory(q="ict energy") == ["Madrid Cluster Charlie"]
    assert directory(ecosystem=["energy", "ict"]) == [
        "Lisbon Cluster Alpha",
        "Madrid Cluster Charlie",
        "Porto Cluster Bravo",
    ]


def test_country_filter_takes_several_countries(network):
    assert directory(country=["PT", "ES"]) == [
        "Lisbon Cluster Alpha",
        "Madrid Cluster Charlie",
        "Porto Cluster Bravo",
    ]
    assert directory(country=["FR"]) == ["Lyon Cluster Delta"]


def test_filters_combine_countries_and_ecosystems(network):
    assert directory(country=["PT", "SE"], ecosystem=["mobility"]) == [
        "Malmo Cluster Echo",
        "Porto Cluster Bravo",
    ]


def test_an_empty_value_from_an_old_link_means_no_filter(network):
    assert len(directory(country="", ecosystem="")) == 5


def test_an_unknown_country_among_several_gives_an_error_and_no_cluster(client, network):
    response = client.get(reverse("clusters:directory"), {"country": ["PT", "ZZ"]})
    assert response.status_code == 200
    assert list(response.context["clusters"]) == []
    assert 'id="id_country_error"' in response.content.decode()


def test_the_directory_url_with_several_countries_is_shareable(client, network):
    response = client.get(reverse("clusters:directory") + "?country=PT&country=ES")
    names = [c.name for c in response.context["clusters"]]
    assert names == ["Lisbon Cluster Alpha", "Madrid Cluster Charlie", "Porto Cluster Bravo"]
    html = response.content.decode()
    # Both boxes come back ticked, so the next search keeps them.
    assert 'value="PT" id="id_country_' in html
    for code in ("PT", "ES"):
        assert f'value="{code}" id="id_country_' in html
        tick = html.split(f'value="{code}"', 1)[1].split(">", 1)[0]
        assert "checked" in tick
    fr = html.split('value="FR"', 1)[1].split(">", 1)[0]
    assert "checked" not in fr


def test_an_empty_result_says_which_filter_to_drop(network):
    filterset = cluster_directory(
        data=QueryDict(urlencode({"country": ["PT"], "ecosystem": ["environment"]}, doseq=True))
    )
    assert list(cluster_directory_results(filterset)) == []
    relaxations = cluster_directory_relaxations(filterset)
    assert [(r.label, r.value, r.count) for r in relaxations] == [
        ("Countries", "Portugal", 1),
        ("Ecosystems", "Environment", 2),
    ]
    assert QueryDict(relaxations[0].querystring).getlist("ecosystem") == ["environment"]
    assert "country" not in QueryDict(relaxations[0].querystring)


def test_a_filter_whose_dropping_still_finds_nothing_is_not_suggested(network):
    filterset = cluster_directory(
        data=QueryDict(urlencode({"q": "zeppelin", "country": ["PT"]}, doseq=True))
    )
    relaxations = cluster_directory_relaxations(filterset)
    # Without the country "zeppelin" still finds nothing: only the search is offered.
    assert [(r.label, r.count) for r in relaxations] == [("Search", 2)]


def test_the_empty_directory_page_links_to_the_result_without_the_filter(client, network):
    response = client.get(
        reverse("clusters:directory"), {"country": ["PT", "ES"], "ecosystem": "environment"}
    )
    html = response.content.decode()
    assert "No cluster matches all of these." in html
    assert "Without ‘Countries: Portugal, Spain’ there is 1" in html
    assert f'href="{reverse("clusters:directory")}?ecosystem=environment"' in html
    assert "Without ‘Ecosystems: Environment’ there are 3" in html
    followed = client.get(reverse("clusters:directory"), {"ecosystem": "environment"})
    assert [c.name for c in followed.context["clusters"]] == ["Lyon Cluster Delta"]


def test_a_result_that_finds_clusters_suggests_nothing(client, network):
    response = client.get(reverse("clusters:directory"), {"country": "PT"})
    assert response.context["relaxations"] == []


@pytest.mark.parametrize("count", [5, 40])
def test_searching_by_country_and_ecosystem_keeps_the_query_count(
    client, django_assert_max_num_queries, count
):
    ClusterFactory.create_batch(count, country="PT", ecosystems=["energy", "ict"])
    # The filter's countries, the page count, the page, the ecosystems prefetch.
    with django_assert_max_num_queries(4):
        response = client.get(
            reverse("clusters:directory"),
            {"q": "Portugal energy", "country": ["PT"], "ecosystem": ["energy", "ict"]},
        )
    assert len(response.context["clusters"]) == min(count, 24)


def test_an_empty_result_costs_one_count_per_filter_in_use(client, django_assert_max_num_queries):
    ClusterFactory.create_batch(30, country="PT", ecosystems=["energy"])
    ClusterFactory(country="ES", ecosystems=["ict"])
    params = {
        "q": "Portugal",
        "country": ["ES"],
        "ecosystem": ["ict"],
        "label": "gold",
        "size": "small",
    }
    # The filter's countries, the count, then one count for each of the five filters.
    with django_assert_max_num_queries(7):
        response = client.get(reverse("clusters:directory"), params)
    assert list(response.context["clusters"]) == []


def test_a_very_long_search_is_refused_clearly_not_a_server_error(client, network):
    response = client.get(reverse("clusters:directory"), {"q": "ab " * 1200})
    assert response.status_code == 200
    assert list(response.context["clusters"]) == []
    assert 'id="id_q_error"' in response.content.decode()


def test_a_search_of_many_short_words_uses_the_first_ten(client, network):
    words = "Lisbon " + " ".join(["a"] * 10) + " zzzzzz"  # the eleventh word and on are left out
    response = client.get(reverse("clusters:directory"), {"q": words})
    assert response.status_code == 200
    assert [c.name for c in response.context["clusters"]] == ["Lisbon Cluster Alpha"]
