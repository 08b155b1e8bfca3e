"""The secretariat's decision queue in admin: the actions go through the services."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from exchange.models import Application, Decision
from tests.factories import ApplicationFactory, StaffFactory

from .steps import host_member, review, submit

pytestmark = pytest.mark.django_db

S = Application.Status
CHANGELIST = "admin:exchange_application_changelist"


def accepted_application(**kwargs):
    application = ApplicationFactory(**kwargs)
    submit(application)
    review(application, host_member(application))
    application.refresh_from_db()
    return application


def test_the_admin_lists_the_applications_waiting_for_a_decision(client):
    waiting = accepted_application()
    draft = ApplicationFactory()
    client.force_login(StaffFactory())
    response = client.get(reverse(CHANGELIST), {"status__exact": S.HOST_ACCEPTED})
    assert response.status_code == 200
    html = response.content.decode()
    assert waiting.reference in html
    assert draft.reference not in html


def test_the_admin_approve_action_approves_and_reports_the_refused(client):
    waiting = accepted_application()
    draft = ApplicationFactory()
    client.force_login(StaffFactory())
    response = client.post(
        reverse(CHANGELIST),
        {"action": "approve", "_selected_action": [waiting.pk, draft.pk]},
        follow=True,
    )
    waiting.refresh_from_db()
    draft.refresh_from_db()
    assert (waiting.status, draft.status) == (S.APPROVED, S.DRAFT)
    decision = Decision.objects.get(application=waiting)
    assert decision.funding_granted == waiting.funding_requested
    text = " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert "1 application approved." in text
    assert f"{draft.reference}: " in text


@pytest.mark.parametrize(
    ("action", "status"), [("reject", S.REJECTED), ("ask_more_info", S.MORE_INFO)]
)
def test_the_admin_asks_for_the_message_before_rejecting_or_asking(client, action, status):
    waiting = accepted_application()
    client.force_login(StaffFactory())
    changelist = reverse(CHANGELIST)

    form = client.post(changelist, {"action": action, "_selected_action": [waiting.pk]})
    assert form.status_code == 200
    assert "Message to the applicant" in form.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == S.HOST_ACCEPTED  # nothing happens before the message is given

    client.post(changelist, {"action": action, "_selected_action": [waiting.pk], "comment": ""})
    waiting.refresh_from_db()
    assert waiting.status == S.HOST_ACCEPTED

    client.post(
        changelist,
        {"action": action, "_selected_action": [waiting.pk], "comment": "Say who you meet."},
    )
    waiting.refresh_from_db()
    assert waiting.status == status
    assert Decision.objects.get(application=waiting).message == "Say who you meet."


def test_the_admin_cannot_add_or_delete_applications(client):
    application = ApplicationFactory()
    client.force_login(StaffFactory())
    assert client.get(reverse("admin:exchange_application_add")).status_code == 403
    delete = reverse("admin:exchange_application_delete", args=[application.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert Application.objects.filter(pk=application.pk).exists()


def test_an_offer_added_in_admin_records_who_added_it(client):
    from clusters.models import Ecosystem
    from exchange.models import Offer
    from tests.factories import CallFactory, ClusterFactory

    call = CallFactory()
    host = ClusterFactory(country="FR")
    staff = StaffFactory()
    client.force_login(staff)
    response = client.post(
        reverse("admin:exchange_offer_add"),
        {
            "call": call.pk,
            "host": host.pk,
            "topic": "Harbour visit",
            "description": "See the port.",
            "ecosystems": [Ecosystem.objects.get(code="energy").pk],
            "languages": "English",
            "available_from": call.visits_from.isoformat(),
            "available_until": call.visits_until.isoformat(),
            "capacity": 2,
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Offer.objects.get(topic="Harbour visit").created_by == staff


def test_the_admin_change_page_changes_no_workflow_field(client):
    """Neither the sending cluster (four eyes) nor the dates and distance (what the host
    accepted, what the funding was computed from) move in admin."""
    from datetime import timedelta

    from tests.admin_forms import change_form_data
    from tests.factories import ClusterFactory, MembershipFactory

    sending = ClusterFactory(country="DE", city="Munich")
    staff = StaffFactory(email="colleague@example.org")
    MembershipFactory(cluster=sending, user=staff, role="manager")
    application = accepted_application(sending_cluster=sending)
    before = Application.objects.filter(pk=application.pk).values().get()
    client.force_login(staff)
    url = reverse("admin:exchange_application_change", args=[application.pk])

    page = client.get(url)
    assert page.status_code == 200  # the secretariat still reads it here
    assert application.reference in page.content.decode()
    response = client.post(
        url,
        change_form_data(
            page,
            sending_cluster="",
            start_date=application.start_date + timedelta(days=7),
            end_date=application.end_date + timedelta(days=7),
            distance_km=5000,
            applicant_kind="startup",
            motivation="Rewritten in admin.",
        ),
    )

    assert Application.objects.filter(pk=application.pk).values().get() == before
    assert response.status_code == 403
