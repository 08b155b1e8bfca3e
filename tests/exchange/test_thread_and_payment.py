"""Applicant and host reach each other: a message thread on the application (its people
only, recorded, notified, rate-limited), and both contact persons once the host accepts.
After the visit: when the report opens and when it is due, and the payment the
secretariat marks (recorded, told to the applicant), nobody else."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import escape

from accounts.models import User
from clusters import services as clusters_services
from clusters.models import ClusterMembership
from core.models import AuditEvent
from exchange import notifications as kinds
from exchange import permissions as perms
from exchange import services
from exchange.models import REPORT_DUE_DAYS, Application, ApplicationMessage, Decision
from exchange.selectors.contacts import host_person
from tests.factories import (
    ApplicantFactory,
    ApplicationFactory,
    MembershipFactory,
    OfferFactory,
    StaffFactory,
    UserFactory,
)
from tests.matrix import snapshot, snapshot_diff

from .steps import host_member, review, sent, submitted

pytestmark = pytest.mark.django_db

S = Application.Status


def _url(name, application):
    return reverse(f"exchange:{name}", kwargs={"pk": application.pk})


@pytest.fixture
def people():
    """A submitted application and everyone around it."""
    contact = UserFactory(email="contact@host.example.org", name="Chloé Contact")
    offer = OfferFactory()
    MembershipFactory(cluster=offer.host, user=contact, role="staff")
    offer.contact = contact
    offer.save()
    application = submitted(offer=offer)
    return {
        "application": application,
        "applicant": application.applicant,
        "manager": host_member(application, email="manager@host.example.org"),
        "contact": contact,
        "host_staff": host_member(application, role="staff", email="staff@host.example.org"),
        "secretariat": StaffFactory(email="sec@network.example.org"),
        "stranger": ApplicantFactory(email="stranger@example.org"),
    }


# --- the thread -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("applicant", 302),
        ("manager", 302),
        ("contact", 302),
        ("secretariat", 302),
        ("host_staff", 403),  # sees the application, not the thread
        ("stranger", 404),  # does not know the application exists
    ],
)
def test_only_the_threads_people_write_in_it(client, people, who, status):
    application = people["application"]
    client.force_login(people[who])
    before = ApplicationMessage.objects.count()

    response = client.post(_url("application_message", application), {"body": "Hello there."})

    assert response.status_code == status
    assert ApplicationMessage.objects.count() == before + (1 if status == 302 else 0)
    page = client.get(_url("application", application)).content.decode()
    assert ('id="messages"' in page) is (status == 302)


def test_a_visitor_is_sent_to_the_login(client, people):
    response = client.post(_url("application_message", people["application"]), {"body": "Hi"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not ApplicationMessage.objects.exists()


def test_a_message_is_shown_recorded_in_the_timeline_and_told_to_the_others(client, people):
    application = people["application"]
    client.force_login(people["applicant"])

    response = client.post(
        _url("application_message", application), {"body": "Which hotel is near the lab?"}
    )

    assert response.status_code == 302
    assert response["Location"].endswith("#messages")
    event = AuditEvent.objects.get(verb="exchange.message")
    assert event.actor == people["applicant"]
    assert event.object_id == str(application.pk)
    # The host's managers, the offer's contact and the secretariat; not the author, not
    # the host's other staff.
    assert sent(kinds.MESSAGE) == sorted(
        ["contact@host.example.org", "manager@host.example.org", "sec@network.example.org"]
    )

    client.force_login(people["manager"])
    page = client.get(_url("application", application)).content.decode()
    assert "Which hotel is near the lab?" in page
    assert "Wrote in the message thread" in page  # the timeline


def test_the_thread_and_its_timeline_rows_are_hidden_from_the_rest_of_the_host_team(client, people):
    application = people["application"]
    services.application_message_post(
        application=application, actor=people["manager"], body="Our private note to you."
    )
    client.force_login(people["host_staff"])
    page = client.get(_url("application", application)).content.decode()
    assert "Our private note to you." not in page
    assert "Wrote in the message thread" not in page


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", services.MESSAGE_EMPTY),
        ("   \n  ", services.MESSAGE_EMPTY),
        ("x" * 4001, "at most 4000 characters"),
    ],
)
def test_an_empty_or_too_long_message_is_refused_clearly_and_changes_nothing(
    client, people, body, message
):
    application = people["application"]
    client.force_login(people["applicant"])
    before = snapshot()

    response = client.post(_url("application_message", application), {"body": body})

    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_body_error"' in html
    assert escape(str(message)) in html
    assert not snapshot_diff(before, snapshot())


def test_the_service_refuses_bad_input_and_strangers_too(people):
    application = people["application"]
    with pytest.raises(ValidationError) as caught:
        services.application_message_post(
            application=application, actor=people["applicant"], body=" "
        )
    assert caught.value.message_dict == {"body": [str(services.MESSAGE_EMPTY)]}
    with pytest.raises(ValidationError):
        services.application_message_post(
            application=application, actor=people["applicant"], body="x" * 4001
        )
    with pytest.raises(PermissionDenied):
        services.application_message_post(
            application=application, actor=people["host_staff"], body="Hello"
        )
    assert not ApplicationMessage.objects.exists()
    assert not AuditEvent.objects.filter(verb="exchange.message").exists()


def test_a_draft_has_no_thread_yet(client):
    draft = ApplicationFactory()
    client.force_login(draft.applicant)
    response = client.post(_url("application_message", draft), {"body": "Anyone?"})
    assert response.status_code == 403
    assert not ApplicationMessage.objects.exists()


def test_messages_are_rate_limited_per_person(client, people, settings):
    settings.RATELIMIT_RATES = {**settings.RATELIMIT_RATES, "message": "2/h"}
    application = people["application"]
    client.force_login(people["applicant"])
    url = _url("application_message", application)

    answers = [client.post(url, {"body": f"Message {n}"}).status_code for n in range(3)]

    assert answers == [302, 302, 429]
    assert ApplicationMessage.objects.count() == 2


# --- the contact persons ----------------------------------------------------------------


def test_the_contacts_are_shown_once_the_host_accepts(client, people):
    application = people["application"]
    applicant = people["applicant"]
    client.force_login(applicant)
    page = client.get(_url("application", application)).content.decode()
    assert "contact@host.example.org" not in page  # not before the host's answer

    review(application, people["manager"])

    page = client.get(_url("application", application)).content.decode()
    assert "Chloé Contact" in page
    assert 'href="mailto:contact@host.example.org"' in page
    client.force_login(people["manager"])
    page = client.get(_url("application", application)).content.decode()
    assert f'href="mailto:{applicant.email}"' in page


def test_without_an_offer_contact_the_host_person_is_who_accepted(client, people):
    application = people["application"]
    application.offer.contact = None
    application.offer.save()
    review(application, people["manager"])
    client.force_login(people["applicant"])
    page = client.get(_url("application", application)).content.decode()
    assert 'href="mailto:manager@host.example.org"' in page


def _remove_from_team(person, application):
    membership = ClusterMembership.objects.get(cluster_id=application.host_id, user=person)
    manager = ClusterMembership.objects.filter(
        cluster_id=application.host_id, role="manager"
    ).first()
    clusters_services.membership_remove(membership=membership, actor=manager.user)


def _thread_is_exactly_who_can_message(application):
    readers = {u.pk for u in User.objects.all() if perms.can_message(u, application)}
    assert {p.pk for p in services.thread_people(application)} == readers


def test_an_offer_contact_removed_from_the_team_is_not_told_nor_shown(client, people):
    application = people["application"]
    _remove_from_team(people["contact"], application)  # Offer.contact still points at them
    review(application, people["manager"])

    services.application_message_post(
        application=application, actor=people["applicant"], body="Which hotel?"
    )

    assert "contact@host.example.org" not in sent(kinds.MESSAGE)
    assert sent(kinds.MESSAGE) == ["manager@host.example.org", "sec@network.example.org"]
    _thread_is_exactly_who_can_message(application)
    client.force_login(people["applicant"])
    page = client.get(_url("application", application)).content.decode()
    assert "contact@host.example.org" not in page
    assert 'href="mailto:manager@host.example.org"' in page  # who accepted it, in the thread


def test_the_host_person_shown_can_read_the_thread_and_is_told_of_it(client, people):
    """Sent straight to the host (no offer), accepted by a staff member outside the thread:
    the applicant is shown one of the host's people who read it, not the staff member."""
    application = people["application"]
    Application.objects.filter(pk=application.pk).update(offer=None)
    application.refresh_from_db()
    review(application, people["host_staff"])

    shown = host_person(application)

    assert shown == people["manager"]
    assert perms.can_message(shown, application)
    assert shown in services.thread_people(application)
    _thread_is_exactly_who_can_message(application)
    client.force_login(people["applicant"])
    page = client.get(_url("application", application)).content.decode()
    assert 'href="mailto:manager@host.example.org"' in page
    assert "staff@host.example.org" not in page


def test_plan_your_visit_comes_with_the_host_contact(client, people):
    application = people["application"]
    review(application, people["manager"])
    services.application_decide(
        application=application, actor=people["secretariat"], outcome="approved"
    )
    client.force_login(people["applicant"])

    for url in (_url("application", application), reverse("exchange:applications")):
        page = client.get(url).content.decode()
        assert "Plan your visit" in page
        assert 'href="mailto:contact@host.example.org"' in page, url


# --- the visit report's dates -----------------------------------------------------------


def _approved(**kwargs):
    return ApplicationFactory(status=S.APPROVED, submitted_at=timezone.now(), **kwargs)


def test_the_report_before_the_visit_ends_says_when_it_opens_and_is_due(client):
    application = _approved()
    client.force_login(application.applicant)
    opens = formats.date_format(application.end_date + timedelta(days=1), "j F Y")
    due = formats.date_format(application.end_date + timedelta(days=REPORT_DUE_DAYS), "j F Y")

    response = client.get(_url("application_report", application))

    assert response.status_code == 200
    html = response.content.decode()
    assert escape(services.REPORT_NOT_OPEN % {"opens": opens, "due": due}) in html
    assert 'name="what_happened"' not in html

    before = snapshot()
    response = client.post(
        _url("application_report", application),
        {
            "what_happened": "x",
            "results": "x",
            "contacts": "x",
            "follow_up": "x",
            "satisfaction": 4,
        },
    )
    assert response.status_code == 400
    assert not snapshot_diff(before, snapshot())


def test_the_application_page_shows_the_report_due_date(client):
    application = _approved()
    client.force_login(application.applicant)
    due = application.end_date + timedelta(days=REPORT_DUE_DAYS)
    assert application.report_due_on == due

    page = client.get(_url("application", application)).content.decode()
    assert f"due by {formats.date_format(due, 'j F Y')}" in page

    Application.objects.filter(pk=application.pk).update(status=S.REPORT_DUE)
    page = client.get(_url("application", application)).content.decode()
    assert f"Your visit report is due by {formats.date_format(due, 'j F Y')}" in page


def test_the_report_reminder_names_the_due_date():
    from notifications.models import Notification
    from notifications.reminders import run

    application = ApplicationFactory(status=S.REPORT_DUE)
    Application.objects.filter(pk=application.pk).update(
        start_date=timezone.localdate() - timedelta(days=8),
        end_date=timezone.localdate() - timedelta(days=4),
    )
    application.refresh_from_db()
    run(kinds.REPORT_DUE.name)
    body = Notification.objects.get(kind=kinds.REPORT_DUE.name).body
    assert formats.date_format(application.report_due_on, "j F Y") in body


# --- the payment ------------------------------------------------------------------------


def _completed():
    application = ApplicationFactory(status=S.COMPLETED, submitted_at=timezone.now())
    Decision.objects.create(application=application, outcome="approved", funding_granted="700.00")
    return application


def test_the_applicant_sees_the_payment_status_and_the_secretariat_marks_it_paid(client):
    application = _completed()
    secretariat = StaffFactory()
    client.force_login(application.applicant)
    page = client.get(_url("application", application)).content.decode()
    assert "Not paid yet" in page
    assert _url("application_paid", application) not in page

    client.force_login(secretariat)
    assert (
        _url("application_paid", application)
        in client.get(_url("application", application)).content.decode()
    )
    response = client.post(_url("application_paid", application))

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.paid_at is not None
    assert application.paid_by == secretariat
    event = AuditEvent.objects.get(verb="exchange.paid")
    assert event.actor == secretariat
    assert event.changes["paid_at"][0] == ""
    assert sent(kinds.PAID) == [application.applicant.email]
    client.force_login(application.applicant)
    page = client.get(_url("application", application)).content.decode()
    assert "Paid: 700.00 EUR" in page
    assert "Grant paid" in page  # the timeline


@pytest.mark.parametrize("who", ["applicant", "host_manager", "member"])
def test_nobody_but_the_secretariat_marks_it_paid(client, who):
    application = _completed()
    user = {
        "applicant": application.applicant,
        "host_manager": MembershipFactory(cluster=application.host).user,
        "member": ApplicantFactory(),
    }[who]
    client.force_login(user)
    before = snapshot()
    response = client.post(_url("application_paid", application))
    assert response.status_code in (403, 404)
    assert not snapshot_diff(before, snapshot())


def test_a_grant_is_marked_paid_once_and_only_after_the_report(client):
    secretariat = StaffFactory()
    application = _completed()
    services.application_mark_paid(application=application, actor=secretariat)
    due = ApplicationFactory(status=S.REPORT_DUE, submitted_at=timezone.now())
    client.force_login(secretariat)

    for target, refusal in (
        (application, "was already marked paid"),
        (due, "A grant is paid once the visit report is in"),
    ):
        before = snapshot()
        response = client.post(_url("application_paid", target))
        assert response.status_code == 400
        assert refusal in response.content.decode()
        assert not snapshot_diff(before, snapshot())


def test_the_secretariat_does_not_mark_its_own_grant_paid():
    application = _completed()
    application.applicant.is_staff = True
    application.applicant.save()
    with pytest.raises(PermissionDenied):
        services.application_mark_paid(application=application, actor=application.applicant)
    application.refresh_from_db()
    assert application.paid_at is None


def test_the_admin_action_marks_paid_through_the_service(client):
    secretariat = StaffFactory()
    application = _completed()
    waiting = ApplicationFactory(status=S.REPORT_DUE, submitted_at=timezone.now())
    client.force_login(secretariat)

    client.post(
        reverse("admin:exchange_application_changelist"),
        {"action": "mark_paid", "_selected_action": [application.pk, waiting.pk]},
    )

    application.refresh_from_db()
    waiting.refresh_from_db()
    assert application.paid_at is not None
    assert waiting.paid_at is None
    assert AuditEvent.objects.filter(verb="exchange.paid").count() == 1
