"""The secretariat's view of the outbox in the admin."""

import pytest
from django.core import mail
from django.urls import reverse

from core.models import AuditEvent
from notifications.models import Notification
from tests.factories import NotificationFactory, PreferenceFactory

pytestmark = pytest.mark.django_db

NOTIFICATIONS = reverse("admin:notifications_notification_changelist")
PREFERENCES = reverse("admin:notifications_preference_changelist")


def messages_of(response):
    return [str(m) for m in response.wsgi_request._messages]


def queued_again(response) -> int:
    """How many notifications the retry action says it queued."""
    [message] = [m for m in messages_of(response) if "queued again" in m]
    return int(message.split()[0])


def failed_for(user):
    return NotificationFactory(
        recipient=user,
        email_state="failed",
        attempts=6,
        last_error="SMTPResponseException: (451, b'4.3.0 Mailbox busy')",
        subject="New join request: Porto Energy",
    )


def test_notification_changelist_loads_for_the_secretariat(login, secretariat, member):
    failed_for(member)
    client = login(secretariat)

    response = client.get(NOTIFICATIONS)
    filtered = client.get(NOTIFICATIONS, {"email_state__exact": "failed", "q": member.email})

    assert response.status_code == 200
    assert b"New join request: Porto Energy" in response.content
    assert b"Mia Member" in response.content
    assert filtered.status_code == 200
    assert filtered.context["cl"].result_count == 1


def test_notification_change_page_loads_and_adding_is_closed(login, secretariat, member):
    notification = failed_for(member)
    client = login(secretariat)

    change = client.get(reverse("admin:notifications_notification_change", args=[notification.pk]))
    add = client.get(reverse("admin:notifications_notification_add"))

    assert change.status_code == 200
    assert b"Mailbox busy" in change.content
    assert add.status_code == 403


def test_preference_changelist_loads_for_the_secretariat(login, secretariat, member):
    PreferenceFactory(user=member, kind="clusters.joinrequest_submitted", channel="in_app")
    client = login(secretariat)

    response = client.get(PREFERENCES)
    searched = client.get(PREFERENCES, {"q": member.email})

    assert response.status_code == 200
    assert b"Mia Member" in response.content
    assert searched.context["cl"].result_count == 1


@pytest.mark.parametrize("url", [NOTIFICATIONS, PREFERENCES])
def test_notification_admin_is_closed_to_non_staff(login, manager, url):
    response = login(manager).get(url)

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_retry_email_action_makes_a_failed_notification_pending_and_emails_it(
    django_capture_on_commit_callbacks, login, secretariat, member
):
    notification = failed_for(member)

    with django_capture_on_commit_callbacks() as callbacks:
        response = login(secretariat).post(
            NOTIFICATIONS, {"action": "retry_email", "_selected_action": [notification.pk]}
        )

    assert response.status_code == 302
    assert queued_again(response) == 1
    notification.refresh_from_db()
    assert notification.email_state == "pending"
    assert notification.attempts == 0
    event = AuditEvent.objects.get(verb="notification.retry")
    assert event.actor == secretariat
    assert event.object_id == str(notification.pk)
    assert mail.outbox == []

    for callback in callbacks:
        callback()

    [message] = mail.outbox
    assert message.to == [member.email]
    assert "New join request: Porto Energy" in message.subject
    notification.refresh_from_db()
    assert notification.email_state == "sent"
    assert notification.attempts == 1


def test_retry_email_action_leaves_notifications_that_did_not_fail_alone(
    django_capture_on_commit_callbacks, login, secretariat, member
):
    sent = NotificationFactory(recipient=member, email_state="sent", attempts=1)
    inbox_only = NotificationFactory(recipient=member, email_state="not_emailed")

    with django_capture_on_commit_callbacks(execute=True):
        response = login(secretariat).post(
            NOTIFICATIONS,
            {"action": "retry_email", "_selected_action": [sent.pk, inbox_only.pk]},
        )

    assert queued_again(response) == 0
    states = dict(Notification.objects.values_list("pk", "email_state"))
    assert states == {sent.pk: "sent", inbox_only.pk: "not_emailed"}
    assert mail.outbox == []
    assert not AuditEvent.objects.filter(verb="notification.retry").exists()
