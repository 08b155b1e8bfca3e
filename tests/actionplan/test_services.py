from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from actionplan.models import Action, ActionFollow, IndicatorValue, ProgressUpdate
from actionplan.services import (
    NOT_THIS_ACTION,
    PARENT_PROGRESS,
    STALE_EDIT,
    action_edit,
    action_follow,
    action_unfollow,
    progress_update_post,
)
from core.models import AuditEvent
from notifications.models import Notification
from tests.factories import UserFactory

from .conftest import ActionFactory, IndicatorFactory


def post(action, actor, *, version=None, progress=40, status="in_progress", text="Done.", **kw):
    return progress_update_post(
        action=action,
        actor=actor,
        expected_version=action.version if version is None else version,
        progress=progress,
        status=status,
        text=text,
        **kw,
    )


@pytest.mark.parametrize("who", ["owner", "manager", "secretariat"])
def test_owner_lead_manager_and_secretariat_post_progress(request, action, who):
    actor = request.getfixturevalue(who)
    update = post(action, actor, progress=45, status="delayed", text="  Pilots slipped.  ")
    action.refresh_from_db()
    assert (action.progress, action.status, action.version) == (45, "delayed", 2)
    assert (update.author, update.progress, update.status, update.text) == (
        actor,
        45,
        "delayed",
        "Pilots slipped.",
    )
    event = AuditEvent.objects.get(verb="action.progress")
    assert (event.actor, event.object_id, event.from_state, event.to_state) == (
        actor,
        str(action.pk),
        "in_progress",
        "delayed",
    )


@pytest.mark.parametrize("who", ["member", "other_manager", "staff_member"])
def test_others_cannot_post_progress(request, action, who):
    actor = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        post(action, actor, progress=80)
    action.refresh_from_db()
    assert (action.progress, action.version) == (0, 1)
    assert not ProgressUpdate.objects.exists()
    assert not AuditEvent.objects.filter(verb="action.progress").exists()


def test_indicator_history_records_each_changed_value(action, owner):
    changed = IndicatorFactory(action=action, current=Decimal(2))
    unchanged = IndicatorFactory(action=action, current=Decimal(5))
    blank = IndicatorFactory(action=action, current=Decimal(1))
    post(
        action,
        owner,
        indicator_values={changed.pk: Decimal(4), unchanged.pk: Decimal(5), blank.pk: None},
    )
    changed.refresh_from_db()
    unchanged.refresh_from_db()
    assert changed.current == 4
    assert unchanged.current == 5
    assert list(IndicatorValue.objects.values_list("indicator", "value", "recorded_by")) == [
        (changed.pk, Decimal(4), owner.pk)
    ]


def test_indicator_of_another_action_saves_nothing(action, owner, objective):
    mine = IndicatorFactory(action=action, current=Decimal(0))
    theirs = IndicatorFactory(action=ActionFactory(objective=objective), current=Decimal(0))
    with pytest.raises(ValidationError) as exc:
        post(
            action,
            owner,
            progress=70,
            indicator_values={mine.pk: Decimal(3), theirs.pk: Decimal(9)},
        )
    assert exc.value.messages == [str(NOT_THIS_ACTION)]
    action.refresh_from_db()
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (action.progress, action.version) == (0, 1)
    assert (mine.current, theirs.current) == (0, 0)
    assert not ProgressUpdate.objects.exists()
    assert not IndicatorValue.objects.exists()
    assert not AuditEvent.objects.filter(verb="action.progress").exists()


def test_parent_progress_is_the_weighted_average_of_sub_actions(action, owner, objective):
    light = ActionFactory(objective=objective, parent=action, weight=1, owner=owner)
    heavy = ActionFactory(objective=objective, parent=action, weight=3, owner=owner)
    post(light, owner, progress=100)
    post(heavy, owner, progress=20)
    action.refresh_from_db()
    assert action.progress == 40  # (100*1 + 20*3) / 4


def test_cancelled_sub_actions_do_not_count(action, owner, objective):
    done = ActionFactory(objective=objective, parent=action, weight=1, owner=owner)
    dropped = ActionFactory(objective=objective, parent=action, weight=5, owner=owner)
    post(dropped, owner, progress=0, status="cancelled")
    post(done, owner, progress=80)
    action.refresh_from_db()
    assert action.progress == 80


def test_roll_up_goes_up_two_levels(action, owner, objective):
    child = ActionFactory(objective=objective, parent=action, weight=1)
    ActionFactory(objective=objective, parent=action, weight=1, progress=0)  # a sibling
    grandchild = ActionFactory(objective=objective, parent=child, weight=1, owner=owner)
    ActionFactory(objective=objective, parent=child, weight=1, progress=50)
    post(grandchild, owner, progress=100)
    child.refresh_from_db()
    action.refresh_from_db()
    assert child.progress == 75
    assert action.progress == 38  # round((75 + 0) / 2)


def test_parent_progress_cannot_be_set_directly(action, owner, objective):
    ActionFactory(objective=objective, parent=action, progress=10)
    with pytest.raises(ValidationError) as exc:
        post(action, owner, progress=90)
    assert exc.value.message_dict == {"progress": [str(PARENT_PROGRESS)]}
    action.refresh_from_db()
    assert action.progress == 0
    assert not ProgressUpdate.objects.exists()


def test_parent_may_report_status_with_its_rolled_up_progress(action, owner, objective):
    ActionFactory(objective=objective, parent=action)
    post(action, owner, progress=action.progress, status="delayed")
    action.refresh_from_db()
    assert action.status == "delayed"


def test_second_of_two_concurrent_updates_is_refused_and_first_kept(action, owner, manager):
    first_read = Action.objects.get(pk=action.pk)
    second_read = Action.objects.get(pk=action.pk)
    post(first_read, owner, version=1, progress=30, text="First.")
    with pytest.raises(ValidationError) as exc:
        post(second_read, manager, version=1, progress=90, text="Second.")
    assert exc.value.messages == [str(STALE_EDIT)]
    action.refresh_from_db()
    assert (action.progress, action.version) == (30, 2)
    assert list(ProgressUpdate.objects.values_list("text", "progress")) == [("First.", 30)]


def test_secretariat_edits_an_action_and_the_new_owner_hears_once(action, secretariat):
    new_owner = UserFactory(email="new-owner@example.org")
    action_edit(
        action=action,
        actor=secretariat,
        expected_version=1,
        data={"title": "Shared e-bikes", "owner": new_owner},
    )
    action.refresh_from_db()
    assert (action.title, action.owner, action.version) == ("Shared e-bikes", new_owner, 2)
    assert AuditEvent.objects.filter(verb="action.edit", object_id=str(action.pk)).count() == 1
    action_edit(action=action, actor=secretariat, expected_version=2, data={"title": "Again"})
    assigned = Notification.objects.filter(kind="actionplan.assigned")
    assert [n.recipient for n in assigned] == [new_owner]


@pytest.mark.parametrize("who", ["owner", "manager", "member"])
def test_only_the_secretariat_edits_actions(request, action, who):
    with pytest.raises(PermissionDenied):
        action_edit(
            action=action,
            actor=request.getfixturevalue(who),
            expected_version=1,
            data={"title": "Hijacked"},
        )
    action.refresh_from_db()
    assert action.title == "Shared e-bike pilots"


def test_editing_an_old_version_is_refused(action, secretariat, owner):
    post(Action.objects.get(pk=action.pk), owner, progress=10)
    with pytest.raises(ValidationError) as exc:
        action_edit(action=action, actor=secretariat, expected_version=1, data={"title": "Old"})
    assert exc.value.messages == [str(STALE_EDIT)]
    action.refresh_from_db()
    assert (action.title, action.progress) == ("Shared e-bike pilots", 10)
    assert not AuditEvent.objects.filter(verb="action.edit").exists()


def test_followers_hear_of_status_changes_only(action, owner, member):
    assert action_follow(action=action, user=member) is True
    assert action_follow(action=action, user=member) is False
    post(action, owner, progress=10, status="in_progress")
    assert not Notification.objects.filter(kind="actionplan.status_changed").exists()
    post(action, owner, progress=20, status="delayed")
    changed = Notification.objects.filter(kind="actionplan.status_changed")
    assert [n.recipient for n in changed] == [member]


def test_unfollowing_stops_status_news(action, owner, member):
    action_follow(action=action, user=member)
    assert action_unfollow(action=action, user=member) is True
    assert not ActionFollow.objects.exists()
    post(action, owner, progress=20, status="delayed")
    assert not Notification.objects.filter(kind="actionplan.status_changed").exists()


def test_draft_actions_cannot_be_followed_by_members(draft_action, member):
    with pytest.raises(PermissionDenied):
        action_follow(action=draft_action, user=member)
