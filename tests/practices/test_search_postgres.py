"""Full-text search on PostgreSQL: stemming, ranking, websearch syntax and its GIN index.

Skipped on SQLite; CI runs the suite on PostgreSQL with REQUIRE_SERVICES=1, where a
skip would hide a missing database, so there it fails instead.
"""

import os
import re
from html import unescape

import pytest
from django.db import connection
from django.urls import reverse

from practices.models import Practice
from practices.selectors import practice_repository
from tests.factories import PracticeFactory

REPOSITORY = reverse("practices:repository")


@pytest.fixture(autouse=True)
def postgresql(db):
    if connection.vendor != "postgresql":
        message = f"needs PostgreSQL (the database is {connection.vendor})"
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(f"REQUIRE_SERVICES=1 but {message}")
        pytest.skip(message)


def found(text, **filters):
    _filterset, results = practice_repository(data={"q": text, **filters})
    return [p.title for p in results]


def card_titles(response):
    html = response.content.decode()
    titles = re.findall(r'<h3 class="card-title">\s*<a href="[^"]*">([^<]*)</a>', html)
    return [unescape(t) for t in titles]


def published(title, **kwargs):
    kwargs.setdefault("summary", "A practice of the network.")
    kwargs.setdefault("problem", "Something had to change.")
    kwargs.setdefault("description", "The cluster tried something new.")
    return PracticeFactory(status="published", title=title, **kwargs)


def test_search_finds_other_forms_of_a_word():
    published("Charge points in every car park")
    published("Street lighting")

    assert found("charging") == ["Charge points in every car park"]
    assert found("charged") == ["Charge points in every car park"]


def test_search_ranks_a_title_match_above_a_description_only_match(client):
    published(
        "Citizens' panel on street works",
        description="The panel also reviewed our procurement rules.",
    )
    published("Joint procurement of e-buses", description="Twelve towns bought together.")

    response = client.get(REPOSITORY, {"q": "procurement"})

    assert card_titles(response) == [
        "Joint procurement of e-buses",
        "Citizens' panel on street works",
    ]


def test_search_ranks_a_summary_match_above_a_problem_match():
    published("A", problem="No shared procurement existed.")
    published("B", summary="Shared procurement for members.")

    assert found("procurement") == ["B", "A"]


def test_a_minus_word_excludes_practices_with_it():
    published("Charging hubs for e-buses", description="Depots where each bus charges at night.")
    published("Charging hubs for taxis", description="Fast chargers at the station.")

    assert sorted(found("charging")) == ["Charging hubs for e-buses", "Charging hubs for taxis"]
    assert found("charging -bus") == ["Charging hubs for taxis"]
    assert found("charging -buses") == ["Charging hubs for taxis"]


def test_a_quoted_phrase_matches_only_the_words_together():
    published("Open data portal", description="A portal for open data on parking.")
    published("Open calls", description="Data collected by the city in the open.")

    assert found('"open data"') == ["Open data portal"]


def test_either_word_with_or():
    published("Tram priority")
    published("Bicycle lanes")
    published("Street lighting")

    assert sorted(found("tram or bicycle")) == ["Bicycle lanes", "Tram priority"]


def test_search_ignores_unpublished_practices():
    published("Charging hubs")
    for status in ["draft", "submitted", "changes_requested", "rejected", "archived"]:
        PracticeFactory(status=status, title=f"Charging {status}")

    assert found("charging") == ["Charging hubs"]


def test_search_combines_with_the_filters():
    published("Charging hubs", category="thematic", ecosystems=["energy", "mobility"])
    published("Charging management", category="management", ecosystems=["energy"])

    assert found("charging", category="thematic", ecosystem="energy") == ["Charging hubs"]


def test_syntax_that_is_not_a_query_finds_nothing_and_does_not_fail(client):
    published("Charging hubs")

    for text in ['"', "-", "or", "!!!", "&|:*", "' OR 1=1 --"]:
        response = client.get(REPOSITORY, {"q": text})
        assert response.status_code == 200


def test_the_search_vector_is_filled_when_a_practice_is_saved():
    practice = published("Charging hubs", summary="Fast chargers at the station.")

    practice.refresh_from_db()
    assert practice.search_vector is not None
    assert "charg" in practice.search_vector
    assert Practice.objects.filter(search_vector="charging").exists()


def test_the_search_vector_follows_an_edit():
    practice = published("Charging hubs")
    practice.title = "Tram priority"
    practice.save()

    assert found("tram") == ["Tram priority"]
    assert found("charging") == []


def test_the_search_vector_has_a_gin_index():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename, indexdef FROM pg_indexes WHERE indexname = %s",
            ["practice_search_vector_gin"],
        )
        rows = cursor.fetchall()

    assert len(rows) == 1
    table, definition = rows[0]
    assert table == "practices_practice"
    assert "USING gin (search_vector)" in definition
