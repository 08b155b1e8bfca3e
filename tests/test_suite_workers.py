"""The suite's own machinery: what each pytest-xdist worker gets for itself, and which
modules share one permission-matrix world."""

import pytest

from smartclusters.settings.test import redis_url_for_worker
from tests.conftest import _shares_one_world


@pytest.mark.parametrize(
    ("url", "worker", "expected"),
    [
        ("redis://127.0.0.1:6379/9", 0, "redis://127.0.0.1:6379/9"),
        ("redis://127.0.0.1:6379/9", 1, "redis://127.0.0.1:6379/10"),
        ("redis://127.0.0.1:6379/0", 3, "redis://127.0.0.1:6379/3"),
        ("redis://127.0.0.1:6379", 1, "redis://127.0.0.1:6379/1"),
        ("redis://:secret@redis.example:6380/15", 1, "redis://:secret@redis.example:6380/0"),
    ],
)
def test_each_worker_gets_a_redis_database_of_its_own(url, worker, expected):
    assert redis_url_for_worker(url, worker) == expected


class Item:
    """What ``_shares_one_world`` reads of a collected test."""

    def __init__(self, *fixtures, marker=None):
        self.fixturenames = list(fixtures)
        self.marker = marker

    def get_closest_marker(self, name):
        return self.marker if name == "django_db" else None


DB = pytest.mark.django_db.mark
TRANSACTION = pytest.mark.django_db(transaction=True).mark


@pytest.mark.parametrize(
    ("items", "shared"),
    [
        pytest.param(
            # Every test has django_db_blocker (pytest-django's autouse fixtures need it).
            [Item("world", "db", "django_db_blocker"), Item("client", "django_db_blocker")],
            True,
            id="all-db-use-world",
        ),
        pytest.param([Item("world", "db", marker=DB)], True, id="marked-world"),
        pytest.param([Item("client")], False, id="no-world"),
        pytest.param([Item("world", "db"), Item("db")], False, id="a-db-test-without-it"),
        pytest.param([Item("world", "db"), Item(marker=DB)], False, id="a-marked-test-without"),
        pytest.param([Item("world", "db", "member")], False, id="its-people-apart"),
        pytest.param([Item("world", "db", "live_server")], False, id="live-server"),
        pytest.param([Item("world", "db", marker=TRANSACTION)], False, id="transaction"),
        pytest.param([Item("world", "transactional_db")], False, id="transactional-db"),
    ],
)
def test_a_module_shares_one_world_only_when_no_test_needs_another(items, shared):
    assert _shares_one_world(items) is shared
