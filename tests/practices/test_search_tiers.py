"""The search's order and count, on PostgreSQL and SQLite alike: title matches, then
summary matches, then the others, the newest first in each; pages that span tiers; a
count that stops at ``SEARCH_RESULTS_MAX``; a constant number of queries."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.core.paginator import Paginator
from django.urls import reverse
from django.utils import timezone

from practices.selectors import practice_repository
from tests.factories import PracticeFactory

pytestmark = pytest.mark.django_db

REPOSITORY = reverse("practices:repository")


def card_titles(response):
    html = response.content.decode()
    titles = re.findall(r'<h3 class="card-title">\s*<a href="[^"]*">([^<]*)</a>', html)
    return [unescape(t) for t in titles]


def published(title, days_ago, **kwargs):
    kwargs.setdefault("summary", "A practice of the network.")
    kwargs.setdefault("problem", "Something had to change.")
    kwargs.setdefault("description", "The cluster tried something new.")
    return PracticeFactory(
        status="published",
        title=title,
        published_at=timezone.now() - timedelta(days=days_ago),
        **kwargs,
    )


@pytest.fixture
def tiers():
    """Two practices per tier, the tiers' dates interleaved, and one that does not match."""
    published("Body old", 1, description="Tendering for trams.")
    published("Unrelated old", 8, summary="Nothing of note.", description="x")
    published("Summary new", 2, summary="Tendering together saves money.")
    published("Tendering for buses", 3)
    published("Summary old", 9, summary="A tendering guide.")
    published("Tendering for bikes", 10)
    published("Body new", 0, problem="No tendering was shared.")
    published("Unrelated", 0)


ORDER = [
    "Tendering for buses",
    "Tendering for bikes",
    "Summary new",
    "Summary old",
    "Body new",
    "Body old",
]


def test_every_page_follows_the_tiers(tiers):
    _filterset, results = practice_repository(data={"q": "tendering"})
    paginator = Paginator(results, 4)

    assert paginator.count == 6
    assert [p.title for p in paginator.page(1)] == ORDER[:4]
    assert [p.title for p in paginator.page(2)] == ORDER[4:]
    assert [p.title for p in results[1:5]] == ORDER[1:5]
    assert [p.title for p in results[3:6]] == ORDER[3:6]
    assert results[5].title == "Body old"


def test_a_page_that_starts_in_a_later_tier(tiers):
    _filterset, results = practice_repository(data={"q": "tendering"})

    assert [p.title for p in results[4:6]] == ORDER[4:]
    assert [p.title for p in results[2:3]] == ORDER[2:3]


def test_the_count_stops_at_the_most_shown(client, tiers, monkeypatch):
    monkeypatch.setattr("practices.selectors.SEARCH_RESULTS_MAX", 3)

    response = client.get(REPOSITORY, {"q": "tendering"})
    html = " ".join(response.content.decode().split())

    assert "More than 3 practices" in html
    assert card_titles(response) == ORDER[:3]
    assert response.context["page_obj"].paginator.num_pages == 1


def test_an_exact_count_below_the_most_shown(client, tiers):
    response = client.get(REPOSITORY, {"q": "tendering"})

    assert "6 practices" in " ".join(response.content.decode().split())
    assert card_titles(response) == ORDER


def test_the_queries_do_not_grow_with_the_matches(client, django_assert_max_num_queries):
    for n in range(30):
        published(f"Tendering round {n}", n, tags=["Open data"], ecosystems=["energy"])
    client.get(REPOSITORY, {"q": "tendering"})  # the filter's choices, kept once counted

    # The count, the tier, the page's practices with their ecosystems and tags, the tags.
    with django_assert_max_num_queries(8):
        first = client.get(REPOSITORY, {"q": "tendering"})
    with django_assert_max_num_queries(8):
        second = client.get(REPOSITORY, {"q": "tendering", "page": "2"})

    assert len(card_titles(first)) == 20
    assert len(card_titles(second)) == 10
