"""The practices' queues on "Your work": the secretariat's moderation, a team's practices
sent back for changes, and a manager's transfer interests."""

from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from practices.models import Practice, TransferInterest
from practices.selectors import INTEREST_FRESH_DAYS
from practices.services import practice_request_changes, practice_submit
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PracticeFactory,
    StaffFactory,
    TransferInterestFactory,
    UserFactory,
)
from tests.work import block, count_of, item_links, notes, work_page

pytestmark = pytest.mark.django_db


def submitted_days_ago(practice, days):
    Practice.objects.filter(pk=practice.pk).update(
        status="submitted", submitted_at=timezone.now() - timedelta(days=days)
    )
    return practice


# --- the secretariat's moderation -------------------------------------------------------


def test_the_secretariat_sees_the_practices_to_moderate_oldest_first(
    client, secretariat, make_practice
):
    recent = submitted_days_ago(make_practice(), 1)
    oldest = submitted_days_ago(make_practice(), 8)
    middle = submitted_days_ago(make_practice(), 4)
    make_practice("published")
    make_practice("changes_requested")

    section = block(work_page(client, secretariat), "practices-moderation")

    assert count_of(section) == 3
    assert item_links(section) == [p.get_absolute_url() for p in (oldest, middle, recent)]
    assert f'href="{reverse("practices:moderation")}"' in section
    assert notes(section) == ["from Mobility Valley"] * 3


def test_only_the_secretariat_has_the_moderation_queue(client, manager, member, make_practice):
    submitted_days_ago(make_practice(), 1)

    assert block(work_page(client, manager), "practices-moderation") is None
    assert block(work_page(client, member), "practices-moderation") is None


# --- a team's practices sent back -------------------------------------------------------


def sent_back(practice, days_ago, comment="Add the tender's budget."):
    practice = practice_submit(practice=practice, actor=practice.author)
    practice = practice_request_changes(practice=practice, actor=StaffFactory(), comment=comment)
    from core.models import AuditEvent
    from core.selectors import audit_events_for

    AuditEvent.objects.filter(
        pk__in=audit_events_for(practice).filter(verb="practice.request_changes").values("pk")
    ).update(created=timezone.now() - timedelta(days=days_ago))
    return practice


def test_the_team_sees_its_practices_sent_back_longest_waiting_first(
    client, manager, staff_member, make_practice
):
    recent = sent_back(make_practice(), 1, comment="Say who paid.")
    old = sent_back(make_practice(), 6)
    Practice.objects.filter(pk=old.pk).update(updated=timezone.now())  # edited since
    elsewhere = MembershipFactory()  # another cluster's practice
    sent_back(PracticeFactory(cluster=elsewhere.cluster, author=elsewhere.user), 9)

    for person in (manager, staff_member):
        section = unescape(block(work_page(client, person), "practices-sent-back"))
        assert count_of(section) == 2
        assert item_links(section) == [
            reverse("practices:edit", args=[old.slug]),
            reverse("practices:edit", args=[recent.slug]),
        ]
        assert notes(section) == ["asked: Add the tender's budget.", "asked: Say who paid."]


def test_a_practice_sent_again_leaves_the_sent_back_queue(client, manager, make_practice):
    practice = sent_back(make_practice(), 2)

    practice_submit(practice=practice, actor=manager)

    section = block(work_page(client, manager), "practices-sent-back")
    assert count_of(section) == 0
    assert "No practice waits for your changes." in section


def test_someone_in_no_team_has_no_sent_back_queue(client, member, make_practice):
    sent_back(make_practice(), 2)

    assert block(work_page(client, member), "practices-sent-back") is None


# --- a manager's transfer interests -----------------------------------------------------


def test_a_manager_sees_the_recent_transfer_interests_with_a_way_to_write_back(
    client, manager, published
):
    person = UserFactory(
        name="Ana Silva", email="ana@example.pt", organisation=OrganisationFactory(name="PEC")
    )
    recent = TransferInterestFactory(practice=published, user=person)
    older = TransferInterestFactory(practice=published)
    stale = TransferInterestFactory(practice=published)
    TransferInterestFactory()  # another cluster's practice
    TransferInterest.objects.filter(pk=older.pk).update(
        created=timezone.now() - timedelta(days=INTEREST_FRESH_DAYS - 2)
    )
    TransferInterest.objects.filter(pk=stale.pk).update(
        created=timezone.now() - timedelta(days=INTEREST_FRESH_DAYS + 1)
    )

    section = unescape(block(work_page(client, manager), "practices-interests"))

    assert count_of(section) == 2
    links = item_links(section)
    assert links[0].startswith(f"mailto:{older.user.email}?subject=")
    assert links[1].startswith("mailto:ana@example.pt?subject=Transferring")
    assert "Ana Silva (PEC) wants to transfer “Open data for smart parking”" in section
    assert recent.user.email in notes(section)[1]


def test_staff_of_a_cluster_have_no_interest_queue_only_managers_are_told(
    client, staff_member, published
):
    TransferInterestFactory(practice=published)

    assert block(work_page(client, staff_member), "practices-interests") is None


def test_a_manager_without_interest_sees_an_empty_block(client, manager):
    section = block(work_page(client, manager), "practices-interests")

    assert count_of(section) == 0
    assert "Nobody asked to transfer your practices" in section


def test_a_member_has_no_interest_queue(client, member):
    assert block(work_page(client, member), "practices-interests") is None


def test_a_team_member_with_another_role_elsewhere_is_not_shown_that_clusters_interests(
    client, other_cluster
):
    person = MembershipFactory(cluster=other_cluster, role="staff").user
    MembershipFactory(user=person)  # a manager of some other cluster
    TransferInterestFactory(practice=PracticeFactory(cluster=other_cluster, status="published"))

    assert count_of(block(work_page(client, person), "practices-interests")) == 0
