"""After "more information requested": a resubmission that moves the dates, or changes the
offer or the sending organisation, goes back to the host (its acceptance covered other
dates); any other edit goes to the secretariat. Funding and eligibility follow either way."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from core.models import AuditEvent
from exchange import notifications as kinds
from exchange import services
from exchange.models import Application, Review
from exchange.selectors import review_queue, timeline
from tests.factories import ApplicationFactory, CallFactory, OfferFactory, StaffFactory

from .steps import decide, host_member, review, sent, submit

pytestmark = pytest.mark.django_db

S = Application.Status
APPLICANT = "visitor@sme.example.de"
HOST = "host@lyon.example.fr"
SECRETARIAT = ["coordinator@example.org", "secretariat@example.org"]
TO_HOST = "Resubmitted with new dates — back to the host for review"
TO_SECRETARIAT = "Resubmitted — back to the secretariat"


def edit(application, **changes):
    data = {f: getattr(application, f) for f in services.APPLICATION_FIELDS}
    data.update(changes)
    return services.application_update(
        application=application, actor=application.applicant, data=data
    )


@pytest.fixture
def people(secretariat):
    StaffFactory(email="coordinator@example.org")
    return secretariat


@pytest.fixture
def sent_back(people):
    """A three-day visit (302.50 EUR) the host accepted; the secretariat asks for more."""
    call = CallFactory(daily_allowance=Decimal("110.00"), visitor_cap=Decimal("1100.00"))
    application = ApplicationFactory(offer=OfferFactory(call=call), applicant__email=APPLICANT)
    edit(application, end_date=application.start_date + timedelta(days=2))  # Mon to Wed
    host = host_member(application, email=HOST)
    review(submit(application), host)
    decide(application, people, "more_info", message="Say who you will meet.")
    application.refresh_from_db()
    assert application.funding_requested == Decimal("302.50")
    return application


def last_event(application):
    return AuditEvent.objects.filter(verb__startswith="exchange.resubmit").latest("id")


def test_new_dates_go_back_to_the_host_with_the_new_funding(sent_back, people):
    two_weeks = sent_back.start_date + timedelta(days=11)  # ten working days
    as_accepted = sent_back.end_date
    edit(sent_back, end_date=two_weeks)

    resubmitted = submit(sent_back)

    assert resubmitted.status == S.SUBMITTED  # not "host accepted": the host saw three days
    assert resubmitted.funding_requested == Decimal("1100.00")
    event = last_event(sent_back)
    assert (event.verb, event.from_state, event.to_state) == (
        "exchange.resubmit_to_host",
        S.MORE_INFO,
        S.SUBMITTED,
    )
    assert event.changes == {"end_date": [str(as_accepted), str(two_weeks)]}
    assert str(timeline(application=sent_back, user=people)[-1]["label"]) == TO_HOST
    assert not Review.objects.filter(application=sent_back).exists()  # to be given again
    host = sent_back.host.memberships.get(user__email=HOST).user
    assert sent_back in review_queue(user=host).filter(status=S.SUBMITTED)


def test_new_dates_tell_the_host_again_and_not_the_secretariat(sent_back):
    assert sent(kinds.NEW_APPLICATION) == [HOST]  # the first submission

    edit(sent_back, end_date=sent_back.start_date + timedelta(days=11))
    submit(sent_back)

    assert sent(kinds.NEW_APPLICATION) == [HOST, HOST]  # once more, for this resubmission
    assert sent(kinds.RESUBMITTED) == []
    assert sent(kinds.HOST_ACCEPTED) == SECRETARIAT  # from the first acceptance only
    again = sent_back.host.memberships.get(user__email=HOST).user.notifications.latest("id")
    assert "Review it again" in again.body


def test_the_host_reviews_the_new_dates_and_the_secretariat_then_decides(sent_back, people):
    edit(sent_back, end_date=sent_back.start_date + timedelta(days=11))
    submit(sent_back)
    host = sent_back.host.memberships.get(user__email=HOST).user

    assert review(sent_back, host).status == S.HOST_ACCEPTED
    assert decide(sent_back, people, "approved").status == S.APPROVED


def test_a_motivation_edit_goes_to_the_secretariat(sent_back, people):
    edit(sent_back, motivation="We will meet the city's procurement office.")

    resubmitted = submit(sent_back)

    assert resubmitted.status == S.HOST_ACCEPTED
    assert resubmitted.funding_requested == Decimal("302.50")
    event = last_event(sent_back)
    assert (event.verb, event.to_state, event.changes) == ("exchange.resubmit", S.HOST_ACCEPTED, {})
    assert str(timeline(application=sent_back, user=people)[-1]["label"]) == TO_SECRETARIAT
    assert sent(kinds.RESUBMITTED) == SECRETARIAT
    assert sent(kinds.NEW_APPLICATION) == [HOST]  # not told again
    assert Review.objects.filter(application=sent_back).count() == 1


def test_a_new_sending_cluster_goes_back_to_the_host(sent_back):
    from tests.factories import ClusterFactory, MembershipFactory

    sending = ClusterFactory(country="DE", city="Munich")
    MembershipFactory(cluster=sending, user=sent_back.applicant, role="staff")
    edit(sent_back, sending_cluster=sending)

    resubmitted = submit(sent_back)

    assert resubmitted.status == S.SUBMITTED
    assert list(last_event(sent_back).changes) == ["sending_cluster"]
    assert last_event(sent_back).changes["sending_cluster"][1] == str(sending)
    assert "new offer or organisation" in str(
        timeline(application=sent_back, user=sent_back.applicant)[-1]["label"]
    )


def test_the_applicant_is_told_where_the_resubmission_went(client, sent_back):
    edit(sent_back, end_date=sent_back.start_date + timedelta(days=11))
    client.force_login(sent_back.applicant)

    response = client.post(reverse("exchange:application_submit", args=[sent_back.pk]), follow=True)

    html = response.content.decode()
    assert "so the host reviews it again" in html
    assert TO_HOST in html
