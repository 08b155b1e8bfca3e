"""Notification preferences: only the kinds that can reach the person, grouped by area;
"set all"; the hour of the daily digest, honoured by the hourly digest task."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from core.models import AuditEvent
from notifications.forms import CHOOSE_A_CHANNEL
from notifications.models import DigestSchedule, Notification, Preference
from notifications.registry import all_kinds, kinds_for
from notifications.tasks import send_daily_digests
from tests.factories import NotificationFactory, PreferenceFactory

pytestmark = pytest.mark.django_db

PREFERENCES = reverse("notifications:preferences")
SET_ALL = reverse("notifications:preferences_set_all")
SECRETARIAT_ONLY = {
    "clusters.joinrequest_submitted",
    "clusters.joinrequest_waiting",
    "exchange.host_accepted",
    "exchange.resubmitted",
    "practices.submitted",
    "practices.waiting",
}
TEAM_ONLY = {
    "exchange.new_application",
    "exchange.withdrawn",
    "exchange.review_waiting",
    "practices.published",
    "practices.changes_requested",
    "practices.rejected",
}


def shown_kinds(response) -> set[str]:
    return set(re.findall(r'name="([a-z]+\.[a-z_]+)" value="immediate"', response.text))


def headings(response) -> list[str]:
    return re.findall(r'<h2 id="area-\d+">([^<]+)</h2>', response.text)


def test_a_member_sees_neither_the_secretariats_nor_a_teams_kinds(login, member):
    shown = shown_kinds(login(member).get(PREFERENCES))
    assert shown
    assert not shown & SECRETARIAT_ONLY
    assert not shown & TEAM_ONLY
    assert "exchange.decided" in shown  # anyone may apply for a visit
    assert "practices.interest" not in shown  # managers only


def test_a_manager_sees_the_team_kinds_but_not_the_secretariats(login, manager):
    shown = shown_kinds(login(manager).get(PREFERENCES))
    assert shown >= TEAM_ONLY
    assert "practices.interest" in shown
    assert "actionplan.overdue" in shown  # they answer for their cluster's actions
    assert not shown & SECRETARIAT_ONLY


def test_the_secretariat_sees_its_kinds(login, secretariat):
    shown = shown_kinds(login(secretariat).get(PREFERENCES))
    assert shown >= SECRETARIAT_ONLY
    assert shown == {kind.name for kind in kinds_for(secretariat)}


def test_kinds_are_grouped_by_area_under_headings(login, manager):
    response = login(manager).get(PREFERENCES)
    assert headings(response) == ["Clusters", "ClusterXchange", "Plan of Actions", "Practices"]
    html = response.text
    practices = html[html.index(">Practices</h2>") :]
    assert 'name="practices.interest"' in practices
    assert 'name="exchange.new_application"' not in practices


def test_every_kind_has_an_area():
    assert all(kind.area for kind in all_kinds())


def test_the_preferences_page_asks_each_audience_once(
    login, manager, django_assert_max_num_queries
):
    # Session, user, the unread count, preferences, digest hour, and one question per
    # audience (in a team, manages a cluster, answers for actions): not one per kind.
    client = login(manager)
    with django_assert_max_num_queries(9):
        client.get(PREFERENCES)


# --- set all ---------------------------------------------------------------------------


def test_set_all_sets_every_kind_the_person_can_receive_and_nothing_else(login, member):
    PreferenceFactory(user=member, kind="practices.submitted", channel="digest")  # stale row
    response = login(member).post(SET_ALL, {"set_all": "in_app"}, follow=True)
    assert response.redirect_chain == [(PREFERENCES, 302)]
    assert "Every kind of message is now set to “Only in my inbox”." in response.text
    stored = dict(Preference.objects.filter(user=member).values_list("kind", "channel"))
    expected = {kind.name: "in_app" for kind in kinds_for(member)}
    assert stored == expected | {"practices.submitted": "digest"}
    assert shown_kinds(response)  # and the page shows the new choices
    assert 'value="in_app" id="id_exchange.decided_2" checked' in response.text
    event = AuditEvent.objects.get(verb="notifications.preferences")
    assert event.changes["exchange.decided"] == ["default", "in_app"]


@pytest.mark.parametrize("bad", ["", "carrier_pigeon"])
def test_set_all_without_a_known_channel_is_refused_and_changes_nothing(login, member, bad):
    response = login(member).post(SET_ALL, {"set_all": bad})
    assert response.status_code == 400
    assert 'id="id_set_all_error"' in response.text
    assert str(CHOOSE_A_CHANNEL) in response.text
    assert not Preference.objects.exists()
    assert not AuditEvent.objects.exists()


def test_set_all_needs_a_post(login, member):
    assert login(member).get(SET_ALL).status_code == 405


# --- the digest hour -------------------------------------------------------------------


def form_data(user, **overrides):
    data = {kind.name: kind.default_channel for kind in kinds_for(user)}
    return data | {"digest_hour": "7"} | overrides


def test_choosing_the_digest_hour_stores_it_and_shows_it(login, member):
    client = login(member)
    assert client.post(PREFERENCES, form_data(member, digest_hour="18")).status_code == 302
    assert DigestSchedule.objects.get(user=member).hour == 18
    assert '<option value="18" selected>18:00</option>' in client.get(PREFERENCES).text
    event = AuditEvent.objects.get(verb="notifications.preferences")
    assert event.changes == {"digest_hour": [7, 18]}
    client.post(PREFERENCES, form_data(member, digest_hour="7"))  # back to the default
    assert not DigestSchedule.objects.exists()


@pytest.mark.parametrize("bad", ["25", "-1", "nine", ""])
def test_a_wrong_digest_hour_is_refused_next_to_the_field(login, member, bad):
    response = login(member).post(PREFERENCES, form_data(member, digest_hour=bad))
    assert response.status_code == 400
    assert 'id="id_digest_hour_error"' in response.text
    assert not DigestSchedule.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_missing_digest_hour_is_refused(login, member):
    data = form_data(member)
    del data["digest_hour"]
    response = login(member).post(PREFERENCES, data)
    assert response.status_code == 400
    assert 'id="id_digest_hour_error"' in response.text


def test_a_kind_left_out_of_the_form_keeps_its_channel(login, member):
    PreferenceFactory(user=member, kind="exchange.decided", channel="digest")
    data = form_data(member)
    del data["exchange.decided"]
    assert login(member).post(PREFERENCES, data).status_code == 302
    assert Preference.objects.get(user=member, kind="exchange.decided").channel == "digest"


@pytest.fixture
def three_digests(member, manager, other_manager):
    """Three people with a digest item waiting: at 09:00, at the default 07:00, at 18:00."""
    DigestSchedule.objects.create(user=member, hour=9)
    DigestSchedule.objects.create(user=other_manager, hour=18)
    for person in (member, manager, other_manager):
        NotificationFactory(recipient=person, email_state="digest", subject=f"For {person.email}")
    return {9: member, 7: manager, 18: other_manager}


@pytest.mark.parametrize(
    ("hour", "due"), [(6, set()), (7, {7}), (9, {7, 9}), (17, {7, 9}), (18, {7, 9, 18})]
)
def test_each_persons_digest_goes_once_their_hour_has_come(three_digests, frozen_at, hour, due):
    frozen_at(hour)
    assert send_daily_digests() == len(due)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(three_digests[h].email for h in due)
    waiting = Notification.objects.filter(email_state="digest")
    assert set(waiting.values_list("recipient", flat=True)) == {
        person.pk for h, person in three_digests.items() if h not in due
    }


def test_a_day_of_hourly_runs_sends_each_person_one_digest(three_digests, frozen_at):
    for hour in range(24):
        frozen_at(hour)
        send_daily_digests()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in three_digests.values())
