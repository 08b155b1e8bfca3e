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
from django.db import connection, connections, transaction

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


def held_while(hold, then):
    """``hold`` runs in a transaction that stays open until ``then`` has run in another thread.

    Returns what each returned (or raised), as ``{"held": ..., "then": ...}``.
    """
    holding, done = threading.Event(), threading.Event()

    def first():
        with transaction.atomic():
            result = hold()
            holding.set()
            assert done.wait(WAIT), "the second thread never finished"
            return result

    def second():
        try:
            assert holding.wait(WAIT), "the first thread never took its locks"
            return then()
        finally:
            done.set()

    results = run_in_threads(held=first, then=second)
    return results


def lock_at_once(obj):
    """Lock ``obj``'s row, or fail at once (OperationalError) if another transaction holds it."""
    with transaction.atomic():
        return type(obj).objects.select_for_update(nowait=True).get(pk=obj.pk)


def held_until_the_other_waits(hold, then):
    """``hold`` runs in a transaction kept open until ``then``, run in another thread once
    ``hold`` is done, is seen waiting for a lock (or has finished); then it commits.

    So ``then`` really meets ``hold``'s uncommitted rows. Returns what each returned (or
    raised), as ``{"held": ..., "then": ...}``, and whether ``then`` was seen waiting.
    """
    holding, done = threading.Event(), threading.Event()
    seen = []

    def first():
        with transaction.atomic():
            result = hold()
            holding.set()
            deadline = time.monotonic() + WAIT
            while not done.is_set() and time.monotonic() < deadline:
                if someone_waits_for_a_lock():
                    seen.append(True)
                    break
                time.sleep(0.01)
            return result

    def second():
        try:
            assert holding.wait(WAIT), "the first thread never wrote its rows"
            return then()
        finally:
            done.set()

    results = run_in_threads(held=first, then=second)
    return results, bool(seen)
