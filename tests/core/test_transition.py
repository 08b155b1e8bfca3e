"""core.services.transition: the one locked-transition-and-record helper the apps share."""

import ast
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from core.models import AuditEvent
from core.selectors import audit_events_for
from core.services import transition
from practices.models import Practice
from tests.factories import PracticeFactory, StaffFactory

pytestmark = pytest.mark.django_db

S = Practice.Status
WRONG = "It is “%(status)s”: it cannot be %(action)s."
ROOT = Path(__file__).resolve().parents[2]


def reject(practice, actor, **kwargs):
    return transition(
        practice,
        to=S.REJECTED,
        actor=actor,
        verb="practice.reject",
        allowed_from={S.SUBMITTED},
        wrong_state=WRONG,
        action="rejected",
        **kwargs,
    )


def test_transition_moves_saves_and_records_who_from_what_to_what_and_why():
    practice, actor = PracticeFactory(status=S.SUBMITTED), StaffFactory()

    moved, before = reject(practice, actor, comment="Fine.", also={"reviewer_feedback": "Fine."})

    assert (before, moved.status, moved.reviewer_feedback) == (S.SUBMITTED, S.REJECTED, "Fine.")
    practice.refresh_from_db()
    assert (practice.status, practice.reviewer_feedback) == (S.REJECTED, "Fine.")
    event = audit_events_for(practice).get()
    assert (event.actor, event.verb, event.from_state, event.to_state, event.comment) == (
        actor,
        "practice.reject",
        S.SUBMITTED,
        S.REJECTED,
        "Fine.",
    )


def test_transition_from_a_wrong_state_raises_the_callers_message_and_changes_nothing():
    practice = PracticeFactory(status=S.DRAFT)

    with pytest.raises(ValidationError) as caught:
        reject(practice, StaffFactory())

    assert caught.value.messages == [WRONG % {"status": "Draft", "action": "rejected"}]
    practice.refresh_from_db()
    assert practice.status == S.DRAFT
    assert not AuditEvent.objects.exists()


def test_transition_reads_the_state_from_the_locked_row_not_the_callers_copy():
    practice = PracticeFactory(status=S.SUBMITTED)
    Practice.objects.filter(pk=practice.pk).update(status=S.ARCHIVED)  # someone was faster

    actor = StaffFactory()
    with CaptureQueriesContext(connection) as queries, pytest.raises(ValidationError):
        reject(practice, actor)

    if connection.features.has_select_for_update_of:  # PostgreSQL; SQLite locks the file
        assert any('FOR UPDATE OF "practices_practice"' in q["sql"] for q in queries)
    assert Practice.objects.get(pk=practice.pk).status == S.ARCHIVED


def test_a_check_failing_after_the_transition_rolls_the_move_and_its_record_back():
    practice = PracticeFactory(status=S.SUBMITTED)

    def service():
        with transaction.atomic():
            reject(practice, StaffFactory())
            raise ValidationError("a later check of the service")

    with pytest.raises(ValidationError):
        service()

    assert Practice.objects.get(pk=practice.pk).status == S.SUBMITTED
    assert not AuditEvent.objects.exists()


def _functions(app):
    for path in (ROOT / app).rglob("*.py"):
        if "migrations" not in path.parts:
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.FunctionDef):
                    yield path.relative_to(ROOT), node


@pytest.mark.parametrize("app", ["practices", "exchange"])
def test_no_app_keeps_a_copy_of_the_locked_transition(app):
    copies = [
        f"{path}:{node.name}"
        for path, node in _functions(app)
        if node.name in {"_transition", "_record"} and _locks_or_records(node)
    ]
    assert copies == []


def _locks_or_records(node):
    return any(
        (isinstance(n, ast.Attribute) and n.attr == "select_for_update")
        or (isinstance(n, ast.keyword) and n.arg == "from_state")
        for n in ast.walk(node)
    )
