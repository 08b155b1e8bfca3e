"""Two people acting on one application at once, on PostgreSQL: one wins, the other is told.

Each action runs in its own thread with its own connection, released together by a
barrier; the services' row locks (SELECT ... FOR UPDATE) must serialise them. Some tests
also make the order certain: the first actor takes the row lock and holds it until the
second is seen waiting for it in pg_stat_activity.

Skipped on SQLite (no row locks, one writer at a time); CI runs the suite on PostgreSQL
with REQUIRE_SERVICES=1, where a skip would hide a missing database, so there it fails.
"""

import os
import threading
import time
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction

from core.models import AuditEvent
from exchange import notifications as kinds
from exchange import services
from exchange.models import Application, Decision, Review
from exchange.services import NO_CAPACITY, NO_FUNDED_PLACES, WRONG_STATE
from notifications.models import Notification
from tests.factories import (
    ApplicantFactory,
    ApplicationFactory,
    CallFactory,
    OfferFactory,
    StaffFactory,
)

from .steps import decide, host_member, review, submit, withdraw

pytestmark = pytest.mark.django_db(transaction=True)

S = Application.Status
WAIT = 20  # seconds a thread may wait for the other before the test gives up


@pytest.fixture(autouse=True)
def postgresql():
    if connection.vendor != "postgresql":
        message = f"needs PostgreSQL (the database is {connection.vendor})"
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(f"REQUIRE_SERVICES=1 but {message}")
        pytest.skip(message)


def _in_thread(action, results, key, before=None):
    try:
        if before is not None:
            before()
        results[key] = action()
    except Exception as exc:  # the outcome under test: returned to the test, not lost
        results[key] = exc
    finally:
        connections.close_all()  # this thread's connections only


def _run(threads):
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck on a lock"


def at_once(**actions):
    """Run each action in its own thread, all released together; what each returned or raised."""
    barrier = threading.Barrier(len(actions))
    results = {}
    _run(
        [
            threading.Thread(
                target=_in_thread, args=(action, results, key, lambda: barrier.wait(WAIT))
            )
            for key, action in actions.items()
        ]
    )
    return results


def _someone_waits_for_a_lock() -> bool:
    with connection.cursor() as cursor:
        # Inside a transaction PostgreSQL keeps showing the first snapshot of the view.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


def first_then(application, first, second):
    """``first`` locks the application's row and holds it until ``second`` waits for it,
    then acts and commits; ``second`` then gets the row as ``first`` left it."""
    locked = threading.Event()
    results = {}

    def hold_then_act():
        with transaction.atomic():
            Application.objects.select_for_update().get(pk=application.pk)
            locked.set()
            deadline = time.monotonic() + WAIT
            while not _someone_waits_for_a_lock() and time.monotonic() < deadline:
                time.sleep(0.01)
            return first()

    _run(
        [
            threading.Thread(target=_in_thread, args=(hold_then_act, results, "first")),
            threading.Thread(
                target=_in_thread, args=(second, results, "second", lambda: locked.wait(WAIT))
            ),
        ]
    )
    return results


def wrong_state(status, action):
    return WRONG_STATE % {"status": S(status).label, "action": action}


def messages(result):
    assert isinstance(result, ValidationError), result
    return result.messages


def history(application):
    """(from, to) of each recorded transition, oldest first."""
    return list(
        AuditEvent.objects.filter(object_id=str(application.pk), verb__startswith="exchange.")
        .order_by("created", "id")
        .values_list("from_state", "to_state")
    )


@pytest.fixture
def application():
    StaffFactory(email="secretariat@example.org")
    return submit(ApplicationFactory())


# --- two host managers ----------------------------------------------------------------


def test_two_host_managers_accepting_at_once_make_one_review(application):
    anna, ben = host_member(application), host_member(application)

    results = at_once(anna=lambda: review(application, anna), ben=lambda: review(application, ben))

    won = [who for who, result in results.items() if isinstance(result, Application)]
    lost = [result for result in results.values() if not isinstance(result, Application)]
    assert len(won) == 1
    assert [messages(r) for r in lost] == [[wrong_state(S.HOST_ACCEPTED, "reviewed")]]
    assert Review.objects.get().reviewer == {"anna": anna, "ben": ben}[won[0]]
    assert Application.objects.get().status == S.HOST_ACCEPTED
    assert history(application) == [("draft", "submitted"), ("submitted", "host_accepted")]
    assert Notification.objects.filter(kind=kinds.HOST_ACCEPTED.name).count() == 1
    assert Notification.objects.filter(kind=kinds.HOST_REVIEWED.name).count() == 1


def test_an_accept_and_a_decline_at_once_give_one_answer(application):
    anna, ben = host_member(application), host_member(application)

    results = at_once(
        accept=lambda: review(application, anna, "accept"),
        decline=lambda: review(application, ben, "decline"),
    )

    (winner,) = [k for k, r in results.items() if isinstance(r, Application)]
    (loser,) = {"accept", "decline"} - {winner}
    status = S.HOST_ACCEPTED if winner == "accept" else S.HOST_DECLINED
    assert messages(results[loser]) == [wrong_state(status, "reviewed")]
    assert Review.objects.get().recommendation == winner
    assert Application.objects.get().status == status
    assert Notification.objects.filter(kind=kinds.HOST_REVIEWED.name).count() == 1


def test_a_manager_who_acts_second_is_told_it_was_accepted(application):
    anna, ben = host_member(application), host_member(application)

    results = first_then(
        application, lambda: review(application, anna), lambda: review(application, ben)
    )

    assert results["first"].status == S.HOST_ACCEPTED
    assert messages(results["second"]) == [wrong_state(S.HOST_ACCEPTED, "reviewed")]
    assert Review.objects.get().reviewer == anna


# --- the host accepting while the applicant withdraws ---------------------------------


def test_accept_racing_a_withdraw_leaves_one_history(application):
    host = host_member(application)

    results = at_once(
        accept=lambda: review(application, host), withdraw=lambda: withdraw(application)
    )

    final = Application.objects.get()
    assert final.status == S.WITHDRAWN  # whichever came first, the applicant's wish holds
    if isinstance(results["accept"], ValidationError):  # the withdrawal came first
        assert messages(results["accept"]) == [wrong_state(S.WITHDRAWN, "reviewed")]
        assert not Review.objects.exists()
        assert history(application) == [("draft", "submitted"), ("submitted", "withdrawn")]
    else:  # accepted, then withdrawn from there: told to the host in that order
        assert isinstance(results["withdraw"], Application)
        assert Review.objects.count() == 1
        assert history(application) == [
            ("draft", "submitted"),
            ("submitted", "host_accepted"),
            ("host_accepted", "withdrawn"),
        ]


def test_a_withdrawal_holding_the_row_wins_and_the_host_is_told(application):
    host = host_member(application)

    results = first_then(
        application, lambda: withdraw(application), lambda: review(application, host)
    )

    assert results["first"].status == S.WITHDRAWN
    assert messages(results["second"]) == [wrong_state(S.WITHDRAWN, "reviewed")]
    assert not Review.objects.exists()
    assert Application.objects.get().status == S.WITHDRAWN
    assert not Notification.objects.filter(kind=kinds.HOST_REVIEWED.name).exists()
    assert history(application) == [("draft", "submitted"), ("submitted", "withdrawn")]


def test_an_accept_holding_the_row_wins_and_a_stale_withdraw_starts_from_it(application):
    host = host_member(application)

    results = first_then(
        application, lambda: review(application, host), lambda: withdraw(application)
    )

    assert results["first"].status == S.HOST_ACCEPTED
    assert results["second"].status == S.WITHDRAWN
    assert Review.objects.count() == 1
    assert history(application)[-1] == ("host_accepted", "withdrawn")  # not from "submitted"


# --- limits shared between applications ----------------------------------------------


def test_two_approvals_for_the_last_funded_place_grant_it_once():
    call = CallFactory(funded_places=1)
    secretariat, colleague = StaffFactory(), StaffFactory()
    first = ApplicationFactory(offer__call=call, status=S.HOST_ACCEPTED)
    second = ApplicationFactory(offer__call=call, status=S.HOST_ACCEPTED)

    results = at_once(
        first=lambda: decide(first, secretariat, "approved"),
        second=lambda: decide(second, colleague, "approved"),
    )

    (lost,) = [r for r in results.values() if not isinstance(r, Application)]
    assert messages(lost) == [NO_FUNDED_PLACES % {"places": 1}]
    assert Application.objects.filter(status=S.APPROVED).count() == 1
    assert Application.objects.filter(status=S.HOST_ACCEPTED).count() == 1
    assert Decision.objects.count() == 1


def test_two_submissions_for_the_last_place_on_an_offer_take_it_once():
    offer = OfferFactory(capacity=1)
    first, second = ApplicationFactory(offer=offer), ApplicationFactory(offer=offer)

    results = at_once(first=lambda: submit(first), second=lambda: submit(second))

    (lost,) = [r for r in results.values() if not isinstance(r, Application)]
    assert messages(lost) == [NO_CAPACITY % {"capacity": 1}]
    assert sorted(Application.objects.values_list("status", flat=True)) == ["draft", "submitted"]


def test_drafts_started_at_once_get_distinct_references():
    offer = OfferFactory(capacity=5)
    applicants = [ApplicantFactory() for _ in range(3)]
    start = offer.available_from + timedelta(days=(7 - offer.available_from.weekday()) % 7)

    def create(applicant):
        return lambda: services.application_create(
            actor=applicant,
            call=offer.call,
            offer=offer,
            data={
                "applicant_kind": "sme",
                "motivation": "To learn.",
                "learning_goals": "Procurement.",
                "expected_results": "A pilot.",
                "start_date": start,
                "end_date": start + timedelta(days=4),
                "travel_from_city": "Munich",
                "travel_from_country": "DE",
                "distance_km": 800,
            },
        )

    results = at_once(**{f"a{n}": create(a) for n, a in enumerate(applicants)})

    references = sorted(r.reference for r in results.values())
    assert len(set(references)) == 3
    assert [r[-4:] for r in references] == ["0001", "0002", "0003"]
