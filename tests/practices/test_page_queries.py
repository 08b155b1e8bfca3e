"""The practice page reads a fixed number of queries, however many practices are related."""

import pytest

from tests.factories import PracticeFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("others", [1, 12])
def test_the_practice_pages_queries_do_not_grow_with_related_practices(
    client, others, django_assert_max_num_queries
):
    practice = PracticeFactory(status="published", title="Charging hubs", tags=["Open data"])
    for n in range(others):
        PracticeFactory(status="published", title=f"Related {n}", tags=["Open data"])

    # The practice with its ecosystems, tags and files; the related ones' keys (one query per
    # tier it passes), their cards and the cards' ecosystems (no tags: no card shows them).
    # Each shared fragment reads its own (the head and the related practices both read the
    # ecosystems): one more query when nothing is cached, none of the three when it is.
    with django_assert_max_num_queries(9):
        response = client.get(practice.get_absolute_url())

    assert response.status_code == 200
    assert f"Related {others - 1}" in response.content.decode()  # the newest
