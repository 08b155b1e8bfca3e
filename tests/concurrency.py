"""Helpers for tests that race two transactions on PostgreSQL, each in its own thread.

Each thread has its own database connection (Django keeps one per thread), so row
locks, unique indexes and snapshots behave as between two workers. Such tests need
PostgreSQL: SQLite has no row locks and lets one writer in at a time. CI runs the
suite on PostgreSQL with REQUIRE_SERVICES=1, where a skip would hide a missing
database, so there the ``postgresql`` check fails instead.
"""

import os
import threading
import time

import pytest
from django.db import connection, connections

WAIT = 20  # seconds a thread may wait for the other before the test gives up


def require_postgresql() -> None:
    if connection.vendor != "postgresql":
        message = f"needs PostgreSQL (the database is {connection.vendor})"
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(f"REQUIRE_SERVICES=1 but {message}")
        pytest.skip(message)


def run_in_threads(**actions) -> dict:
    """Run each action in its own thread; what each returned or raised, by name."""
    results: dict = {}

    def run(key, action):
        try:
            results[key] = action()
        except Exception as exc:  # the outcome under test: returned to the test, not lost
            results[key] = exc
        finally:
            connections.close_all()  # this thread's connections only

    threads = [threading.Thread(target=run, args=item) for item in actions.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck"
    return results


def someone_waits_for_a_lock() -> bool:
    """Another connection to this database is blocked on a lock (a row or an index entry)."""
    with connection.cursor() as cursor:
        # Inside a transaction PostgreSQL keeps showing the first snapshot of the view.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


def wait_for_a_waiter() -> bool:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if someone_waits_for_a_lock():
            return True
        time.sleep(0.01)
    return False
