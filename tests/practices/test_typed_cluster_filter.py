"""The practices filter names its cluster by typing: no select of every cluster."""

import re
from html import unescape

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clusters.models import Cluster
from core.pagecache.values import VALUE_KEY_PREFIX
from core.typed_choice import AMBIGUOUS, SAME_NAME, UNKNOWN, UNKNOWN_SOME
from practices.filters import FACETS_NAME, published_facets
from practices.models import Practice
from tests.factories import ClusterFactory, PracticeFactory

pytestmark = pytest.mark.django_db

REPOSITORY = reverse("practices:repository")


def card_titles(response):
    html = response.content.decode()
    titles = re.findall(r'<h3 class="card-title">\s*<a href="[^"]*">([^<]*)</a>', html)
    return sorted(unescape(t) for t in titles)


def cluster_error(response) -> str:
    html = response.content.decode()
    found = re.search(r'id="id_cluster_error"[^>]*>(.*?)</ul>', html, re.S)
    return unescape(re.sub(r"<[^>]+>", "", found.group(1))).strip() if found else ""


@pytest.fixture
def network(db):
    """Clusters whose names share beginnings, each with one published practice."""
    clusters = {
        "valley": ClusterFactory(name="Mobility Valley", slug="mobility-valley", acronym="MV"),
        "vienna": ClusterFactory(name="Mobility Vienna", slug="mobility-vienna", acronym=""),
        "coast": ClusterFactory(name="Energy Coast", slug="energy-coast", acronym="EC"),
        "twin_a": ClusterFactory(name="Twin Cluster", slug="twin-a", acronym=""),
        "twin_b": ClusterFactory(name="Twin Cluster", slug="twin-b", acronym=""),
        "silent": ClusterFactory(name="Silent Cluster", slug="silent", acronym=""),
    }
    for key, cluster in clusters.items():
        if key != "silent":
            PracticeFactory(status="published", cluster=cluster, title=f"Practice of {key}")
    PracticeFactory(status="draft", cluster=clusters["silent"], title="Silent draft")
    return clusters


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Mobility Valley", ["Practice of valley"]),  # the exact name
        ("mobility valley", ["Practice of valley"]),  # in any case
        ("  Mobility   Valley ", ["Practice of valley"]),  # spaces do not matter
        ("mobility-valley", ["Practice of valley"]),  # an older link's slug
        ("MV", ["Practice of valley"]),  # the acronym
        ("Mobility Vi", ["Practice of vienna"]),  # the one name starting so
        ("ener", ["Practice of coast"]),
        ("twin-b", ["Practice of twin_b"]),  # same names: the slug picks one
    ],
)
def test_a_typed_cluster_name_filters_the_practices(typed, expected, client, network):
    response = client.get(REPOSITORY, {"cluster": typed})

    assert response.status_code == 200
    assert card_titles(response) == expected
    assert cluster_error(response) == ""


def test_the_box_shows_the_name_of_the_cluster_an_old_link_named(client, network):
    response = client.get(REPOSITORY, {"cluster": "mobility-valley"})

    assert 'name="cluster" value="Mobility Valley"' in response.content.decode()


def test_a_prefix_shared_by_several_clusters_lists_them_and_filters_nothing(client, network):
    response = client.get(REPOSITORY, {"cluster": "Mobility"})

    assert response.status_code == 200
    assert card_titles(response) == []
    message = cluster_error(response)
    assert message == AMBIGUOUS % {
        "value": "Mobility",
        "matches": "“Mobility Valley”, “Mobility Vienna”",
    }


def test_two_clusters_of_the_same_name_ask_for_the_address_name(client, network):
    message = cluster_error(client.get(REPOSITORY, {"cluster": "twin cluster"}))

    assert message == SAME_NAME % {"value": "twin cluster", "matches": "twin-a, twin-b"}


def test_an_unknown_cluster_says_so_and_suggests_names_containing_the_text(client, network):
    unknown = client.get(REPOSITORY, {"cluster": "Atlantis"})
    near = client.get(REPOSITORY, {"cluster": "Coast"})

    assert card_titles(unknown) == []
    assert card_titles(near) == []
    assert cluster_error(unknown) == UNKNOWN % {"value": "Atlantis"}
    assert cluster_error(near) == UNKNOWN_SOME % {"value": "Coast", "matches": "“Energy Coast”"}


def test_a_cluster_without_a_published_practice_is_not_found(client, network):
    response = client.get(REPOSITORY, {"cluster": "Silent Cluster"})

    assert cluster_error(response) == UNKNOWN % {"value": "Silent Cluster"}
    assert "Silent draft" not in response.content.decode()


@pytest.mark.parametrize("bad", ["<b>x</b>", "%", "_", "x" * 5000, "0", "-1"])
def test_bad_cluster_input_gets_a_message_and_no_error_page(bad, client, network):
    response = client.get(REPOSITORY, {"cluster": bad})

    assert response.status_code == 200
    assert cluster_error(response)
    assert "<b>x</b>" not in response.content.decode()
    assert card_titles(response) == []


def test_the_filter_has_no_select_of_clusters(client, network):
    html = client.get(REPOSITORY).content.decode()

    assert re.search(r'<input[^>]*name="cluster"', html)
    assert not re.search(r'<select[^>]*name="cluster"', html)
    aside = html[html.index('<aside class="filters"') : html.index("</aside>")]
    assert "Mobility Vienna" not in aside  # no list of the clusters in the filters


@pytest.mark.parametrize("clusters", [3, 40])
def test_resolving_a_typed_cluster_takes_the_same_queries_at_any_size(
    clusters, client, django_assert_max_num_queries
):
    for n in range(clusters):
        PracticeFactory(
            status="published", cluster=ClusterFactory(name=f"Grid {n:03}"), title=f"P{n}"
        )

    with django_assert_max_num_queries(10):
        ambiguous = client.get(REPOSITORY, {"cluster": "Grid"})
    with django_assert_max_num_queries(10):
        found = client.get(REPOSITORY, {"cluster": "Grid 001"})

    assert cluster_error(ambiguous).endswith("Type more of the name.")
    assert card_titles(found) == ["P1"]


def test_the_filter_choices_follow_each_write_at_once(client, network):
    """The countries and tags offered are cached, and dropped by the writes that change them."""
    client.get(REPOSITORY)
    assert "IT" not in published_facets()["countries"]

    italian = ClusterFactory(name="Torino Smart", country="IT")
    practice = PracticeFactory(status="draft", cluster=italian, tags=["Open data"])
    form = client.get(REPOSITORY).context["filter"].form
    assert "IT" not in dict(form.fields["country"].choices)

    practice.status = "published"
    practice.published_at = practice.created
    practice.save()
    form = client.get(REPOSITORY).context["filter"].form
    assert "IT" in dict(form.fields["country"].choices)
    assert [slug for slug, _name in form.fields["tag"].choices if slug] == ["open-data"]

    italian.country = "ES"
    italian.save()
    form = client.get(REPOSITORY).context["filter"].form
    assert "IT" not in dict(form.fields["country"].choices)
    assert "ES" in dict(form.fields["country"].choices)

    practice.tags.clear()
    form = client.get(REPOSITORY).context["filter"].form
    assert [slug for slug, _name in form.fields["tag"].choices if slug] == []


def test_a_bulk_update_changes_the_filter_choices_at_once(client, network):
    """No signal is sent by ``.update()``: the choices follow the page cache's generation,
    which every write changes."""
    italian = ClusterFactory(name="Torino Smart", country="IT")
    practice = PracticeFactory(status="published", cluster=italian, tags=["Open data"])
    assert "IT" in dict(client.get(REPOSITORY).context["filter"].form.fields["country"].choices)

    Cluster.objects.filter(pk=italian.pk).update(country="ES")
    Practice.tags.through.objects.filter(practice=practice).delete()
    form = client.get(REPOSITORY).context["filter"].form

    assert "IT" not in dict(form.fields["country"].choices)
    assert "ES" in dict(form.fields["country"].choices)
    assert [slug for slug, _name in form.fields["tag"].choices if slug] == []


def test_the_facets_are_read_from_the_cache_once_computed(client, network, settings):
    # The page cache would answer the second visit without a query: this counts the view's.
    settings.PAGE_CACHE = False
    with CaptureQueriesContext(connection) as first:
        client.get(REPOSITORY)
    with CaptureQueriesContext(connection) as second:
        client.get(REPOSITORY)

    assert cache.get(VALUE_KEY_PREFIX + FACETS_NAME) is not None
    assert len(second) == len(first) - 2  # the countries and the tags
