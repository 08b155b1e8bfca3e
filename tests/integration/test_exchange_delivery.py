"""A ClusterXchange round for real: services, Redis, a Celery worker and an SMTP server."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from core.models import AuditEvent
from exchange import services
from exchange.models import Application
from exchange.tasks import open_visit_reports
from tests.factories import ApplicationFactory, MembershipFactory, StaffFactory, UserFactory
from tests.integration.conftest import wait_until

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_each_step_of_an_application_emails_the_people_concerned_once(worker, smtp):
    secretariat = StaffFactory(email="sec@network.example.org")
    application = ApplicationFactory(applicant__email="visitor@sme.example.de")
    host = MembershipFactory(
        cluster=application.host, role="manager", user__email="host@cluster.example.fr"
    ).user
    applicant = application.applicant

    with transaction.atomic():
        services.application_submit(application=application, actor=applicant)
    wait_until(lambda: smtp.to(host.email), message="the host's e-mail")

    with transaction.atomic():
        services.application_review(
            application=application,
            actor=host,
            recommendation="accept",
            comment="Internal: strong profile, but check the budget.",
        )
    wait_until(lambda: smtp.to(applicant.email), message="the applicant's e-mail")
    wait_until(lambda: smtp.to(secretariat.email), message="the secretariat's e-mail")

    with transaction.atomic():
        services.application_decide(
            application=application,
            actor=secretariat,
            outcome="approved",
            message="Welcome aboard: book your travel.",
        )
    wait_until(lambda: len(smtp.to(applicant.email)) == 2, message="the decision e-mail")

    # A marker sent last proves the queue is drained: nothing else went out.
    marker = UserFactory(email="marker@example.org")
    with transaction.atomic():
        from notifications.services import notify

        notify(recipients=[marker], kind="exchange.withdrawn", context={"application": application})
    wait_until(lambda: smtp.to(marker.email), message="the marker")

    assert len(smtp.to(host.email)) == 1
    assert len(smtp.to(secretariat.email)) == 1
    assert len(smtp.to(applicant.email)) == 2
    assert len(smtp.messages) == 5
    to_applicant = "\n".join(m.content.decode() for m in smtp.to(applicant.email))
    assert application.reference in to_applicant
    assert "Welcome aboard" in to_applicant
    assert "strong profile" not in to_applicant  # the host's review stays with the network


def test_the_daily_task_opens_visit_reports_in_the_worker(worker):
    application = ApplicationFactory(status="approved")
    past = timezone.localdate() - timedelta(days=3)
    Application.objects.filter(pk=application.pk).update(
        start_date=past - timedelta(days=4), end_date=past
    )
    open_visit_reports.delay()
    wait_until(
        lambda: Application.objects.get(pk=application.pk).status == "report_due",
        message="the application to wait for its report",
    )
    event = AuditEvent.objects.get(verb="exchange.report_due", object_id=str(application.pk))
    assert (event.from_state, event.to_state, event.actor) == ("approved", "report_due", None)
