from datetime import date, timedelta

import pytest
from django.db import IntegrityError, transaction

from actionplan.models import Action, Indicator

from .conftest import ActionFactory, IndicatorFactory

TODAY = date(2030, 6, 15)


def _assert_rejected(**changes):
    """The database itself refuses the row (a constraint), and nothing is saved."""
    before = Action.objects.count()
    with pytest.raises(IntegrityError), transaction.atomic():
        ActionFactory(**changes)
    assert Action.objects.count() == before


def test_progress_outside_0_to_100_is_rejected(objective):
    _assert_rejected(objective=objective, progress=101)
    _assert_rejected(objective=objective, progress=-1)


def test_due_date_before_start_is_rejected(objective):
    _assert_rejected(objective=objective, start_date=TODAY, due_date=TODAY - timedelta(days=1))


def test_weight_below_one_is_rejected(objective):
    _assert_rejected(objective=objective, weight=0)


def test_unknown_status_is_rejected(objective):
    _assert_rejected(objective=objective, status="lost")


def test_indicator_needs_exactly_one_of_action_or_objective(action, objective):
    with pytest.raises(IntegrityError), transaction.atomic():
        IndicatorFactory(action=action, objective=objective)
    with pytest.raises(IntegrityError), transaction.atomic():
        IndicatorFactory(action=None, objective=None)
    IndicatorFactory(action=action, objective=None)
    IndicatorFactory(action=None, objective=objective)
    assert Indicator.objects.count() == 2


@pytest.mark.parametrize(
    ("due_in_days", "status", "expected"),
    [
        (-1, "in_progress", "overdue"),
        (-30, "delayed", "overdue"),
        (0, "in_progress", "due_soon"),
        (14, "planned", "due_soon"),
        (15, "planned", "on_track"),
        (-5, "completed", "closed"),
        (3, "cancelled", "closed"),
        (90, "completed", "closed"),
    ],
)
def test_due_state_and_its_annotation_agree(objective, due_in_days, status, expected):
    action = ActionFactory(
        objective=objective,
        start_date=TODAY - timedelta(days=100),
        due_date=TODAY + timedelta(days=due_in_days),
        status=status,
    )
    assert action.due_state(TODAY) == expected
    annotated = Action.objects.with_due_state(TODAY).get(pk=action.pk)
    assert annotated.due_state_db == expected
    assert Action.objects.overdue(TODAY).contains(action) == (expected == "overdue")
    assert Action.objects.due_soon(TODAY).contains(action) == (expected == "due_soon")
