"""The suite's own machinery: what each pytest-xdist worker gets for itself, and which
modules share one permission-matrix world."""

import pytest

from smartclusters.settings.test import redis_url_for_worker
from tests import scheduling
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


class Collected:
    """What ``tests.scheduling`` reads of a collected test."""

    def __init__(self, nodeid, *fixtures, marks=(), module_wide=()):
        self.nodeid = nodeid
        self.fixturenames = list(fixtures)
        self.marks = [getattr(pytest.mark, name).mark for name in marks]
        self._fixtureinfo = FixtureInfo(module_wide)

    def get_closest_marker(self, name):
        return next((mark for mark in self.marks if mark.name == name), None)


class FixtureInfo:
    def __init__(self, module_wide):
        defs = {name: [Def("module", "tests")] for name in module_wide}
        defs["_django_setup_unittest"] = [Def("class", "")]  # a plugin's: builds nothing
        self.name2fixturedefs = defs


class Def:
    def __init__(self, scope, baseid):
        self.scope = scope
        self.baseid = baseid


@pytest.mark.parametrize(
    ("nodeid", "unit"),
    [
        (
            "tests/test_permission_matrix.py::test_get[home-visitor]",
            "tests/test_permission_matrix.py",
        ),
        ("tests/clusters/test_views.py::test_a", "tests/clusters/test_views.py"),
        (
            "tests/browser/test_every_page.py::test_x[member]",
            "tests/browser/test_every_page.py::test_x[member]",
        ),
    ],
)
def test_a_module_is_one_unit_but_a_browser_journey_goes_alone(nodeid, unit):
    assert scheduling.unit_of(nodeid) == unit


def test_the_longest_units_go_first_and_a_modules_tests_stay_together():
    items = [
        Collected("tests/test_a.py::test_quick", "db"),
        Collected("tests/test_seeded.py::test_1", "seeded_demo", module_wide=["seeded_demo"]),
        Collected("tests/test_b.py::test_live", "live_server"),
        Collected("tests/test_c.py::test_redis", marks=["services"]),
        Collected("tests/test_seeded.py::test_2", "seeded_demo", module_wide=["seeded_demo"]),
        Collected("tests/browser/test_d.py::test_one", "live_server", marks=["browser"]),
        Collected("tests/browser/test_d.py::test_two", "live_server", marks=["browser"]),
        Collected("tests/test_e.py::test_world", "world", module_wide=["_world_scope"]),
    ]

    scheduling.order(items)

    assert [item.nodeid for item in items] == [
        "tests/browser/test_d.py::test_one",
        "tests/browser/test_d.py::test_two",
        "tests/test_seeded.py::test_1",  # its seed counts as a slow test
        "tests/test_seeded.py::test_2",
        "tests/test_e.py::test_world",
        "tests/test_b.py::test_live",
        "tests/test_c.py::test_redis",
        "tests/test_a.py::test_quick",
    ]
