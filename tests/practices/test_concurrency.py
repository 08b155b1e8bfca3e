"""An upload racing a submit, on PostgreSQL: the submit holds the practice's row lock; the
upload waits for it, then finds the practice submitted and is refused (nothing kept).

Skipped on SQLite (no row locks); with REQUIRE_SERVICES=1 (CI) a skip is a failure.
"""

import os
import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction

from practices.models import Attachment, Practice
from practices.services import NO_LONGER_EDITABLE, attachment_add, practice_submit
from tests.factories import PDF_BYTES

from .samples import upload

pytestmark = pytest.mark.django_db(transaction=True)

WAIT = 20  # seconds a thread may wait for the other before the test gives up


@pytest.fixture(autouse=True)
def postgresql():
    if connection.vendor != "postgresql":
        message = f"needs PostgreSQL (the database is {connection.vendor})"
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(f"REQUIRE_SERVICES=1 but {message}")
        pytest.skip(message)


def _someone_waits_for_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


def _in_thread(action, results, key, before=None):
    try:
        if before is not None:
            before()
        results[key] = action()
    except Exception as exc:  # the outcome under test: returned to the test, not lost
        results[key] = exc
    finally:
        connections.close_all()


def test_an_upload_waiting_on_a_submit_is_refused_once_the_submit_commits(manager, draft):
    locked = threading.Event()
    results = {}

    def submit_holding_the_lock():
        with transaction.atomic():
            Practice.objects.select_for_update().get(pk=draft.pk)
            locked.set()
            deadline = time.monotonic() + WAIT
            while not _someone_waits_for_a_lock() and time.monotonic() < deadline:
                time.sleep(0.01)
            return practice_submit(practice=draft, actor=manager)

    def upload_checked_before_the_submit():
        # ``draft`` is the instance the view checked: still a draft in memory.
        return attachment_add(practice=draft, actor=manager, uploaded=upload("a.pdf", PDF_BYTES))

    threads = [
        threading.Thread(target=_in_thread, args=(submit_holding_the_lock, results, "submit")),
        threading.Thread(
            target=_in_thread,
            args=(upload_checked_before_the_submit, results, "upload", lambda: locked.wait(WAIT)),
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck on a lock"

    assert isinstance(results["submit"], Practice), results["submit"]
    refusal = results["upload"]
    assert isinstance(refusal, ValidationError), refusal
    assert refusal.message_dict["file"] == [
        NO_LONGER_EDITABLE % {"status": Practice.Status.SUBMITTED.label}
    ]
    draft.refresh_from_db()
    assert draft.status == Practice.Status.SUBMITTED
    assert not Attachment.objects.filter(practice=draft).exists()
