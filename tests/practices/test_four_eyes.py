"""Four eyes on moderation: nobody publishes, rejects or sends back a practice they wrote or
whose cluster's team they are in; another member of the secretariat does."""

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from core.models import AuditEvent
from notifications.models import Notification
from practices import permissions as perms
from practices.models import Practice
from practices.services import (
    OWN_PRACTICE,
    practice_archive,
    practice_publish,
    practice_reject,
    practice_request_changes,
)
from tests.factories import MembershipFactory, StaffFactory

pytestmark = pytest.mark.django_db

S = Practice.Status
SERVICES = {
    "publish": practice_publish,
    "request_changes": practice_request_changes,
    "reject": practice_reject,
}


@pytest.fixture
def staff_in_team(cluster):
    """A secretariat member who is also in the practice's cluster team."""
    user = StaffFactory(email="staff.team@example.org")
    MembershipFactory(cluster=cluster, user=user, role="staff")
    return user


def state(practice):
    return {
        "row": Practice.objects.filter(pk=practice.pk).values().get(),
        "events": AuditEvent.objects.count(),
        "notifications": Notification.objects.count(),
    }


@pytest.mark.parametrize("decision", list(SERVICES))
def test_staff_in_the_practices_cluster_team_cannot_moderate_it(
    decision, make_practice, staff_in_team
):
    practice = make_practice("submitted")
    before = state(practice)

    with pytest.raises(PermissionDenied) as exc:
        SERVICES[decision](practice=practice, actor=staff_in_team, comment="Fine.")

    assert str(exc.value) == str(OWN_PRACTICE)
    assert state(practice) == before
    assert not perms.can_moderate_practice(staff_in_team, practice)


@pytest.mark.parametrize("decision", list(SERVICES))
def test_the_staff_author_cannot_moderate_their_own_practice(decision, make_practice, cluster):
    author = StaffFactory(email="author@example.org")
    practice = make_practice("submitted", author=author)  # no longer in the team
    before = state(practice)

    with pytest.raises(PermissionDenied) as exc:
        SERVICES[decision](practice=practice, actor=author, comment="Fine.")

    assert str(exc.value) == str(OWN_PRACTICE)
    assert state(practice) == before


@pytest.mark.parametrize(
    ("decision", "status"),
    [("publish", S.PUBLISHED), ("request_changes", S.CHANGES_REQUESTED), ("reject", S.REJECTED)],
)
def test_another_secretariat_member_moderates(decision, status, make_practice, secretariat):
    practice = make_practice("submitted")

    assert perms.can_moderate_practice(secretariat, practice)
    done = SERVICES[decision](practice=practice, actor=secretariat, comment="Fine.")

    assert done.status == status


def test_the_moderation_form_is_not_shown_to_staff_in_the_team(
    client, make_practice, staff_in_team
):
    practice = make_practice("submitted")
    client.force_login(staff_in_team)

    page = client.get(practice.get_absolute_url())

    assert page.status_code == 200
    assert reverse("practices:moderate", args=[practice.slug]) not in page.content.decode()


def test_staff_in_the_team_posting_a_decision_is_refused_and_nothing_changes(
    client, make_practice, staff_in_team
):
    practice = make_practice("submitted")
    client.force_login(staff_in_team)
    before = state(practice)

    response = client.post(
        reverse("practices:moderate", args=[practice.slug]),
        {"decision": "publish", "comment": ""},
        follow=True,
    )

    text = " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert str(OWN_PRACTICE) in text
    assert state(practice) == before


@pytest.mark.parametrize("action", ["publish", "request_changes", "reject"])
def test_the_admin_actions_refuse_staff_in_the_team_and_say_why(
    client, action, make_practice, staff_in_team
):
    practice = make_practice("submitted")
    client.force_login(staff_in_team)
    before = state(practice)

    response = client.post(
        reverse("admin:practices_practice_changelist"),
        {"action": action, "_selected_action": [practice.pk], "comment": "Fine."},
        follow=True,
    )

    text = " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert f"{practice}: {OWN_PRACTICE}" in text
    assert state(practice) == before


def test_staff_in_the_practices_cluster_team_cannot_archive_it(make_practice, staff_in_team):
    practice = make_practice("published")
    before = state(practice)

    with pytest.raises(PermissionDenied) as exc:
        practice_archive(practice=practice, actor=staff_in_team)

    assert str(exc.value) == str(OWN_PRACTICE)
    assert state(practice) == before
    assert not perms.can_archive_practice(staff_in_team, practice)


def test_the_staff_author_cannot_archive_their_own_practice(make_practice):
    author = StaffFactory(email="author@example.org")
    practice = make_practice("published", author=author)
    before = state(practice)

    with pytest.raises(PermissionDenied) as exc:
        practice_archive(practice=practice, actor=author)

    assert str(exc.value) == str(OWN_PRACTICE)
    assert state(practice) == before


def test_another_secretariat_member_archives(make_practice, secretariat):
    practice = make_practice("published")

    assert perms.can_archive_practice(secretariat, practice)
    assert practice_archive(practice=practice, actor=secretariat).status == S.ARCHIVED


def test_staff_in_the_team_posting_archive_is_refused_and_nothing_changes(
    client, make_practice, staff_in_team
):
    practice = make_practice("published")
    client.force_login(staff_in_team)
    before = state(practice)

    page = client.get(practice.get_absolute_url())
    assert reverse("practices:archive", args=[practice.slug]) not in page.content.decode()
    response = client.post(reverse("practices:archive", args=[practice.slug]), follow=True)

    text = " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert str(OWN_PRACTICE) in text
    assert state(practice) == before


def test_the_admin_archive_action_refuses_staff_in_the_team_and_says_why(
    client, make_practice, staff_in_team
):
    practice = make_practice("published")
    client.force_login(staff_in_team)
    before = state(practice)

    response = client.post(
        reverse("admin:practices_practice_changelist"),
        {"action": "archive", "_selected_action": [practice.pk]},
        follow=True,
    )

    text = " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert f"{practice}: {OWN_PRACTICE}" in text
    assert state(practice) == before
