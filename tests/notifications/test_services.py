"""The outbox: notify(), e-mail delivery with retries, the sweep, digests and preferences."""

import smtplib
from dataclasses import replace
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from accounts.models import User
from clusters.models import JoinRequest
from clusters.notifications import JOIN_REQUEST_APPROVED, JOIN_REQUEST_REJECTED
from clusters.services import join_request_reject
from core.models import AuditEvent
from notifications import registry
from notifications.models import Notification, Preference
from notifications.registry import Channel
from notifications.services import (
    Outcome,
    digest_send,
    is_transient,
    notification_deliver,
    notifications_requeue_stale,
    notifications_retry_failed,
    notify,
    preferences_save,
    retry_delay,
)
from notifications.tasks import send_daily_digests
from tests.factories import (
    JoinRequestFactory,
    NotificationFactory,
    PreferenceFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

SITE_URL = "https://smartclusters.example.eu"
KIND = JOIN_REQUEST_REJECTED.name  # a real kind: its templates use the context below
CONTEXT = {"join_request": {"name": "Porto Energy", "rejection_reason": "Not a cluster yet."}}
SUBJECT = "Your request for Porto Energy was not approved"
LINK = "/accounts/profile/"
PREFERENCES_URL = f"{SITE_URL}/notifications/preferences/"


class Boom(Exception):
    """The caller's change fails after it asked to notify."""


@pytest.fixture(autouse=True)
def _notification_settings(settings):
    settings.SITE_URL = SITE_URL
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 6
    settings.NOTIFICATIONS_RETRY_BASE_SECONDS = 30.0
    settings.NOTIFICATIONS_RETRY_MAX_SECONDS = 3600.0
    settings.NOTIFICATIONS_STALE_SECONDS = 120


@pytest.fixture
def smtp_error(monkeypatch):
    """Make the mail server answer every message with the given error."""

    def _fail_with(error: Exception) -> None:
        def send(self, fail_silently=False):
            raise error

        monkeypatch.setattr(EmailMultiAlternatives, "send", send)

    return _fail_with


def tell(recipients, **kwargs):
    return notify(recipients=recipients, kind=KIND, context=CONTEXT, link=LINK, **kwargs)


def pending_for(user, **kwargs):
    return NotificationFactory(recipient=user, email_state="pending", subject=SUBJECT, **kwargs)


def set_created(notification, when):
    Notification.objects.filter(pk=notification.pk).update(created=when)


def html_of(message):
    [(content, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return content


# --- notify: the rows -------------------------------------------------------------------


def test_notify_writes_one_row_per_recipient_with_rendered_subject_body_and_link(member, manager):
    created = tell([member, manager])

    assert [n.recipient for n in created] == [member, manager]
    rows = Notification.objects.order_by("recipient_id")
    assert rows.count() == 2
    for row in rows:
        assert row.kind == KIND
        assert row.subject == SUBJECT
        assert "Porto Energy" in row.body
        assert "Not a cluster yet." in row.body
        assert row.link == LINK
        assert row.read_at is None
        assert row.attempts == 0
        assert row.dedupe_key is None


def test_notify_gives_each_recipient_their_own_row_and_no_one_elses(member, manager):
    tell([member])

    assert Notification.objects.for_user(member).count() == 1
    assert not Notification.objects.for_user(manager).exists()


@pytest.mark.parametrize(
    ("channel", "state"),
    [
        (Channel.IMMEDIATE, Notification.EmailState.PENDING),
        (Channel.DIGEST, Notification.EmailState.DIGEST),
        (Channel.IN_APP, Notification.EmailState.NOT_EMAILED),
    ],
)
def test_notify_sets_the_email_state_from_the_recipients_preference(
    member, manager, channel, state
):
    PreferenceFactory(user=member, kind=KIND, channel=channel)

    tell([member, manager])

    assert Notification.objects.get(recipient=member).email_state == state
    # The other person has no preference: the kind's default (e-mail at once) applies.
    assert Notification.objects.get(recipient=manager).email_state == "pending"


def test_notify_uses_the_preference_for_that_kind_only(member):
    PreferenceFactory(user=member, kind=JOIN_REQUEST_APPROVED.name, channel=Channel.IN_APP)

    tell([member])

    assert Notification.objects.get(recipient=member).email_state == "pending"


def test_notify_without_a_preference_uses_the_kinds_default_channel(monkeypatch, member):
    digest_by_default = replace(registry.get(KIND), default_channel=Channel.DIGEST)
    monkeypatch.setitem(registry._KINDS, KIND, digest_by_default)

    tell([member])

    assert Notification.objects.get(recipient=member).email_state == "digest"


def test_notify_skips_inactive_and_missing_recipients(member):
    inactive = UserFactory(is_active=False)

    created = tell([None, inactive, member, None])

    assert [n.recipient for n in created] == [member]
    assert not Notification.objects.filter(recipient=inactive).exists()


def test_notify_with_nobody_to_tell_writes_nothing(django_capture_on_commit_callbacks):
    # Made before: creating a person is a write (the page cache hooks its commit).
    inactive = UserFactory(is_active=False)
    with django_capture_on_commit_callbacks() as callbacks:
        assert tell([None, inactive]) == []

    assert not Notification.objects.exists()
    assert callbacks == []


def test_notify_names_the_same_person_once_even_if_listed_twice(member):
    tell([member, member])

    assert Notification.objects.filter(recipient=member).count() == 1


def test_notify_with_an_unknown_kind_raises_lookup_error(member):
    with pytest.raises(LookupError, match=r"clusters\.no_such_kind"):
        notify(recipients=[member], kind="clusters.no_such_kind", context=CONTEXT)

    assert not Notification.objects.exists()


def test_notify_without_a_dedupe_key_tells_again(member):
    tell([member])
    tell([member])

    assert Notification.objects.filter(recipient=member).count() == 2


def test_notify_twice_with_the_same_dedupe_key_is_a_no_op(
    django_capture_on_commit_callbacks, member, manager
):
    with django_capture_on_commit_callbacks(execute=True):
        first = tell([member, manager], dedupe_key="joinrequest:7:2026-W10")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        second = tell([member, manager], dedupe_key="joinrequest:7:2026-W10")

    assert len(first) == 2
    assert second == []
    assert callbacks == []
    assert Notification.objects.count() == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([member.email, manager.email])


def test_notify_with_a_used_dedupe_key_still_tells_a_new_recipient(member, manager):
    tell([member], dedupe_key="joinrequest:7:2026-W10")

    created = tell([member, manager], dedupe_key="joinrequest:7:2026-W10")

    assert [n.recipient for n in created] == [manager]
    assert Notification.objects.filter(recipient=member).count() == 1
    assert Notification.objects.filter(recipient=manager).count() == 1


def test_notify_with_an_empty_dedupe_key_does_not_deduplicate(member):
    tell([member], dedupe_key="")
    tell([member], dedupe_key="")

    assert list(Notification.objects.values_list("dedupe_key", flat=True)) == [None, None]


def test_notify_with_another_dedupe_key_tells_again(member):
    tell([member], dedupe_key="joinrequest:7:2026-W10")
    tell([member], dedupe_key="joinrequest:7:2026-W11")

    assert Notification.objects.filter(recipient=member).count() == 2


# --- notify: the caller's transaction --------------------------------------------------


def _change_and_notify_then_fail(member):
    with transaction.atomic():
        User.objects.filter(pk=member.pk).update(name="Renamed in the failed change")
        tell([member])
        raise Boom


def test_a_rolled_back_change_leaves_no_notification_and_sends_no_email(
    django_capture_on_commit_callbacks, member
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(Boom):
        _change_and_notify_then_fail(member)

    member.refresh_from_db()
    assert member.name == "Mia Member"
    assert not Notification.objects.exists()
    assert callbacks == []
    assert mail.outbox == []


def test_nothing_is_emailed_before_the_change_commits(django_capture_on_commit_callbacks, member):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        tell([member])

    notification = Notification.objects.get(recipient=member)
    assert notification.email_state == "pending"
    assert mail.outbox == []
    assert len(callbacks) == 1

    callbacks[0]()

    assert len(mail.outbox) == 1


def test_after_commit_an_immediate_notification_is_emailed_once(
    django_capture_on_commit_callbacks, member
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        tell([member])

    [message] = mail.outbox
    assert message.to == [member.email]
    assert message.subject == f"[Smart Clusters] {SUBJECT}"
    assert "Not a cluster yet." in message.body
    assert f"{SITE_URL}{LINK}" in message.body
    assert PREFERENCES_URL in message.body
    assert message.extra_headers["List-Unsubscribe"] == f"<{PREFERENCES_URL}>"
    html = html_of(message)
    assert "Not a cluster yet." in html
    assert f'href="{SITE_URL}{LINK}"' in html
    assert f'href="{PREFERENCES_URL}"' in html
    notification = Notification.objects.get(recipient=member)
    assert notification.email_state == "sent"
    assert notification.attempts == 1
    assert notification.sent_at is not None
    assert notification.next_attempt_at is None


@pytest.mark.parametrize("channel", [Channel.DIGEST, Channel.IN_APP])
def test_digest_and_inbox_only_notifications_are_not_emailed_at_commit(
    django_capture_on_commit_callbacks, member, channel
):
    PreferenceFactory(user=member, kind=KIND, channel=channel)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        tell([member])

    assert callbacks == []
    assert mail.outbox == []


# --- delivery ---------------------------------------------------------------------------


def test_deliver_sends_a_pending_notification(member):
    notification = pending_for(member)

    assert notification_deliver(notification_id=notification.pk) == Outcome("sent")

    assert [m.to for m in mail.outbox] == [[member.email]]


def test_deliver_twice_sends_once(member):
    notification = pending_for(member)

    notification_deliver(notification_id=notification.pk)
    second = notification_deliver(notification_id=notification.pk)

    assert second.state == "skipped"
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.email_state == "sent"
    assert notification.attempts == 1


@pytest.mark.parametrize("state", ["sent", "failed", "digest", "not_emailed"])
def test_deliver_skips_a_notification_that_is_not_pending(member, state):
    notification = NotificationFactory(recipient=member, email_state=state)

    assert notification_deliver(notification_id=notification.pk).state == "skipped"

    assert mail.outbox == []
    notification.refresh_from_db()
    assert notification.email_state == state
    assert notification.attempts == 0


def test_deliver_of_a_missing_notification_is_skipped(db):
    assert notification_deliver(notification_id=987654).state == "skipped"


@pytest.mark.parametrize(
    "error",
    [
        smtplib.SMTPServerDisconnected("Connection unexpectedly closed"),
        smtplib.SMTPResponseException(451, b"4.3.0 Mailbox busy, try again later"),
        ConnectionRefusedError(111, "Connection refused"),
    ],
    ids=["disconnected", "451", "refused"],
)
def test_a_transient_error_leaves_the_notification_pending_for_a_retry(smtp_error, member, error):
    notification = pending_for(member)
    smtp_error(error)
    before = timezone.now()

    outcome = notification_deliver(notification_id=notification.pk)

    assert outcome == Outcome("retry", retry_in=30.0)
    notification.refresh_from_db()
    assert notification.email_state == "pending"
    assert notification.attempts == 1
    assert notification.last_error.startswith(type(error).__name__)
    assert notification.sent_at is None
    assert before + timedelta(seconds=30) <= notification.next_attempt_at
    assert notification.next_attempt_at <= timezone.now() + timedelta(seconds=30)


def test_retry_delay_doubles_with_each_attempt_up_to_the_cap():
    assert [retry_delay(n) for n in range(1, 6)] == [30.0, 60.0, 120.0, 240.0, 480.0]
    assert retry_delay(8) == 3600.0
    assert retry_delay(30) == 3600.0


def deliver_when_due(notification):
    """Deliver as the retry would: once the back-off has passed."""
    Notification.objects.filter(pk=notification.pk, next_attempt_at__isnull=False).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)
    )
    return notification_deliver(notification_id=notification.pk)


def test_a_delivery_queued_twice_waits_for_the_back_off(smtp_error, member):
    notification = pending_for(member)
    smtp_error(smtplib.SMTPServerDisconnected("Connection unexpectedly closed"))
    assert notification_deliver(notification_id=notification.pk).state == "retry"
    # The sweep (or a duplicate message) runs it again before the back-off is over.
    assert notification_deliver(notification_id=notification.pk).state == "skipped"
    notification.refresh_from_db()
    assert notification.attempts == 1
    assert notification.email_state == "pending"


def test_repeated_transient_errors_back_off_then_fail_after_max_attempts(smtp_error, member):
    notification = pending_for(member)
    smtp_error(smtplib.SMTPResponseException(451, b"4.3.0 Mailbox busy, try again later"))

    outcomes = [deliver_when_due(notification) for _ in range(6)]

    assert [o.retry_in for o in outcomes[:5]] == [30.0, 60.0, 120.0, 240.0, 480.0]
    assert {o.state for o in outcomes[:5]} == {"retry"}
    assert outcomes[5] == Outcome("failed")
    notification.refresh_from_db()
    assert notification.email_state == "failed"
    assert notification.attempts == 6
    assert "451" in notification.last_error
    assert "Mailbox busy" in notification.last_error
    assert notification.next_attempt_at is None
    assert notification_deliver(notification_id=notification.pk).state == "skipped"


def test_max_attempts_comes_from_settings(settings, smtp_error, member):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 2
    notification = pending_for(member)
    smtp_error(smtplib.SMTPServerDisconnected("Connection unexpectedly closed"))

    states = [deliver_when_due(notification).state for _ in range(2)]

    assert states == ["retry", "failed"]


@pytest.mark.parametrize(
    "error",
    [
        smtplib.SMTPResponseException(550, b"5.1.1 No such user"),
        smtplib.SMTPRecipientsRefused({"mia@example.org": (550, b"5.1.1 No such user")}),
        smtplib.SMTPAuthenticationError(535, b"5.7.8 Authentication failed"),
        smtplib.SMTPNotSupportedError("SMTP AUTH extension not supported by server."),
        ValueError("Header values may not contain linefeed or carriage return characters"),
    ],
    ids=["550", "recipients-refused-550", "auth-535", "auth-not-supported", "not-smtp"],
)
def test_a_permanent_error_fails_at_once_and_keeps_the_error(smtp_error, member, error):
    notification = pending_for(member)
    smtp_error(error)

    assert notification_deliver(notification_id=notification.pk) == Outcome("failed")

    notification.refresh_from_db()
    assert notification.email_state == "failed"
    assert notification.attempts == 1
    assert notification.last_error.startswith(type(error).__name__)
    assert notification.next_attempt_at is None


@pytest.mark.parametrize(
    ("error", "transient"),
    [
        (smtplib.SMTPServerDisconnected("Connection unexpectedly closed"), True),
        (smtplib.SMTPConnectError(421, b"4.7.0 Too many connections"), True),
        (smtplib.SMTPResponseException(451, b"4.3.0 Try again later"), True),
        (smtplib.SMTPResponseException(421, b"4.4.2 Timeout"), True),
        (smtplib.SMTPRecipientsRefused({"a@example.org": (450, b"4.2.1 Busy")}), True),
        (ConnectionRefusedError(111, "Connection refused"), True),
        (TimeoutError("timed out"), True),
        (smtplib.SMTPResponseException(550, b"5.1.1 No such user"), False),
        (smtplib.SMTPResponseException(554, b"5.7.1 Rejected"), False),
        (smtplib.SMTPAuthenticationError(535, b"5.7.8 Authentication failed"), False),
        (smtplib.SMTPSenderRefused(553, b"5.1.8 Bad sender", "noreply@example.org"), False),
        (smtplib.SMTPRecipientsRefused({"a@example.org": (550, b"5.1.1 Unknown")}), False),
        (
            smtplib.SMTPRecipientsRefused(
                {"a@example.org": (450, b"4.2.1 Busy"), "b@example.org": (550, b"5.1.1 Gone")}
            ),
            False,
        ),
        (ValueError("bad header"), False),
    ],
)
def test_is_transient_classifies_smtp_errors(error, transient):
    assert is_transient(error) is transient


# --- the sweep --------------------------------------------------------------------------


def test_requeue_stale_picks_old_pending_rows_and_due_retries_only(member):
    now = timezone.now()
    old = now - timedelta(seconds=600)
    stale = pending_for(member)
    due_retry = pending_for(member, attempts=1, next_attempt_at=now - timedelta(seconds=60))
    fresh = pending_for(member)
    retry_later = pending_for(member, attempts=1, next_attempt_at=now + timedelta(seconds=60))
    others = [
        NotificationFactory(recipient=member, email_state=state)
        for state in ("sent", "failed", "digest")
    ]
    for notification in (stale, due_retry, retry_later, *others):
        set_created(notification, old)
    set_created(fresh, now - timedelta(seconds=10))

    ids = notifications_requeue_stale(now=now)

    assert sorted(ids) == sorted([stale.pk, due_retry.pk])
    assert len(mail.outbox) == 2
    states = dict(Notification.objects.values_list("pk", "email_state"))
    assert states[stale.pk] == states[due_retry.pk] == "sent"
    assert states[fresh.pk] == states[retry_later.pk] == "pending"
    assert [states[n.pk] for n in others] == ["sent", "failed", "digest"]


def test_requeue_stale_leaves_a_pending_row_younger_than_the_stale_age(member):
    notification = pending_for(member)

    assert notifications_requeue_stale(now=notification.created + timedelta(seconds=60)) == []
    assert notifications_requeue_stale(now=notification.created + timedelta(seconds=121)) == [
        notification.pk
    ]


def test_broker_down_at_commit_keeps_the_change_and_a_later_sweep_delivers(
    monkeypatch, django_capture_on_commit_callbacks, secretariat
):
    join_request = JoinRequestFactory(name="Porto Energy")

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to redis:6379. Connection refused.")

    monkeypatch.setattr("notifications.tasks.deliver_notifications.delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        join_request_reject(join_request=join_request, actor=secretariat, reason="Too small.")

    assert len(callbacks) == 1
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.REJECTED
    notification = Notification.objects.get(recipient=join_request.requester)
    assert notification.email_state == "pending"
    assert notification.attempts == 0
    assert mail.outbox == []

    monkeypatch.undo()  # the broker is back
    later = timezone.now() + timedelta(seconds=121)
    assert notifications_requeue_stale(now=later) == [notification.pk]

    assert [m.to for m in mail.outbox] == [[join_request.requester.email]]
    notification.refresh_from_db()
    assert notification.email_state == "sent"


# --- retrying failed e-mails ------------------------------------------------------------


def test_retry_failed_puts_failed_rows_back_to_pending_and_records_who(
    django_capture_on_commit_callbacks, secretariat, member
):
    failed = NotificationFactory(
        recipient=member,
        email_state="failed",
        attempts=6,
        last_error="SMTPResponseException: (451, b'Mailbox busy')",
    )
    sent = NotificationFactory(recipient=member, email_state="sent", attempts=1)

    with django_capture_on_commit_callbacks() as callbacks:
        retried = notifications_retry_failed(ids=[failed.pk, sent.pk], actor=secretariat)

    assert retried == [failed.pk]
    failed.refresh_from_db()
    assert failed.email_state == "pending"
    assert failed.attempts == 0
    assert failed.next_attempt_at is None
    sent.refresh_from_db()
    assert (sent.email_state, sent.attempts) == ("sent", 1)
    event = AuditEvent.objects.get(verb="notification.retry")
    assert event.actor == secretariat
    assert event.object_id == str(failed.pk)
    assert (event.from_state, event.to_state) == ("failed", "pending")
    assert "Mailbox busy" in event.comment
    assert mail.outbox == []

    for callback in callbacks:
        callback()

    assert [m.to for m in mail.outbox] == [[member.email]]
    failed.refresh_from_db()
    assert failed.email_state == "sent"


def test_retry_failed_with_nothing_failed_records_nothing(
    django_capture_on_commit_callbacks, secretariat, member
):
    sent = NotificationFactory(recipient=member, email_state="sent")

    with django_capture_on_commit_callbacks(execute=True):
        assert notifications_retry_failed(ids=[sent.pk], actor=secretariat) == []

    assert not AuditEvent.objects.filter(verb="notification.retry").exists()
    assert mail.outbox == []


# --- preferences ------------------------------------------------------------------------


def preferences_of(user):
    return dict(Preference.objects.filter(user=user).values_list("kind", "channel"))


def test_preferences_save_stores_only_channels_that_differ_from_the_default(member):
    preferences_save(
        user=member,
        channels={KIND: Channel.DIGEST, JOIN_REQUEST_APPROVED.name: Channel.IMMEDIATE},
    )

    assert preferences_of(member) == {KIND: "digest"}
    event = AuditEvent.objects.get(verb="notifications.preferences")
    assert event.actor == member
    assert event.object_id == str(member.pk)
    assert event.changes == {KIND: ["default", "digest"]}


def test_preferences_save_changes_an_existing_choice(member):
    PreferenceFactory(user=member, kind=KIND, channel=Channel.DIGEST)

    preferences_save(user=member, channels={KIND: Channel.IN_APP})

    assert preferences_of(member) == {KIND: "in_app"}
    assert AuditEvent.objects.get(verb="notifications.preferences").changes == {
        KIND: ["digest", "in_app"]
    }


def test_preferences_save_back_to_the_default_deletes_the_row(member):
    PreferenceFactory(user=member, kind=KIND, channel=Channel.IN_APP)

    preferences_save(user=member, channels={KIND: Channel.IMMEDIATE})

    assert preferences_of(member) == {}
    assert AuditEvent.objects.get(verb="notifications.preferences").changes == {
        KIND: ["in_app", "default"]
    }


def test_preferences_save_without_a_change_records_nothing(member):
    PreferenceFactory(user=member, kind=KIND, channel=Channel.IN_APP)

    preferences_save(user=member, channels={KIND: Channel.IN_APP})

    assert preferences_of(member) == {KIND: "in_app"}
    assert not AuditEvent.objects.filter(verb="notifications.preferences").exists()


def test_preferences_save_leaves_other_peoples_choices_alone(member, manager):
    PreferenceFactory(user=manager, kind=KIND, channel=Channel.IN_APP)

    preferences_save(user=member, channels={KIND: Channel.IMMEDIATE})

    assert preferences_of(manager) == {KIND: "in_app"}


def test_preferences_save_rejects_an_unknown_channel_and_stores_nothing(member):
    with pytest.raises(ValueError, match="carrier_pigeon"):
        preferences_save(
            user=member,
            channels={JOIN_REQUEST_APPROVED.name: Channel.DIGEST, KIND: "carrier_pigeon"},
        )

    assert preferences_of(member) == {}
    assert not AuditEvent.objects.filter(verb="notifications.preferences").exists()


def test_preferences_save_rejects_an_unknown_kind(member):
    with pytest.raises(LookupError):
        preferences_save(user=member, channels={"clusters.no_such_kind": Channel.DIGEST})

    assert preferences_of(member) == {}


# --- the daily digest -------------------------------------------------------------------


def digest_for(user, subject):
    return NotificationFactory(
        recipient=user, email_state="digest", subject=subject, link="/clusters/mobility-valley/"
    )


def test_digest_send_mails_one_digest_listing_every_waiting_item(member, manager):
    first = digest_for(member, "New join request: Porto Energy")
    second = digest_for(member, "New join request: Lisbon Mobility")
    NotificationFactory(recipient=member, email_state="sent", subject="Already e-mailed")
    NotificationFactory(recipient=member, email_state="not_emailed", subject="Inbox only")
    someone_elses = digest_for(manager, "Someone else's news")

    assert digest_send(user_id=member.pk) == 2

    [message] = mail.outbox
    assert message.to == [member.email]
    assert message.subject == "[Smart Clusters] Your daily digest: 2 updates"
    assert message.extra_headers["List-Unsubscribe"] == f"<{PREFERENCES_URL}>"
    html = html_of(message)
    for text in (message.body, html):
        assert "New join request: Porto Energy" in text
        assert "New join request: Lisbon Mobility" in text
        assert f"{SITE_URL}/clusters/mobility-valley/" in text
        assert PREFERENCES_URL in text
        assert "Already e-mailed" not in text
        assert "Inbox only" not in text
        assert "Someone else" not in text
    for notification in (first, second):
        notification.refresh_from_db()
        assert notification.email_state == "sent"
        assert notification.sent_at is not None
    someone_elses.refresh_from_db()
    assert someone_elses.email_state == "digest"


def test_digest_send_a_second_time_sends_nothing(member):
    digest_for(member, "New join request: Porto Energy")

    digest_send(user_id=member.pk)

    assert digest_send(user_id=member.pk) == 0
    assert len(mail.outbox) == 1


def test_digest_send_with_one_item_says_one_update(member):
    digest_for(member, "New join request: Porto Energy")

    digest_send(user_id=member.pk)

    assert mail.outbox[0].subject == "[Smart Clusters] Your daily digest: 1 update"


def test_send_daily_digests_sends_one_digest_to_each_person_with_digest_items(
    member, manager, other_manager, frozen_at, settings
):
    frozen_at(settings.NOTIFICATIONS_DIGEST_HOUR)  # everyone's hour: no one chose another
    digest_for(member, "First for Mia")
    digest_for(member, "Second for Mia")
    digest_for(manager, "One for the manager")
    pending_for(other_manager)
    NotificationFactory(recipient=other_manager, email_state="not_emailed")

    send_daily_digests.delay()

    assert sorted(m.to[0] for m in mail.outbox) == sorted([member.email, manager.email])
    by_person = {m.to[0]: m for m in mail.outbox}
    assert "First for Mia" in by_person[member.email].body
    assert "Second for Mia" in by_person[member.email].body
    assert "One for the manager" not in by_person[member.email].body
    assert "One for the manager" in by_person[manager.email].body
    assert not Notification.objects.filter(email_state="digest").exists()


def test_send_daily_digests_with_nothing_waiting_sends_nothing(member):
    pending_for(member)

    send_daily_digests.delay()

    assert mail.outbox == []


def test_notification_links_in_emails_point_at_the_site(member):
    notification = pending_for(member, link=reverse("notifications:inbox"))

    notification_deliver(notification_id=notification.pk)

    assert f"{SITE_URL}/notifications/" in mail.outbox[0].body
