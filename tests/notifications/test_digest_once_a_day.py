"""The daily digest goes once a day to each person, once their hour has come: a late or
skipped hourly run is caught up by the next one, a second run the same day sends nothing
(even when new items arrived in between), and so do the nights the clocks change."""

from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone

from notifications.models import DigestSchedule, DigestSent, Notification
from notifications.services import digest_send
from notifications.tasks import send_daily_digests
from tests.factories import NotificationFactory

pytestmark = pytest.mark.django_db

BRUSSELS = ZoneInfo("Europe/Brussels")
SPRING_FORWARD = date(2026, 3, 29)  # 02:00 becomes 03:00: no 02:00 that night
AUTUMN_BACK = date(2026, 10, 25)  # 03:00 becomes 02:00: 02:00 comes twice


@pytest.fixture
def clock(monkeypatch):
    """Stop the clock at an aware moment: the services and the tasks all see it."""

    def stop(moment: datetime) -> datetime:
        monkeypatch.setattr(timezone, "now", lambda: moment)
        return moment

    return stop


def waiting_for(person, subject="An update"):
    return NotificationFactory(recipient=person, email_state="digest", subject=subject)


def digests_to(person):
    return [m for m in mail.outbox if m.to == [person.email]]


def test_a_late_run_still_sends_the_digest_of_an_hour_gone_by(manager, clock):
    waiting_for(manager)
    # The 07:00 beat task reaches a worker at 08:00:05; the default hour is 7.
    clock(timezone.make_aware(datetime.combine(timezone.localdate(), time(8, 0, 5))))

    assert send_daily_digests() == 1
    assert len(digests_to(manager)) == 1
    assert DigestSent.objects.get(user=manager).sent_on == timezone.localdate()


def test_a_person_with_a_chosen_hour_is_caught_up_too(member, frozen_at):
    DigestSchedule.objects.create(user=member, hour=9)
    waiting_for(member)
    frozen_at(11)  # the 09:00 and 10:00 runs did not happen

    assert send_daily_digests() == 1
    assert len(digests_to(member)) == 1


def test_two_runs_the_same_day_send_one_digest_even_with_new_items_between(
    manager, clock, frozen_at
):
    waiting_for(manager, "Before seven")
    frozen_at(7)
    send_daily_digests()
    later = waiting_for(manager, "After seven")
    frozen_at(7, 30)  # the 07:00 task queued twice, say
    send_daily_digests()
    frozen_at(8)
    send_daily_digests()

    assert len(digests_to(manager)) == 1
    later.refresh_from_db()
    assert later.email_state == "digest"  # it waits for tomorrow's

    clock(timezone.make_aware(datetime.combine(timezone.localdate(), time(7))) + timedelta(days=1))
    assert send_daily_digests() == 1
    assert "After seven" in digests_to(manager)[-1].body


def test_sending_a_persons_digest_twice_the_same_day_sends_it_once(manager):
    today = timezone.localdate()
    waiting_for(manager)
    assert digest_send(user_id=manager.pk, day=today) == 1
    waiting_for(manager, "Another one")

    assert digest_send(user_id=manager.pk, day=today) == 0
    assert digest_send(user_id=manager.pk, day=today - timedelta(days=1)) == 0  # a stale task
    assert len(mail.outbox) == 1
    assert digest_send(user_id=manager.pk, day=today + timedelta(days=1)) == 1


def test_a_failed_digest_leaves_the_day_free_for_the_next_run(manager, monkeypatch):
    waiting_for(manager)

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("mail server away")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    with pytest.raises(ConnectionRefusedError):
        digest_send(user_id=manager.pk)
    assert not DigestSent.objects.filter(user=manager).exists()
    monkeypatch.undo()

    assert digest_send(user_id=manager.pk) == 1


def hourly_runs(day: date) -> list[datetime]:
    """The beat's runs on the hour from local midnight to the next (UTC hours: 23 on the
    spring day, 25 on the autumn one)."""
    start = datetime.combine(day, time(0), tzinfo=BRUSSELS).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=BRUSSELS).astimezone(UTC)
    return [start + timedelta(hours=h) for h in range(int((end - start) / timedelta(hours=1)))]


@pytest.mark.parametrize(
    ("day", "runs"), [(SPRING_FORWARD, 23), (AUTUMN_BACK, 25)], ids=["spring", "autumn"]
)
def test_on_the_nights_the_clocks_change_each_person_gets_one_digest(
    settings, clock, member, manager, day, runs
):
    settings.TIME_ZONE = "Europe/Brussels"
    DigestSchedule.objects.create(user=member, hour=2)  # manager: the default, 07:00
    moments = hourly_runs(day)
    assert len(moments) == runs
    sent_at = {}
    for moment in moments:
        clock(moment)
        for person in (member, manager):  # something new every hour
            waiting_for(person, f"At {moment:%H:%M} UTC")
        before = len(mail.outbox)
        send_daily_digests()
        for m in mail.outbox[before:]:
            sent_at[m.to[0]] = moment.astimezone(BRUSSELS).strftime("%H:%M")

    assert Counter(m.to[0] for m in mail.outbox) == {member.email: 1, manager.email: 1}
    assert sent_at[member.email] == ("03:00" if day == SPRING_FORWARD else "02:00")
    assert sent_at[manager.email] == "07:00"
    assert Notification.objects.filter(recipient=member, email_state="sent").exists()
