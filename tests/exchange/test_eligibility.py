"""Eligibility, checked on submit: one failing case per rule, each with the message that says
what to change, and a refused submission changes nothing and tells nobody."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from exchange.models import Application, Decision
from exchange.services import (
    CALL_NOT_OPEN,
    COUNTRY_NOT_ELIGIBLE,
    HOST_NOT_ELIGIBLE,
    KIND_NOT_ELIGIBLE,
    NO_CAPACITY,
    NO_FUNDED_PLACES,
    NO_ORGANISATION,
    OFFER_CLOSED,
    ONE_VISIT_PER_SERIES,
    OUTSIDE_OFFER,
    OUTSIDE_WINDOW,
    OVERLAP,
    SAME_COUNTRY,
    START_IN_PAST,
    TOO_LONG,
    TOO_SHORT,
    eligibility_problems,
)
from tests.factories import (
    ApplicantFactory,
    ApplicationFactory,
    CallFactory,
    ClusterFactory,
    OfferFactory,
    OrganisationFactory,
)

from .steps import decide, host_member, review, snapshot, submit, withdraw

pytestmark = pytest.mark.django_db

S = Application.Status
ELIGIBLE = "Austria, Belgium, Germany, Spain, France, Italy, Netherlands, Poland"


def days(n):
    return timedelta(days=n)


def assert_refused(application, field, message):
    """The rule is the only one broken, and submitting is refused without a trace."""
    assert eligibility_problems(application) == [(field, message)]
    before = snapshot(application)

    with pytest.raises(ValidationError) as exc:
        submit(application)

    assert exc.value.message_dict == {field or "__all__": [message]}
    assert snapshot(application) == before
    assert before["row"]["status"] == S.DRAFT
    assert before["row"]["submitted_at"] is None


# --- the baseline -----------------------------------------------------------------------


def test_the_factorys_draft_breaks_no_rule_and_is_submitted():
    application = ApplicationFactory()

    assert eligibility_problems(application) == []
    assert submit(application).status == S.SUBMITTED


def test_every_broken_rule_is_listed_at_once():
    application = ApplicationFactory(
        offer__is_active=False, applicant_kind="research", offer__call__eligible_kinds=["sme"]
    )

    assert [field for field, _message in eligibility_problems(application)] == [
        None,
        "applicant_kind",
    ]


# --- the call and the offer -------------------------------------------------------------


def test_a_closed_call_refuses_submissions():
    call = CallFactory(
        title="Spring round",
        opens_at=datetime(2025, 1, 6, 9, 0, tzinfo=UTC),
        closes_at=datetime(2025, 2, 3, 17, 0, tzinfo=UTC),
    )
    application = ApplicationFactory(offer__call=call)

    assert_refused(
        application,
        None,
        CALL_NOT_OPEN
        % {"call": "Spring round", "opens": "06 Jan 2025 10:00", "closes": "03 Feb 2025 18:00"},
    )


def test_an_upcoming_call_refuses_submissions():
    call = CallFactory(
        title="Autumn round",
        opens_at=datetime(2099, 1, 5, 8, 0, tzinfo=UTC),
        closes_at=datetime(2099, 2, 2, 16, 0, tzinfo=UTC),
    )
    application = ApplicationFactory(offer__call=call)

    assert_refused(
        application,
        None,
        CALL_NOT_OPEN
        % {"call": "Autumn round", "opens": "05 Jan 2099 09:00", "closes": "02 Feb 2099 17:00"},
    )


def test_a_closed_offer_refuses_submissions():
    application = ApplicationFactory(offer__is_active=False)

    assert_refused(application, None, str(OFFER_CLOSED))


def test_a_full_offer_refuses_submissions():
    offer = OfferFactory(capacity=1)
    ApplicationFactory(offer=offer, status=S.SUBMITTED)  # someone else holds the place
    application = ApplicationFactory(offer=offer)

    assert_refused(application, None, NO_CAPACITY % {"capacity": 1})


@pytest.mark.parametrize("status", [S.DRAFT, S.HOST_DECLINED, S.REJECTED, S.WITHDRAWN])
def test_applications_that_hold_no_place_leave_the_offer_open(status):
    offer = OfferFactory(capacity=1)
    ApplicationFactory(offer=offer, status=status)

    assert eligibility_problems(ApplicationFactory(offer=offer)) == []


# --- who applies, and where to --------------------------------------------------------


def test_an_applicant_kind_the_call_does_not_accept_is_refused():
    application = ApplicationFactory(
        offer__call__eligible_kinds=["cluster_staff", "startup"], applicant_kind="sme"
    )

    assert_refused(
        application,
        "applicant_kind",
        KIND_NOT_ELIGIBLE % {"kind": "SME", "accepted": "Cluster staff, Start-up"},
    )


def test_an_organisation_in_a_country_outside_the_call_is_refused():
    applicant = ApplicantFactory(organisation__country="PT")
    application = ApplicationFactory(applicant=applicant)

    assert_refused(
        application,
        None,
        COUNTRY_NOT_ELIGIBLE % {"country": "Portugal", "countries": ELIGIBLE},
    )


def test_a_host_in_a_country_outside_the_call_is_refused():
    application = ApplicationFactory(offer__host=ClusterFactory(country="PT", city="Porto"))

    assert_refused(
        application, None, HOST_NOT_ELIGIBLE % {"country": "Portugal", "countries": ELIGIBLE}
    )


def test_a_host_in_the_applicants_own_country_is_refused():
    applicant = ApplicantFactory(organisation__country="FR")  # the factory's hosts are in France

    assert_refused(
        ApplicationFactory(applicant=applicant), None, SAME_COUNTRY % {"country": "France"}
    )


def test_an_applicant_without_an_organisation_is_refused():
    applicant = ApplicantFactory(organisation=None)

    assert_refused(ApplicationFactory(applicant=applicant), None, str(NO_ORGANISATION))


def test_the_organisation_is_taken_from_the_profile_at_submit():
    """An applicant who moved to an ineligible organisation after drafting is refused."""
    application = ApplicationFactory()
    applicant = application.applicant
    applicant.organisation = OrganisationFactory(country="PT")
    applicant.save()

    with pytest.raises(ValidationError) as exc:
        submit(application)

    assert exc.value.messages == [
        COUNTRY_NOT_ELIGIBLE % {"country": "Portugal", "countries": ELIGIBLE}
    ]


# --- the dates ------------------------------------------------------------------------


def test_a_visit_starting_today_is_refused():
    today = timezone.localdate()
    call = CallFactory(visits_from=today - days(10))
    application = ApplicationFactory(
        offer__call=call, start_date=today, end_date=today + days(6)
    )  # any seven days in a row hold five working days

    assert_refused(application, "start_date", str(START_IN_PAST))


def test_a_visit_outside_the_calls_window_is_refused():
    application = ApplicationFactory()
    call = application.call
    call.visits_until = application.start_date + days(2)  # the visit ends two days later
    call.save()

    assert_refused(
        application,
        "start_date",
        OUTSIDE_WINDOW % {"start": call.visits_from, "end": call.visits_until},
    )


def test_a_visit_outside_the_offers_period_is_refused():
    application = ApplicationFactory()
    offer = application.offer
    offer.available_from = application.start_date + days(1)
    offer.save()

    assert_refused(
        application,
        "start_date",
        OUTSIDE_OFFER % {"start": offer.available_from, "end": offer.available_until},
    )


def test_a_visit_shorter_than_the_minimum_in_working_days_is_refused():
    application = ApplicationFactory()
    friday = application.start_date + days(4)
    application.start_date, application.end_date = friday, friday + days(3)  # Fri to Mon
    application.save()

    assert_refused(application, "end_date", TOO_SHORT % {"days": 2, "min": 3})


def test_a_visit_longer_than_the_maximum_is_refused():
    application = ApplicationFactory(offer__call__max_days=5)
    application.end_date = application.start_date + days(7)  # Monday to the next Monday
    application.save()

    assert_refused(application, "end_date", TOO_LONG % {"days": 6, "max": 5})


# --- other applications ---------------------------------------------------------------


def test_an_overlapping_application_in_the_same_call_is_refused():
    earlier = submit(ApplicationFactory())
    application = ApplicationFactory(
        applicant=earlier.applicant,
        offer=OfferFactory(call=earlier.call),
        start_date=earlier.start_date + days(2),
        end_date=earlier.end_date + days(2),
    )

    assert_refused(
        application,
        "start_date",
        OVERLAP % {"ref": earlier.reference, "start": earlier.start_date, "end": earlier.end_date},
    )


def test_back_to_back_visits_in_the_same_call_do_not_overlap():
    earlier = submit(ApplicationFactory())
    application = ApplicationFactory(
        applicant=earlier.applicant,
        offer=OfferFactory(call=earlier.call),
        start_date=earlier.end_date + days(3),  # the Monday after
        end_date=earlier.end_date + days(7),
    )

    assert eligibility_problems(application) == []


def test_an_organisation_visits_once_per_call_series():
    organisation = OrganisationFactory(country="DE", name="Bavarian Mobility GmbH")
    earlier = ApplicationFactory(
        applicant__organisation=organisation, status=S.APPROVED
    )  # in another call of the same series, by a colleague
    application = ApplicationFactory(applicant__organisation=organisation)
    assert application.call != earlier.call

    assert_refused(
        application,
        None,
        ONE_VISIT_PER_SERIES
        % {
            "organisation": "Bavarian Mobility GmbH",
            "series": "ClusterXchange test series",
            "ref": earlier.reference,
        },
    )


def test_a_visit_in_another_series_does_not_count():
    organisation = OrganisationFactory(country="DE")
    ApplicationFactory(
        applicant__organisation=organisation,
        offer__call__series="ClusterXchange 2024-2025",
        status=S.COMPLETED,
    )

    assert eligibility_problems(ApplicationFactory(applicant__organisation=organisation)) == []


def test_an_organisation_with_two_applications_waiting_gets_one_approved(secretariat):
    """Both pass at submit (no visit is funded yet); the rule holds again at approval."""
    organisation = OrganisationFactory(country="DE", name="Bavarian Mobility GmbH")
    first = submit(ApplicationFactory(applicant__organisation=organisation))
    second = submit(ApplicationFactory(applicant__organisation=organisation))
    for application in (first, second):
        review(application, host_member(application))
    decide(first, secretariat, "approved")

    with pytest.raises(ValidationError) as exc:
        decide(second, secretariat, "approved")

    assert exc.value.messages == [
        ONE_VISIT_PER_SERIES
        % {
            "organisation": "Bavarian Mobility GmbH",
            "series": "ClusterXchange test series",
            "ref": first.reference,
        }
    ]
    second.refresh_from_db()
    assert second.status == S.HOST_ACCEPTED
    assert decide(second, secretariat, "rejected", message="One visit each.").status == S.REJECTED


# --- funded places: counted at approval, not at submit --------------------------------


def test_funded_places_are_counted_at_approval_not_at_submit(secretariat):
    call = CallFactory(funded_places=1)
    ApplicationFactory(offer__call=call, status=S.APPROVED)  # the only place is taken
    application = ApplicationFactory(offer__call=call)

    assert eligibility_problems(application) == []
    submit(application)
    review(application, host_member(application))
    with pytest.raises(ValidationError) as exc:
        decide(application, secretariat, "approved")

    assert exc.value.messages == [NO_FUNDED_PLACES % {"places": 1}]
    application.refresh_from_db()
    assert application.status == S.HOST_ACCEPTED
    assert not Decision.objects.filter(application=application).exists()


def test_a_place_freed_by_a_withdrawal_can_be_granted(secretariat):
    call = CallFactory(funded_places=1)
    holder = ApplicationFactory(offer__call=call, status=S.APPROVED)
    application = submit(ApplicationFactory(offer__call=call))
    review(application, host_member(application))
    withdraw(holder)

    assert decide(application, secretariat, "approved").status == S.APPROVED


def test_a_member_of_the_host_team_cannot_apply_to_their_own_cluster():
    from exchange import services
    from tests.factories import MembershipFactory, OfferFactory

    offer = OfferFactory()
    manager = MembershipFactory(cluster=offer.host, role="manager").user
    with pytest.raises(ValidationError) as caught:
        services.application_create(actor=manager, call=offer.call, offer=offer, data={})
    # With the other rules that need nothing typed (the manager has no organisation).
    assert services.OWN_CLUSTER % {"host": offer.host.name} in caught.value.messages


def test_joining_the_host_team_after_drafting_blocks_the_submission():
    from exchange import services
    from tests.factories import ApplicationFactory, MembershipFactory

    application = ApplicationFactory()
    MembershipFactory(cluster=application.host, user=application.applicant, role="staff")
    problems = services.eligibility_problems(application)
    assert (None, services.OWN_CLUSTER % {"host": application.host.name}) in problems
