"""No dead ends before the form: whoever cannot apply to an offer sees no Apply but the
reason, on the offer page, on the call page's list and on the new-application page
(which refuses a POST and changes nothing); the save-time check says the same thing.
"Compute the funding" needs only the dates and the distance."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import escape

from exchange import services
from exchange.models import Application
from tests.factories import (
    ApplicantFactory,
    ApplicationFactory,
    CallFactory,
    MembershipFactory,
    OfferFactory,
    OrganisationFactory,
    UserFactory,
)
from tests.matrix import snapshot, snapshot_diff

pytestmark = pytest.mark.django_db

S = Application.Status


def _offer_url(offer):
    return reverse("exchange:offer", kwargs={"pk": offer.pk})


def _new_url(offer):
    return reverse("exchange:application_new") + f"?offer={offer.pk}"


def _apply_link(offer):
    return f'href="{_new_url(offer)}"'


def _full_offer():
    offer = OfferFactory(capacity=1)
    ApplicationFactory(offer=offer, status=S.SUBMITTED)
    return offer


def _series_visitor():
    """An applicant whose organisation already had a funded visit in the call's series."""
    offer = OfferFactory()
    earlier = ApplicationFactory(
        offer=OfferFactory(call=CallFactory(series=offer.call.series)), status=S.APPROVED
    )
    applicant = ApplicantFactory(organisation=earlier.organisation)
    return offer, applicant, earlier


def _draft_data(offer):
    start = offer.call.visits_from + timedelta(days=(7 - offer.call.visits_from.weekday()) % 7)
    return {
        "applicant_kind": "sme",
        "sending_cluster": "",
        "motivation": "Learn from the lab.",
        "learning_goals": "Data sharing.",
        "expected_results": "A pilot.",
        "start_date": start.isoformat(),
        "end_date": (start + timedelta(days=4)).isoformat(),
        "travel_from_city": "Munich",
        "travel_from_country": "DE",
        "distance_km": "800",
    }


# --- the offer page ---------------------------------------------------------------------


def test_an_eligible_member_sees_apply_on_the_offer_page(client):
    offer = OfferFactory()
    client.force_login(ApplicantFactory())
    html = client.get(_offer_url(offer)).content.decode()
    assert _apply_link(offer) in html
    assert "You cannot apply" not in html


def test_a_full_offer_shows_no_apply_but_the_reason(client):
    offer = _full_offer()
    client.force_login(ApplicantFactory())
    html = client.get(_offer_url(offer)).content.decode()
    assert "0 of 1" in html  # places left
    assert _apply_link(offer) not in html
    assert escape(services.NO_CAPACITY % {"capacity": 1}) in html


def test_an_organisation_that_had_its_visit_in_the_series_is_told_before_the_form(client):
    offer, applicant, earlier = _series_visitor()
    client.force_login(applicant)
    html = client.get(_offer_url(offer)).content.decode()
    assert _apply_link(offer) not in html
    message = services.ONE_VISIT_PER_SERIES % {
        "organisation": applicant.organisation.name,
        "series": offer.call.series,
        "ref": earlier.reference,
    }
    assert escape(message) in html


def test_a_visitor_is_asked_to_sign_in_to_apply(client):
    offer = OfferFactory()
    html = client.get(_offer_url(offer)).content.decode()
    assert _apply_link(offer) not in html
    assert "Sign in to apply" in html
    assert f"{reverse('account_login')}?next=" in html


def test_a_visitor_is_told_a_full_offer_is_full_rather_than_to_sign_in(client):
    offer = _full_offer()
    html = client.get(_offer_url(offer)).content.decode()
    assert escape(services.NO_CAPACITY % {"capacity": 1}) in html
    assert "Sign in to apply" not in html


def test_a_member_without_organisation_is_sent_to_their_profile(client):
    offer = OfferFactory()
    client.force_login(UserFactory())
    html = client.get(_offer_url(offer)).content.decode()
    assert _apply_link(offer) not in html
    assert escape(str(services.NO_ORGANISATION)) in html
    assert f'href="{reverse("accounts:profile")}"' in html


def test_an_organisation_of_a_kind_the_call_does_not_take_is_told(client):
    offer = OfferFactory(call__eligible_kinds=["cluster_staff"])
    client.force_login(ApplicantFactory(organisation__kind="research"))
    html = client.get(_offer_url(offer)).content.decode()
    assert _apply_link(offer) not in html
    assert "is not open to “Research or technology organisation” applicants" in html


def test_an_organisation_in_a_country_the_call_does_not_take_is_told(client):
    offer = OfferFactory()
    client.force_login(ApplicantFactory(organisation=OrganisationFactory(country="US")))
    html = client.get(_offer_url(offer)).content.decode()
    assert _apply_link(offer) not in html
    assert "is not eligible in this call" in html


# --- the new-application page refuses, with the reason, and changes nothing ------------


@pytest.mark.parametrize(
    "situation", ["full", "series", "no_organisation", "own_cluster", "call_closed"]
)
def test_opening_the_form_directly_refuses_with_the_reason_and_changes_nothing(client, situation):
    if situation == "full":
        offer, applicant = _full_offer(), ApplicantFactory()
    elif situation == "series":
        offer, applicant, _earlier = _series_visitor()
    elif situation == "no_organisation":
        offer, applicant = OfferFactory(), UserFactory()
    elif situation == "own_cluster":
        offer = OfferFactory()
        applicant = ApplicantFactory()
        MembershipFactory(cluster=offer.host, user=applicant, role="staff")
    else:
        now = CallFactory().opens_at
        offer = OfferFactory(
            call__opens_at=now - timedelta(days=60), call__closes_at=now - timedelta(days=1)
        )
        applicant = ApplicantFactory()
    client.force_login(applicant)
    refusal = services.apply_refusal(applicant, call=offer.call, offer=offer)
    assert refusal is not None

    page = client.get(_new_url(offer))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="motivation"' not in html
    for message in refusal.messages:
        assert escape(message) in html

    before = snapshot()
    response = client.post(_new_url(offer), _draft_data(offer))
    assert response.status_code == 400
    assert escape(refusal.messages[0]) in response.content.decode()
    assert not snapshot_diff(before, snapshot())

    # The save-time check says the same, even called straight.
    with pytest.raises(ValidationError) as caught:
        services.application_create(
            actor=applicant,
            call=offer.call,
            offer=offer,
            data={
                **_draft_data(offer),
                "sending_cluster": None,
                "start_date": offer.call.visits_from,
                "end_date": offer.call.visits_from,
                "distance_km": 800,
            },
        )
    assert set(refusal.messages) <= set(caught.value.messages)
    assert not snapshot_diff(before, snapshot())


def test_an_eligible_member_still_saves_a_draft(client):
    offer = OfferFactory()
    applicant = ApplicantFactory()
    client.force_login(applicant)
    assert services.apply_refusal(applicant, call=offer.call, offer=offer) is None
    response = client.post(_new_url(offer), _draft_data(offer))
    assert response.status_code == 302
    assert Application.objects.get(applicant=applicant).status == S.DRAFT


# --- the call page's offer list ---------------------------------------------------------


def test_the_call_page_lists_apply_or_the_reason_per_offer(client):
    open_offer = OfferFactory()
    call = open_offer.call
    full = OfferFactory(call=call, capacity=1)
    ApplicationFactory(offer=full, status=S.SUBMITTED)
    applicant = ApplicantFactory()
    mine = ApplicationFactory(offer=OfferFactory(call=call), applicant=applicant)
    client.force_login(applicant)

    html = client.get(reverse("exchange:call", kwargs={"pk": call.pk})).content.decode()

    assert _apply_link(open_offer) in html
    assert _apply_link(full) not in html
    assert escape(services.NO_CAPACITY % {"capacity": 1}) in html
    assert mine.get_absolute_url() in html  # "Your application …" instead of Apply


def test_the_call_page_offers_no_apply_to_a_visitor_but_sign_in(client):
    offer = OfferFactory()
    html = client.get(reverse("exchange:call", kwargs={"pk": offer.call_id})).content.decode()
    assert _apply_link(offer) not in html
    assert "Sign in to apply" in html


def _call_with_offers(n):
    call = CallFactory()
    for _ in range(n):
        offer = OfferFactory(call=call)
        ApplicationFactory(offer=offer, status=S.SUBMITTED)
    return call


def test_the_call_pages_queries_do_not_grow_with_its_offers(client, django_assert_max_num_queries):
    applicant = ApplicantFactory()
    client.force_login(applicant)
    small, large = _call_with_offers(2), _call_with_offers(12)
    ApplicationFactory(offer=OfferFactory(call=large), applicant=applicant)

    def queries(call):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("exchange:call", kwargs={"pk": call.pk}))
        assert response.status_code == 200
        return len(ctx.captured_queries)

    assert queries(large) == queries(small)
    with django_assert_max_num_queries(16):
        client.get(reverse("exchange:call", kwargs={"pk": large.pk}))


# --- "Compute the funding" needs only the dates and the distance ------------------------

FUNDING_ONLY = ("start_date", "end_date", "distance_km")


def test_the_funding_is_computed_from_the_dates_and_the_distance_alone(client):
    offer = OfferFactory()
    client.force_login(ApplicantFactory())
    data = {k: v for k, v in _draft_data(offer).items() if k in FUNDING_ONLY}

    response = client.post(_new_url(offer), {**data, "preview": ""})

    assert response.status_code == 200
    html = response.content.decode()
    assert "775.00 EUR" in html  # 5 days * 100 + 275 for 800 km
    assert "This field is required" not in html  # the rest is checked when it is saved
    assert not Application.objects.exists()


def test_computing_without_the_distance_says_what_is_missing(client):
    offer = OfferFactory()
    client.force_login(ApplicantFactory())
    data = {k: v for k, v in _draft_data(offer).items() if k in ("start_date", "end_date")}
    response = client.post(_new_url(offer), {**data, "preview": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_distance_km_error"' in html
    assert 'id="id_motivation_error"' not in html
    assert not Application.objects.exists()


def test_saving_still_needs_everything(client):
    offer = OfferFactory()
    client.force_login(ApplicantFactory())
    data = {k: v for k, v in _draft_data(offer).items() if k in FUNDING_ONLY}
    response = client.post(_new_url(offer), data)
    assert response.status_code == 400
    assert 'id="id_motivation_error"' in response.content.decode()
    assert not Application.objects.exists()


def test_the_edit_form_computes_the_funding_with_the_motivation_cleared(client):
    draft = ApplicationFactory()
    client.force_login(draft.applicant)
    url = reverse("exchange:application_edit", kwargs={"pk": draft.pk})
    data = {k: v for k, v in _draft_data(draft.offer).items() if k in FUNDING_ONLY}
    data["end_date"] = (draft.start_date + timedelta(days=2)).isoformat()

    response = client.post(url, {**data, "preview": ""})

    assert response.status_code == 200
    assert "287.50 EUR" in response.content.decode()  # (3 * 100 + 275) / 2
    draft.refresh_from_db()
    assert draft.motivation  # nothing saved
    assert draft.end_date == draft.start_date + timedelta(days=4)


def test_a_call_taking_applications_to_any_host_gives_the_reason_too(client):
    call = CallFactory(open_applications=True)
    client.force_login(UserFactory())  # no organisation
    call_page = client.get(reverse("exchange:call", kwargs={"pk": call.pk})).content.decode()
    new_url = reverse("exchange:application_new") + f"?call={call.pk}"
    assert f'href="{new_url}"' not in call_page
    assert escape(str(services.NO_ORGANISATION)) in call_page

    data = _draft_data(OfferFactory(call=call))
    before = snapshot()
    response = client.post(new_url, data)
    assert response.status_code == 400
    assert escape(str(services.NO_ORGANISATION)) in response.content.decode()
    assert not snapshot_diff(before, snapshot())
