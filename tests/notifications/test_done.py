"""Notifications that ask for an action are done once the action is, wherever it was taken.

A notification remembers the object it is about; its kind's done rule (registered by the
feature, ``notifications.registry.done_when``) says when the action is done; every state
change a service records (``core.services.record``) checks the open asks about its object.
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from clusters.notifications import JOIN_REQUEST_SUBMITTED
from clusters.services import join_request_submit
from core.services import record
from exchange.notifications import HOST_ACCEPTED, MORE_INFO, NEW_APPLICATION
from notifications import registry
from notifications.models import Notification
from notifications.reminders import run
from notifications.selectors import unread_count
from notifications.services import notifications_mark_done, notify, target_key
from practices.notifications import SUBMITTED, WAITING
from practices.services import practice_publish, practice_submit
from tests.exchange.steps import decide, host_member, review, submit, submitted
from tests.factories import (
    ApplicationFactory,
    ClusterFactory,
    JoinRequestFactory,
    PracticeFactory,
    StaffFactory,
)

pytestmark = pytest.mark.django_db


def asks(kind, **filters):
    return Notification.objects.filter(kind=kind.name, **filters)


@pytest.fixture
def colleague(secretariat):
    return StaffFactory(email="coordinator@example.org", name="Cleo Coordinator")


@pytest.fixture
def submitted_practice(cluster, manager, secretariat, colleague):
    practice = PracticeFactory(cluster=cluster, author=manager, title="E-bus tender")
    return practice_submit(practice=practice, actor=manager)


# --- the mechanism ----------------------------------------------------------------------


def test_an_ask_remembers_the_object_it_is_about(submitted_practice):
    keys = set(asks(SUBMITTED).values_list("target_key", flat=True))

    assert keys == {f"practices.practice:{submitted_practice.pk}"}
    assert target_key(submitted_practice) == f"practices.practice:{submitted_practice.pk}"


def test_moderating_a_practice_marks_every_secretariat_members_ask_done(
    submitted_practice, secretariat, colleague
):
    assert unread_count(user=secretariat) == 1

    practice_publish(practice=submitted_practice, actor=colleague)

    assert asks(SUBMITTED, done_at__isnull=True).count() == 0
    assert asks(SUBMITTED, done_at__isnull=False).count() == 2
    assert unread_count(user=secretariat) == 0
    assert unread_count(user=colleague) == 0


def test_a_recorded_change_that_leaves_the_ask_open_keeps_it_new(submitted_practice, secretariat):
    record(actor=secretariat, verb="practice.note", target=submitted_practice, comment="Later.")

    assert asks(SUBMITTED, recipient=secretariat).get().is_new


def test_deciding_one_practice_leaves_the_asks_about_another_new(
    submitted_practice, cluster, manager, secretariat, colleague
):
    other = practice_submit(practice=PracticeFactory(cluster=cluster), actor=manager)

    practice_publish(practice=submitted_practice, actor=colleague)

    open_asks = asks(SUBMITTED, recipient=secretariat, done_at__isnull=True)
    assert list(open_asks.values_list("target_key", flat=True)) == [target_key(other)]


def test_informational_notifications_about_the_same_object_stay_new(submitted_practice, manager):
    practice_publish(practice=submitted_practice, actor=StaffFactory())

    published = Notification.objects.get(kind="practices.published", recipient=manager)
    assert published.is_new
    assert published.target_key == ""  # no done rule: nothing to finish


def accepted_by(application):
    return review(application, host_member(application))


def test_a_rolled_back_decision_leaves_the_ask_new(secretariat):
    application = accepted_by(submitted())

    with pytest.raises(ValidationError) as refused:  # moved and recorded, then refused
        decide(application, secretariat, funding_granted=application.funding_requested + 1)

    assert "funding_granted" in refused.value.error_dict
    assert asks(HOST_ACCEPTED, recipient=secretariat).get().is_new


def test_a_model_no_rule_is_about_costs_no_query(django_assert_num_queries):
    cluster = ClusterFactory()

    with django_assert_num_queries(0):
        assert notifications_mark_done(target=cluster) == 0


def test_an_ask_without_its_object_in_the_context_is_refused(member):
    with pytest.raises(ValueError, match="practice"):
        notify(recipients=[member], kind=SUBMITTED.name, context={"resubmitted": False})


def test_an_ask_about_the_wrong_kind_of_object_is_refused(member):
    with pytest.raises(ValueError, match=r"practices\.practice"):
        notify(
            recipients=[member],
            kind=SUBMITTED.name,
            context={"practice": PracticeFactory()},
            target=ClusterFactory(),
        )


def test_a_kind_gets_one_done_rule():
    def other_rule(practice):
        return True

    with pytest.raises(ValueError, match="done rule already"):
        registry.done_when(SUBMITTED, model="practices.practice", when=other_rule)


def test_a_reminder_remembers_its_object_and_is_done_with_it(cluster, manager, secretariat):
    from datetime import timedelta

    from django.utils import timezone

    practice = PracticeFactory(cluster=cluster, author=manager)
    practice = practice_submit(practice=practice, actor=manager)
    type(practice).objects.filter(pk=practice.pk).update(
        submitted_at=timezone.now() - timedelta(days=9)
    )

    assert run(WAITING.name) == 1
    reminder = asks(WAITING, recipient=secretariat).get()
    assert reminder.target_key == target_key(practice)

    practice_publish(practice=practice, actor=StaffFactory())

    reminder.refresh_from_db()
    assert reminder.is_done


def test_the_applicants_more_information_ask_is_done_when_they_resubmit(secretariat):
    application = accepted_by(submitted())
    decide(application, secretariat, outcome="more_info", message="Which dates exactly?")
    ask = asks(MORE_INFO, recipient=application.applicant).get()
    assert ask.is_new

    submit(application)

    ask.refresh_from_db()
    assert ask.is_done


def test_the_hosts_review_ask_is_done_for_every_host_manager_once_one_reviews():
    application = ApplicationFactory()
    first, second = host_member(application), host_member(application)
    application = submit(application)
    assert asks(NEW_APPLICATION, recipient=second).get().is_new

    review(application, first)

    assert asks(NEW_APPLICATION, done_at__isnull=True).count() == 0
    assert asks(NEW_APPLICATION, recipient=second).get().is_done


# --- on the site, end to end ------------------------------------------------------------


def inbox_badges(client):
    page = client.get(reverse("notifications:inbox")).content.decode()
    return page.count('class="badge">New<'), page.count('class="badge badge-done">Done<')


def test_secretariat_decides_on_the_site_and_its_to_decide_is_no_longer_new(client, secretariat):
    application = submitted()
    manager = host_member(application)
    client.force_login(manager)
    client.post(
        reverse("exchange:application_review", args=[application.pk]),
        {"recommendation": "accept", "comment": "Good fit."},
    )
    ask = asks(HOST_ACCEPTED, recipient=secretariat).get()
    client.force_login(secretariat)
    assert ask.is_new
    assert inbox_badges(client) == (1, 0)
    assert unread_count(user=secretariat) == 1

    response = client.post(
        reverse("exchange:application_decide", args=[application.pk]),
        {"outcome": "approved", "message": "", "funding_granted": ""},
    )

    assert response.status_code == 302
    ask.refresh_from_db()
    assert ask.is_done
    assert not ask.is_read
    assert inbox_badges(client) == (0, 1)
    assert unread_count(user=secretariat) == 0


def test_a_practice_moderated_on_the_site_is_no_longer_new(client, submitted_practice, colleague):
    client.force_login(colleague)
    assert inbox_badges(client) == (1, 0)

    client.post(
        reverse("practices:moderate", args=[submitted_practice.slug]),
        {"decision": "publish", "comment": ""},
    )

    assert inbox_badges(client) == (0, 1)
    assert "Mark as read" not in client.get(reverse("notifications:inbox")).content.decode()


def test_a_join_request_approved_in_the_admin_is_no_longer_new(client, secretariat, member):
    from clusters.models import Ecosystem

    join_request = join_request_submit(
        requester=member,
        data={
            "name": "Porto Energy Communities",
            "country": "PT",
            "city": "Porto",
            "contact_email": "hello@pec.example.eu",
            "description": "Energy communities in the north of Portugal.",
            "motivation": "To learn from the network.",
        },
        ecosystems=list(Ecosystem.objects.filter(code="energy")),
    )
    ask = asks(JOIN_REQUEST_SUBMITTED, recipient=secretariat).get()
    assert ask.is_new
    client.force_login(secretariat)

    client.post(
        reverse("admin:clusters_joinrequest_changelist"),
        {"action": "approve", "_selected_action": [join_request.pk]},
    )

    ask.refresh_from_db()
    assert ask.is_done


def test_a_join_request_still_waiting_keeps_its_ask_new(secretariat):
    join_request = JoinRequestFactory()
    notify(
        recipients=[secretariat],
        kind=JOIN_REQUEST_SUBMITTED.name,
        context={"join_request": join_request},
    )
    with transaction.atomic():
        record(actor=secretariat, verb="joinrequest.note", target=join_request)

    assert asks(JOIN_REQUEST_SUBMITTED, recipient=secretariat).get().is_new


# --- an ask whose action is done is neither sent nor in the digest -----------------------


def test_an_ask_about_an_object_already_done_is_not_sent(
    submitted_practice, secretariat, colleague
):
    stale = type(submitted_practice).objects.get(pk=submitted_practice.pk)  # still "submitted"
    practice_publish(practice=submitted_practice, actor=colleague)
    before = asks(SUBMITTED).count()

    assert notify(recipients=[secretariat], kind=SUBMITTED.name, context={"practice": stale}) == []
    assert asks(SUBMITTED).count() == before
    assert unread_count(user=secretariat) == 0


def test_a_reminder_whose_object_is_decided_during_its_run_sends_no_new_ask(
    monkeypatch, cluster, manager, secretariat, colleague
):
    from dataclasses import replace
    from datetime import timedelta

    from django.utils import timezone

    from notifications import reminders

    practices = [
        practice_submit(practice=PracticeFactory(cluster=cluster, author=manager), actor=manager)
        for _ in range(2)
    ]
    type(practices[0]).objects.update(submitted_at=timezone.now() - timedelta(days=9))
    reminder = reminders._REMINDERS[WAITING.name]

    def due_then_decided(now):
        items = list(reminder.due(now))  # the list is loaded once, then a colleague decides
        practice_publish(
            practice=type(practices[1]).objects.get(pk=practices[1].pk), actor=colleague
        )
        yield from items

    monkeypatch.setitem(reminders._REMINDERS, WAITING.name, replace(reminder, due=due_then_decided))

    assert run(WAITING.name) == 2  # one for each secretariat member, about the open practice
    assert set(asks(WAITING).values_list("target_key", flat=True)) == {target_key(practices[0])}
    assert not asks(WAITING, done_at__isnull=True, target_key=target_key(practices[1])).exists()


def test_done_asks_are_left_out_of_the_digest(manager, frozen_at):
    from django.core import mail
    from django.utils import timezone

    from notifications.tasks import send_daily_digests
    from tests.factories import NotificationFactory

    NotificationFactory(recipient=manager, email_state="digest", subject="Still to decide")
    NotificationFactory(
        recipient=manager, email_state="digest", subject="Decided already", done_at=timezone.now()
    )
    only_done = NotificationFactory(email_state="digest", done_at=timezone.now())
    frozen_at(7)

    assert send_daily_digests() == 1
    [digest] = mail.outbox
    assert digest.to == [manager.email]
    assert "Still to decide" in digest.body
    assert "Decided already" not in digest.body
    assert "1 update" in digest.subject
    assert only_done.recipient.email not in {m.to[0] for m in mail.outbox}


def test_an_ask_decided_before_the_digest_is_not_emailed(
    cluster, manager, secretariat, colleague, frozen_at
):
    from django.core import mail

    from notifications.tasks import send_daily_digests
    from tests.factories import PreferenceFactory

    PreferenceFactory(user=secretariat, kind=SUBMITTED.name, channel="digest")
    practice = practice_submit(
        practice=PracticeFactory(cluster=cluster, author=manager), actor=manager
    )
    ask = asks(SUBMITTED, recipient=secretariat).get()
    assert ask.email_state == "digest"

    practice_publish(practice=practice, actor=colleague)
    mail.outbox.clear()
    frozen_at(7)
    send_daily_digests()

    ask.refresh_from_db()
    assert ask.is_done
    assert ask.email_state == "not_emailed"  # it will never be in a digest
    assert secretariat.email not in {m.to[0] for m in mail.outbox}
