"""How pytest-xdist shares the suite among its workers (``make test``: ``--dist loadscope
--no-loadscope-reorder``).

xdist's ``loadscope`` hands out work in units, a module's tests in one worker, so a
fixture built once for a module (the demo seed, the shared world of the permission
matrix, the Celery worker) is built once. Here

- a browser journey (tests/browser/) is a unit alone: its fixtures are the test's own,
  and a whole browser module is minutes, which one worker would run while the other
  waits at the end;
- the units go out longest first (by an estimate, ``weight``), not xdist's most tests
  first: a long unit handed out last leaves the other worker idle until it is done.

The workers put their collection in that order (``order``); the controller hands out
the units in the order of the collection (``Scheduler``).
"""

import pytest
from xdist.scheduler import LoadScopeScheduling

ALONE = ("tests/browser/",)  # each test of these is a unit of its own

# Rough seconds, to order the units; only their order matters.
BROWSER = 20.0  # a journey in Chromium, every page checked (axe, the HTML checker)
SLOW = 5.0  # a live server, a flush, a server or worker started, a seed
QUICK = 0.1
MODULE_FIXTURE = 5.0  # a fixture built once for the module (a seed, a world, a worker)

SLOW_FIXTURES = {"live_server", "transactional_db", "django_db_reset_sequences"}
WIDE_SCOPES = {"module", "class", "package"}


def unit_of(nodeid: str) -> str:
    """The unit a test goes out in: itself in ALONE, else its module."""
    module = nodeid.split("::")[0]
    return nodeid if module.startswith(ALONE) else module


def weight(item) -> float:
    names = set(getattr(item, "fixturenames", ()))
    if item.get_closest_marker("browser"):  # tests/browser/conftest.py marks them
        return BROWSER
    marker = item.get_closest_marker("django_db")
    if (
        names & SLOW_FIXTURES
        or (marker is not None and marker.kwargs.get("transaction"))
        or item.get_closest_marker("services")
        or item.get_closest_marker("slow")
    ):
        return SLOW
    return QUICK


def builds_for_the_module(item) -> bool:
    """Whether ``item`` uses a fixture of the suite's built once per module (or class,
    package): a seed, the shared world, a Celery worker. A plugin's (pytest-django's
    ``_django_setup_unittest``) builds nothing here."""
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return False
    return any(
        defs and defs[-1].scope in WIDE_SCOPES and defs[-1].baseid
        for defs in info.name2fixturedefs.values()
    )


def order(items: list) -> None:
    """Put the units in order, longest first (in place; a stable sort, so a unit's tests
    keep pytest-django's order: transactional tests last)."""
    units: dict[str, list] = {}
    for item in items:
        units.setdefault(unit_of(item.nodeid), []).append(item)
    cost = {
        key: sum(weight(item) for item in unit)
        + (MODULE_FIXTURE if any(builds_for_the_module(item) for item in unit) else 0)
        for key, unit in units.items()
    }
    ordered = sorted(units, key=lambda key: -cost[key])
    items[:] = [item for key in ordered for item in units[key]]


class Scheduler(LoadScopeScheduling):
    """xdist's loadscope with the units of ``unit_of``."""

    def _split_scope(self, nodeid: str) -> str:
        return unit_of(nodeid)


class Plugin:
    """Registered by tests/conftest.py where pytest-xdist is installed."""

    @pytest.hookimpl(trylast=True)  # after pytest-django's order
    def pytest_collection_modifyitems(self, config, items):
        if hasattr(config, "workerinput"):  # a worker: the controller reads its order
            order(items)

    @pytest.hookimpl(tryfirst=True)
    def pytest_xdist_make_scheduler(self, config, log):
        if config.getvalue("dist") == "loadscope":
            return Scheduler(config, log)
        return None
