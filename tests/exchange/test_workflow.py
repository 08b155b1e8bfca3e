"""The application workflow through its services: each transition, who may take it, what it
records; the more-information loop, withdrawal, visit reports, reference numbers, offers."""

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from clusters.models import Ecosystem
from core.files import FILE_TYPE_REFUSED
from core.models import AuditEvent
from exchange import services
from exchange.models import (
    Application,
    ApplicationVersion,
    Decision,
    Offer,
    ReferenceCounter,
    ReportAttachment,
    Review,
    VisitReport,
)
from exchange.permissions import WITHDRAWABLE
from exchange.services import (
    CALL_NOT_OPEN,
    GRANT_TOO_HIGH,
    HOST_DECLINED,
    MESSAGE_REQUIRED,
    NO_OPEN_APPLICATIONS,
    NOT_YOUR_CLUSTER,
    OFFER_CLOSED,
    OFFER_OTHER_CALL,
    OFFER_OUTSIDE_WINDOW,
    OUTSIDE_WINDOW,
    TOO_MANY_FILES,
    VISIT_STARTED,
    WRONG_CLUSTER,
    WRONG_STATE,
    applications_open_reports,
    report_submit,
)
from tests.factories import (
    PDF_BYTES,
    ApplicantFactory,
    ApplicationFactory,
    CallFactory,
    ClusterFactory,
    MembershipFactory,
    OfferFactory,
)
from tests.practices.samples import EXE_BYTES, GIF_POLYGLOT, PNG_BYTES

from .steps import decide, events, host_member, review, snapshot, submit, withdraw

pytestmark = pytest.mark.django_db

S = Application.Status
APPLICANT = "visitor@sme.example.de"
HOST = "host@lyon.example.fr"
SECRETARIAT = "secretariat@example.org"
ALL_STATES = [s.value for s in S]


def days(n):
    return timedelta(days=n)


def wrong_state(status, action):
    return WRONG_STATE % {"status": S(status).label, "action": action}


@pytest.fixture
def application():
    """A draft to a host cluster in Lyon, from an SME in Germany."""
    return ApplicationFactory(applicant__email=APPLICANT)


@pytest.fixture
def host(application):
    return host_member(application, email=HOST)


@pytest.fixture
def people(application, host, member, other_manager, secretariat):
    return {
        "applicant": application.applicant,
        "host_manager": host,
        "host_staff": host_member(application, role="staff", email="staffer@lyon.example.fr"),
        "other_manager": other_manager,
        "member": member,
        "secretariat": secretariat,
    }


def in_state(status, **kwargs):
    """An application the factory put straight into ``status`` (its visit still ahead)."""
    kwargs.setdefault("applicant__email", APPLICANT)
    return ApplicationFactory(status=status, **kwargs)


def application_data(offer, **overrides):
    start = offer.available_from + days((7 - offer.available_from.weekday()) % 7)
    return {
        "applicant_kind": "sme",
        "motivation": "We want to learn how the host runs its living lab.",
        "learning_goals": "Data sharing agreements.",
        "expected_results": "A joint pilot proposal.",
        "start_date": start,
        "end_date": start + days(4),
        "travel_from_city": "Munich",
        "travel_from_country": "DE",
        "distance_km": 800,
        **overrides,
    }


def create(actor, offer, **overrides):
    return services.application_create(
        actor=actor, call=offer.call, offer=offer, data=application_data(offer, **overrides)
    )


def edit(application, actor=None, **changes):
    data = {f: getattr(application, f) for f in services.APPLICATION_FIELDS}
    data.update(changes)
    return services.application_update(
        application=application, actor=actor or application.applicant, data=data
    )


def report_data(**overrides):
    return {
        "what_happened": "Three days in the living lab.",
        "results": "A pilot proposal drafted together.",
        "contacts": "Five SMEs, the city's mobility office.",
        "follow_up": "A joint Horizon Europe proposal.",
        "satisfaction": 5,
        **overrides,
    }


def upload(name, content):
    return SimpleUploadedFile(name, content)


# --- starting a draft -------------------------------------------------------------------


def test_a_member_starts_a_draft_with_its_funding_and_a_reference():
    offer = OfferFactory()
    applicant = ApplicantFactory(email=APPLICANT)

    application = create(applicant, offer)

    application.refresh_from_db()
    assert application.status == S.DRAFT
    assert application.host == offer.host
    assert application.call == offer.call
    assert application.organisation == applicant.organisation
    assert application.funding_requested == Decimal("775.00")
    assert application.funding_rule.splitlines()[-1] == "Lump sum: 775.00 EUR"
    assert application.reference == f"CX-{timezone.localdate().year}-0001"
    assert events(application) == [("exchange.create", "", "draft", APPLICANT)]


def test_references_are_numbered_per_year_and_unique():
    offer = OfferFactory(capacity=5)
    year = timezone.localdate().year
    ReferenceCounter.objects.create(year=year - 1, last=41)

    references = [create(ApplicantFactory(), offer).reference for _ in range(3)]

    assert references == [f"CX-{year}-0001", f"CX-{year}-0002", f"CX-{year}-0003"]
    assert all(re.fullmatch(r"CX-\d{4}-\d{4}", r) for r in references)
    assert ReferenceCounter.objects.get(year=year - 1).last == 41


def test_a_draft_cannot_be_started_in_a_closed_call():
    offer = OfferFactory(
        call__title="Spring round",
        call__opens_at=datetime(2025, 1, 6, 9, 0, tzinfo=UTC),
        call__closes_at=datetime(2025, 2, 3, 17, 0, tzinfo=UTC),
    )

    with pytest.raises(ValidationError) as exc:
        create(ApplicantFactory(), offer)

    assert exc.value.messages == [
        CALL_NOT_OPEN
        % {"call": "Spring round", "opens": "06 Jan 2025 10:00", "closes": "03 Feb 2025 18:00"}
    ]
    assert not Application.objects.exists()


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("other_call", OFFER_OTHER_CALL),
        ("inactive", OFFER_CLOSED),
        ("no_offer", NO_OPEN_APPLICATIONS),
    ],
)
def test_a_draft_needs_an_active_offer_of_the_call(setup, message):
    offer = OfferFactory(is_active=setup != "inactive")
    call = CallFactory() if setup == "other_call" else offer.call

    with pytest.raises(ValidationError) as exc:
        services.application_create(
            actor=ApplicantFactory(),
            call=call,
            offer=None if setup == "no_offer" else offer,
            host=offer.host,
            data=application_data(offer),
        )

    assert exc.value.messages == [str(message)]
    assert not Application.objects.exists()


def test_a_call_with_open_applications_takes_one_to_a_host_directly():
    offer = OfferFactory(call__open_applications=True)
    host = ClusterFactory(country="IT", city="Turin")

    application = services.application_create(
        actor=ApplicantFactory(), call=offer.call, host=host, data=application_data(offer)
    )

    assert application.offer is None
    assert application.host == host
    assert submit(application).status == S.SUBMITTED


def test_the_sending_cluster_must_be_the_applicants(cluster):
    offer = OfferFactory()
    applicant = ApplicantFactory()

    with pytest.raises(ValidationError) as exc:
        create(applicant, offer, sending_cluster=cluster)

    assert exc.value.message_dict == {"sending_cluster": [str(NOT_YOUR_CLUSTER)]}
    MembershipFactory(cluster=cluster, user=applicant, role="staff")
    assert create(applicant, offer, sending_cluster=cluster).sending_cluster == cluster


# --- editing --------------------------------------------------------------------------


def test_the_applicant_edits_a_draft_and_the_funding_follows(application):
    end_date = application.end_date
    edit(application, end_date=application.start_date + days(3), learning_goals="Procurement.")

    application.refresh_from_db()
    assert application.funding_requested == Decimal("337.50")  # four days: halved
    assert "Halved: shorter than 5 working days" in application.funding_rule
    event = AuditEvent.objects.get(verb="exchange.update")
    assert sorted(event.changes) == ["end_date", "learning_goals"]
    assert event.changes["end_date"] == [str(end_date), str(application.end_date)]


@pytest.mark.parametrize("role", ["host_manager", "secretariat", "member"])
def test_only_the_applicant_edits(role, people, application):
    with pytest.raises(PermissionDenied):
        edit(application, people[role], motivation="Changed by someone else.")

    application.refresh_from_db()
    assert application.motivation == "We want to learn how the host runs its living lab."


@pytest.mark.parametrize("status", [s for s in ALL_STATES if s not in {"draft", "more_info"}])
def test_an_application_cannot_be_edited_once_it_left_the_applicant(status):
    application = in_state(status)

    with pytest.raises(PermissionDenied):
        edit(application, motivation="Too late.")


# --- submit ---------------------------------------------------------------------------


def test_the_applicant_submits_a_draft_to_the_host(application):
    submit(application)

    application.refresh_from_db()
    assert application.status == S.SUBMITTED
    assert application.submitted_at is not None
    assert application.funding_requested == Decimal("775.00")
    version = ApplicationVersion.objects.get(application=application)
    assert version.number == 1
    assert version.created_by == application.applicant
    assert version.data["motivation"] == application.motivation
    assert version.data["funding_requested"] == "775.00"
    assert version.data["travel_from_country"] == "Germany"
    assert events(application) == [("exchange.submit", "draft", "submitted", APPLICANT)]


@pytest.mark.parametrize("role", ["host_manager", "secretariat", "member", "other_manager"])
def test_only_the_applicant_submits(role, people, application):
    before = snapshot(application)

    with pytest.raises(PermissionDenied):
        services.application_submit(application=application, actor=people[role])

    assert snapshot(application) == before


@pytest.mark.parametrize("status", [s for s in ALL_STATES if s not in {"draft", "more_info"}])
def test_only_a_draft_or_an_application_sent_back_is_submitted(status):
    application = in_state(status)
    before = snapshot(application)

    with pytest.raises(ValidationError) as exc:
        submit(application)

    assert exc.value.messages == [wrong_state(status, "submitted")]
    assert snapshot(application) == before


def test_a_stale_copy_cannot_submit_twice(application):
    stale = Application.objects.get(pk=application.pk)
    submit(application)

    with pytest.raises(ValidationError) as exc:
        submit(stale)

    assert exc.value.messages == [wrong_state("submitted", "submitted")]
    assert ApplicationVersion.objects.count() == 1


# --- the host's review ----------------------------------------------------------------


@pytest.mark.parametrize("role", ["host_manager", "host_staff"])
def test_the_host_team_accepts(role, people, application):
    submit(application)
    actor = people[role]

    review(application, actor, "accept", comment="  Strong profile.  ")

    application.refresh_from_db()
    assert application.status == S.HOST_ACCEPTED
    row = Review.objects.get(application=application)
    assert (row.reviewer, row.recommendation, row.comment) == (actor, "accept", "Strong profile.")
    assert events(application)[-1] == ("exchange.review", "submitted", "host_accepted", actor.email)
    assert AuditEvent.objects.get(verb="exchange.review").comment == "Strong profile."


def test_the_host_declines(host, application):
    submit(application)

    review(application, host, "decline", comment="No capacity that month.")

    application.refresh_from_db()
    assert application.status == S.HOST_DECLINED
    assert Review.objects.get(application=application).recommendation == "decline"
    assert events(application)[-1] == ("exchange.review", "submitted", "host_declined", HOST)


@pytest.mark.parametrize("role", ["other_manager", "applicant", "secretariat", "member"])
@pytest.mark.parametrize("recommendation", ["accept", "decline"])
def test_only_the_host_team_reviews(role, recommendation, people, application):
    submit(application)
    before = snapshot(application)

    with pytest.raises(PermissionDenied):
        review(application, people[role], recommendation)

    assert snapshot(application) == before


def test_a_secretariat_member_in_the_host_team_may_review(secretariat, application):
    MembershipFactory(cluster=application.host, user=secretariat, role="staff")
    submit(application)

    assert review(application, secretariat).status == S.HOST_ACCEPTED


def test_an_applicant_in_the_host_team_cannot_review_their_own(application):
    submit(application)
    # Joined the host's team after applying (applying to one's own cluster is refused).
    MembershipFactory(cluster=application.host, user=application.applicant, role="manager")

    with pytest.raises(PermissionDenied):
        review(application, application.applicant)

    assert not Review.objects.exists()


def test_a_review_is_accept_or_decline(host, application):
    submit(application)

    with pytest.raises(ValidationError) as exc:
        review(application, host, "maybe")

    assert list(exc.value.message_dict) == ["recommendation"]
    assert not Review.objects.exists()


@pytest.mark.parametrize("status", [s for s in ALL_STATES if s != "submitted"])
def test_only_a_submitted_application_is_reviewed(status):
    application = in_state(status)
    host = host_member(application)
    before = snapshot(application)

    with pytest.raises(ValidationError) as exc:
        review(application, host)

    assert exc.value.messages == [wrong_state(status, "reviewed")]
    assert snapshot(application) == before


# --- the secretariat's decision -------------------------------------------------------


@pytest.fixture
def accepted(application, host):
    return review(submit(application), host)


def test_the_secretariat_approves_with_the_funding_requested(secretariat, accepted):
    decide(accepted, secretariat, "approved", message="  Welcome aboard.  ")

    accepted.refresh_from_db()
    assert accepted.status == S.APPROVED
    decision = Decision.objects.get(application=accepted)
    assert decision.decided_by == secretariat
    assert decision.outcome == "approved"
    assert decision.message == "Welcome aboard."
    assert decision.funding_granted == Decimal("775.00")
    assert events(accepted)[-1] == ("exchange.approved", "host_accepted", "approved", SECRETARIAT)
    assert AuditEvent.objects.get(verb="exchange.approved").comment == "Welcome aboard."


def test_the_secretariat_may_grant_less_than_requested(secretariat, accepted):
    decide(accepted, secretariat, "approved", funding_granted=Decimal("500.00"))

    assert Decision.objects.get().funding_granted == Decimal("500.00")


@pytest.mark.parametrize("granted", [Decimal("775.01"), Decimal("-1.00")])
def test_a_grant_above_the_request_or_below_zero_is_refused(granted, secretariat, accepted):
    before = snapshot(accepted)

    with pytest.raises(ValidationError) as exc:
        decide(accepted, secretariat, "approved", funding_granted=granted)

    assert exc.value.message_dict == {
        "funding_granted": [GRANT_TOO_HIGH % {"requested": Decimal("775.00")}]
    }
    assert snapshot(accepted) == before


@pytest.mark.parametrize("outcome", ["rejected", "more_info"])
def test_the_secretariat_rejects_or_asks_for_more_with_a_message(outcome, secretariat, accepted):
    decide(accepted, secretariat, outcome, message="Tell us who you will meet.")

    accepted.refresh_from_db()
    assert accepted.status == outcome
    decision = Decision.objects.get()
    assert (decision.outcome, decision.message, decision.funding_granted) == (
        outcome,
        "Tell us who you will meet.",
        None,
    )
    assert events(accepted)[-1] == (f"exchange.{outcome}", "host_accepted", outcome, SECRETARIAT)


@pytest.mark.parametrize("outcome", ["rejected", "more_info"])
@pytest.mark.parametrize("message", ["", "   "])
def test_rejecting_or_asking_for_more_needs_a_message(outcome, message, secretariat, accepted):
    before = snapshot(accepted)

    with pytest.raises(ValidationError) as exc:
        decide(accepted, secretariat, outcome, message=message)

    assert exc.value.message_dict == {"message": [str(MESSAGE_REQUIRED)]}
    assert snapshot(accepted) == before


def test_an_application_the_host_declined_is_rejected(secretariat, host, application):
    review(submit(application), host, "decline")

    decide(application, secretariat, "rejected", message="The host cannot take you.")

    application.refresh_from_db()
    assert application.status == S.REJECTED
    assert events(application)[-1] == (
        "exchange.rejected",
        "host_declined",
        "rejected",
        SECRETARIAT,
    )


@pytest.mark.parametrize("outcome", ["approved", "more_info"])
def test_an_application_the_host_declined_cannot_be_approved(
    outcome, secretariat, host, application
):
    review(submit(application), host, "decline")
    before = snapshot(application)

    with pytest.raises(ValidationError) as exc:
        decide(application, secretariat, outcome, message="Let us try anyway.")

    assert exc.value.messages == [str(HOST_DECLINED)]
    assert snapshot(application) == before


@pytest.mark.parametrize("role", ["host_manager", "applicant", "member", "other_manager"])
@pytest.mark.parametrize("outcome", ["approved", "rejected", "more_info"])
def test_only_the_secretariat_decides(role, outcome, people, accepted):
    before = snapshot(accepted)

    with pytest.raises(PermissionDenied):
        decide(accepted, people[role], outcome, message="A message.")

    assert snapshot(accepted) == before


@pytest.mark.parametrize(
    "status", [s for s in ALL_STATES if s not in {"host_accepted", "host_declined"}]
)
def test_only_an_application_the_host_reviewed_is_decided(status, secretariat):
    application = in_state(status)
    before = snapshot(application)

    with pytest.raises(ValidationError) as exc:
        decide(application, secretariat, "rejected", message="No.")

    assert exc.value.messages == [wrong_state(status, "decided on")]
    assert snapshot(application) == before


def test_an_unknown_outcome_is_refused(secretariat, accepted):
    with pytest.raises(ValidationError) as exc:
        decide(accepted, secretariat, "postponed", message="Later.")

    assert list(exc.value.message_dict) == ["outcome"]
    assert not Decision.objects.exists()


# --- withdrawal -----------------------------------------------------------------------


@pytest.mark.parametrize("status", sorted(WITHDRAWABLE))
def test_the_applicant_withdraws_before_the_visit(status):
    application = in_state(status)

    withdraw(application, comment="  Our budget was cut.  ")

    application.refresh_from_db()
    assert application.status == S.WITHDRAWN
    assert events(application) == [("exchange.withdraw", status, "withdrawn", APPLICANT)]
    assert AuditEvent.objects.get().comment == "Our budget was cut."


@pytest.mark.parametrize("status", sorted(set(ALL_STATES) - WITHDRAWABLE))
def test_an_application_past_its_decision_or_visit_cannot_be_withdrawn(status):
    application = in_state(status)
    before = snapshot(application)

    with pytest.raises(ValidationError) as exc:
        withdraw(application)

    assert exc.value.messages == [wrong_state(status, "withdrawn")]
    assert snapshot(application) == before


@pytest.mark.parametrize("start", [0, -1])
def test_a_visit_that_has_started_cannot_be_withdrawn(start):
    today = timezone.localdate()
    application = in_state(
        S.APPROVED, start_date=today + days(start), end_date=today + days(start + 4)
    )
    before = snapshot(application)

    with pytest.raises(ValidationError) as exc:
        withdraw(application)

    assert exc.value.messages == [str(VISIT_STARTED)]
    assert snapshot(application) == before


def test_a_visit_starting_tomorrow_can_still_be_withdrawn():
    tomorrow = timezone.localdate() + days(1)
    application = in_state(S.APPROVED, start_date=tomorrow, end_date=tomorrow + days(4))

    assert withdraw(application).status == S.WITHDRAWN


@pytest.mark.parametrize("role", ["host_manager", "secretariat", "member"])
def test_only_the_applicant_withdraws(role, people, host, application):
    review(submit(application), host)
    before = snapshot(application)

    with pytest.raises(PermissionDenied):
        services.application_withdraw(application=application, actor=people[role])

    assert snapshot(application) == before


# --- the more-information loop --------------------------------------------------------


def test_more_information_edit_and_resubmit_goes_back_to_the_secretariat(secretariat, accepted):
    application = accepted
    first_goals = application.learning_goals
    decide(application, secretariat, "more_info", message="Tell us who you will meet.")

    edit(application, learning_goals="Meet the city's procurement office.")
    submit(application)

    application.refresh_from_db()
    assert application.status == S.HOST_ACCEPTED  # the host already said yes
    versions = list(ApplicationVersion.objects.filter(application=application))
    assert [v.number for v in versions] == [2, 1]
    assert versions[0].data["learning_goals"] == "Meet the city's procurement office."
    assert versions[1].data["learning_goals"] == first_goals  # the earlier version stays
    assert [e[0] for e in events(application)] == [
        "exchange.submit",
        "exchange.review",
        "exchange.more_info",
        "exchange.update",
        "exchange.resubmit",
    ]
    assert events(application)[-1] == ("exchange.resubmit", "more_info", "host_accepted", APPLICANT)
    assert Review.objects.filter(application=application).count() == 1

    decide(application, secretariat, "approved")
    assert list(
        Decision.objects.filter(application=application).values_list("outcome", flat=True)
    ) == ["approved", "more_info"]


def test_the_information_asked_for_can_be_sent_after_the_call_closed(secretariat, accepted):
    decide(accepted, secretariat, "more_info", message="Tell us who you will meet.")
    call = accepted.call
    call.closes_at = timezone.now() - days(1)
    call.save()

    assert submit(accepted).status == S.HOST_ACCEPTED


def test_a_resubmission_is_checked_again(secretariat, accepted):
    decide(accepted, secretariat, "more_info", message="Please move the dates.")
    call = accepted.call
    late = call.visits_until + days(3)
    edit(accepted, start_date=late, end_date=late + days(4))
    before = snapshot(accepted)

    with pytest.raises(ValidationError) as exc:
        submit(accepted)

    assert exc.value.messages == [
        OUTSIDE_WINDOW % {"start": call.visits_from, "end": call.visits_until}
    ]
    assert snapshot(accepted) == before
    assert before["row"]["status"] == S.MORE_INFO


# --- visit reports --------------------------------------------------------------------


def ended(status=S.APPROVED, ago=1, **kwargs):
    """An application whose visit ended ``ago`` days ago."""
    last = timezone.localdate() - days(ago)
    return in_state(status, start_date=last - days(4), end_date=last, **kwargs)


def test_visits_that_ended_wait_for_their_report():
    over = ended()
    today = ended(ago=0, applicant__email="today@example.org")
    not_approved = ended(S.HOST_ACCEPTED, ago=3, applicant__email="waiting@example.org")

    assert applications_open_reports() == 1

    over.refresh_from_db()
    assert over.status == S.REPORT_DUE
    assert over.report_due_at is not None
    assert events(over) == [("exchange.report_due", "approved", "report_due", None)]
    for untouched, status in [(today, S.APPROVED), (not_approved, S.HOST_ACCEPTED)]:
        untouched.refresh_from_db()
        assert untouched.status == status


def test_opening_reports_twice_opens_each_once():
    over = ended()

    assert (applications_open_reports(), applications_open_reports()) == (1, 0)
    assert len(events(over)) == 1


def test_opening_reports_at_a_given_moment_uses_that_moment():
    over = ended(ago=-5)  # ends in five days
    later = timezone.now() + days(6)

    assert applications_open_reports(now=timezone.now()) == 0
    assert applications_open_reports(now=later) == 1
    over.refresh_from_db()
    assert over.report_due_at == later


def test_the_visitor_reports_and_the_application_is_completed():
    application = ended(S.REPORT_DUE)

    report = report_submit(
        application=application,
        actor=application.applicant,
        data=report_data(),
        files=[upload("agenda.pdf", PDF_BYTES), upload("photo.png", PNG_BYTES)],
    )

    application.refresh_from_db()
    assert application.status == S.COMPLETED
    report = VisitReport.objects.get(application=application)
    assert report.submitted_by == application.applicant
    assert (report.satisfaction, report.results) == (5, "A pilot proposal drafted together.")
    attachments = list(report.attachments.values_list("name", "content_type"))
    assert attachments == [("agenda.pdf", "application/pdf"), ("photo.png", "image/png")]
    stored = report.attachments.first()
    assert stored.file.read() == PDF_BYTES
    assert events(application) == [("exchange.report", "report_due", "completed", APPLICANT)]


def test_a_report_file_is_stored_and_served_under_the_extension_of_its_content(client):
    application = ended(S.REPORT_DUE)

    report = report_submit(
        application=application,
        actor=application.applicant,
        data=report_data(),
        files=[upload("poly.html", GIF_POLYGLOT)],
    )

    stored = report.attachments.get()
    assert (stored.name, stored.content_type) == ("poly.gif", "image/gif")
    assert stored.file.name == f"exchange/{application.pk}/poly.gif"
    client.force_login(application.applicant)
    response = client.get(reverse("exchange:report_attachment", args=[application.pk, stored.pk]))
    assert response["Content-Type"] == "image/gif"
    assert response["Content-Disposition"] == 'inline; filename="poly.gif"'


def test_one_bad_file_refuses_the_whole_report_and_stores_nothing():
    application = ended(S.REPORT_DUE)
    before = snapshot(application)

    with pytest.raises(ValidationError) as exc:
        report_submit(
            application=application,
            actor=application.applicant,
            data=report_data(),
            files=[upload("refused-agenda.pdf", PDF_BYTES), upload("photos.pdf", EXE_BYTES)],
        )

    assert exc.value.message_dict == {"attachments": [str(FILE_TYPE_REFUSED)]}
    assert snapshot(application) == before
    assert not VisitReport.objects.exists()
    assert not ReportAttachment.objects.exists()
    assert not storages["private"].exists(f"exchange/{application.pk}/refused-agenda.pdf")


def test_a_report_has_at_most_five_files():
    application = ended(S.REPORT_DUE)

    with pytest.raises(ValidationError) as exc:
        report_submit(
            application=application,
            actor=application.applicant,
            data=report_data(),
            files=[upload(f"p{n}.pdf", PDF_BYTES) for n in range(6)],
        )

    assert exc.value.message_dict == {"attachments": [TOO_MANY_FILES % {"n": 5}]}
    assert not VisitReport.objects.exists()


def test_a_satisfaction_outside_one_to_five_is_refused():
    application = ended(S.REPORT_DUE)

    with pytest.raises(ValidationError) as exc:
        report_submit(
            application=application, actor=application.applicant, data=report_data(satisfaction=6)
        )

    assert "satisfaction" in exc.value.message_dict
    application.refresh_from_db()
    assert application.status == S.REPORT_DUE


@pytest.mark.parametrize("status", [s for s in ALL_STATES if s != "report_due"])
def test_only_a_visit_waiting_for_its_report_is_reported_on(status):
    application = ended(status)
    before = snapshot(application)

    with pytest.raises(ValidationError) as exc:
        report_submit(application=application, actor=application.applicant, data=report_data())

    assert exc.value.messages == [wrong_state(status, "reported on")]
    assert snapshot(application) == before


def test_only_the_visitor_reports(secretariat):
    application = ended(S.REPORT_DUE)

    with pytest.raises(PermissionDenied):
        report_submit(application=application, actor=secretariat, data=report_data())

    assert not VisitReport.objects.exists()


# --- the whole round, as the timeline records it --------------------------------------


def test_every_transition_records_who_moved_it_from_where_to_where(secretariat, host, application):
    review(submit(application), host)
    decide(application, secretariat, "approved")
    last = timezone.localdate() - days(1)
    Application.objects.filter(pk=application.pk).update(
        start_date=last - days(4), end_date=last
    )  # time passes: the visit is over
    applications_open_reports()
    report_submit(application=application, actor=application.applicant, data=report_data())

    assert events(application) == [
        ("exchange.submit", "draft", "submitted", APPLICANT),
        ("exchange.review", "submitted", "host_accepted", HOST),
        ("exchange.approved", "host_accepted", "approved", SECRETARIAT),
        ("exchange.report_due", "approved", "report_due", None),
        ("exchange.report", "report_due", "completed", APPLICANT),
    ]
    application.refresh_from_db()
    assert application.status == S.COMPLETED


# --- offers ---------------------------------------------------------------------------


def offer_data(call, **overrides):
    return {
        "topic": "Smart parking pilots",
        "description": "Two days with our parking operators.",
        "languages": "English",
        "available_from": call.visits_from,
        "available_until": call.visits_until,
        "capacity": 2,
        **overrides,
    }


def create_offer(actor, host, call, **overrides):
    return services.offer_create(
        actor=actor,
        call=call,
        host=host,
        data=offer_data(call, **overrides),
        ecosystems=Ecosystem.objects.filter(code="mobility"),
    )


def update_offer(offer, actor, **changes):
    data = {f: getattr(offer, f) for f in services.OFFER_FIELDS}
    data.update(changes)
    return services.offer_update(
        offer=offer, actor=actor, data=data, ecosystems=offer.ecosystems.all()
    )


@pytest.mark.parametrize("role", ["manager", "staff_member"])
def test_the_host_team_publishes_an_offer(role, cluster, manager, staff_member):
    actor = {"manager": manager, "staff_member": staff_member}[role]
    call = CallFactory()

    offer = create_offer(actor, cluster, call, contact=manager)

    offer.refresh_from_db()
    assert (offer.host, offer.call, offer.created_by, offer.contact) == (
        cluster,
        call,
        actor,
        manager,
    )
    assert [e.code for e in offer.ecosystems.all()] == ["mobility"]
    event = AuditEvent.objects.get(verb="exchange.offer_create")
    assert event.actor == actor


@pytest.mark.parametrize("role", ["other_manager", "member", "secretariat"])
def test_only_the_host_team_publishes_its_offers(role, cluster, other_manager, member, secretariat):
    actor = {"other_manager": other_manager, "member": member, "secretariat": secretariat}[role]

    with pytest.raises(PermissionDenied) as exc:
        create_offer(actor, cluster, CallFactory())

    assert str(exc.value) == str(WRONG_CLUSTER)
    assert not Offer.objects.exists()


@pytest.mark.parametrize(
    ("start", "end"), [(-1, 0), (0, 1)], ids=["starts-too-early", "ends-too-late"]
)
def test_an_offers_period_lies_inside_the_calls_window(start, end, cluster, manager):
    call = CallFactory()

    with pytest.raises(ValidationError) as exc:
        create_offer(
            manager,
            cluster,
            call,
            available_from=call.visits_from + days(start),
            available_until=call.visits_until + days(end),
        )

    assert exc.value.message_dict == {
        "available_from": [
            OFFER_OUTSIDE_WINDOW % {"start": call.visits_from, "end": call.visits_until}
        ]
    }
    assert not Offer.objects.exists()


def test_the_offers_contact_is_in_the_host_team(cluster, manager, other_manager):
    with pytest.raises(ValidationError) as exc:
        create_offer(manager, cluster, CallFactory(), contact=other_manager)

    assert list(exc.value.message_dict) == ["contact"]
    assert not Offer.objects.exists()


@pytest.mark.parametrize("role", ["manager", "secretariat"])
def test_the_host_team_or_the_secretariat_edits_an_offer(role, cluster, manager, secretariat):
    offer = OfferFactory(host=cluster)
    actor = {"manager": manager, "secretariat": secretariat}[role]

    update_offer(offer, actor, capacity=4, is_active=False)

    offer.refresh_from_db()
    assert (offer.capacity, offer.is_active) == (4, False)
    event = AuditEvent.objects.get(verb="exchange.offer_update")
    assert (event.actor, sorted(event.changes)) == (actor, ["capacity", "is_active"])
    assert event.changes["is_active"] == ["True", "False"]


def test_another_clusters_manager_cannot_edit_an_offer(cluster, other_manager):
    offer = OfferFactory(host=cluster)

    with pytest.raises(PermissionDenied):
        update_offer(offer, other_manager, capacity=9)

    offer.refresh_from_db()
    assert offer.capacity == 2


def test_an_edit_cannot_move_an_offer_outside_the_window(cluster, manager):
    offer = OfferFactory(host=cluster)
    until = offer.available_until

    with pytest.raises(ValidationError):
        update_offer(offer, manager, available_until=offer.call.visits_until + days(1))

    offer.refresh_from_db()
    assert offer.available_until == until
    assert not AuditEvent.objects.filter(verb="exchange.offer_update").exists()
