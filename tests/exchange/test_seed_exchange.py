"""seed_demo's ClusterXchange: two rounds, offers, applications in every state.

Seeding takes a few seconds, so it runs once for the module (the ``seeded_demo``
fixture of tests/conftest.py), inside a transaction rolled back at the end; each test
still runs in its own savepoint.
"""

import re
from io import StringIO

from django.apps import apps
from django.core.management import call_command
from django.utils import formats, timezone

from accounts.models import User
from clusters.models import Cluster, ClusterMembership
from core.selectors import audit_events_for
from exchange import notifications as kinds
from exchange.funding import compute_funding, working_days
from exchange.models import ACTIVE_STATES as ACTIVE
from exchange.models import FUNDED_STATES as FUNDED
from exchange.models import (
    Application,
    ApplicationVersion,
    Call,
    Decision,
    Offer,
    Review,
    VisitReport,
    all_applicant_kinds,
)
from exchange.selectors import decision_queue, review_queue
from notifications.models import Notification

S = Application.Status
MEMBER = "member@demo.smartclusters.eu"
SECRETARIAT = "secretariat@demo.smartclusters.eu"


def seed_demo() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def open_call() -> Call:
    return Call.objects.get(closes_at__gt=timezone.now())


def closed_call() -> Call:
    return Call.objects.get(closes_at__lte=timezone.now())


def applications():
    return Application.objects.select_related(
        "call", "offer", "host", "applicant", "organisation", "sending_cluster"
    ).order_by("reference")


def demo_manager_logins(output: str) -> list[User]:
    emails = re.findall(r"Manager of .*?\s(manager@\S+)", output)
    assert emails
    return list(User.objects.filter(email__in=emails))


def test_seed_demo_adds_one_open_and_one_closed_call(demo_output):
    now, today = timezone.now(), timezone.localdate()
    assert Call.objects.count() == 2
    current, previous = open_call(), closed_call()
    assert current.status == Call.Status.OPEN
    assert previous.status == Call.Status.CLOSED
    assert 14 <= (now - current.opens_at).days <= 28
    assert 14 <= (current.closes_at - now).days <= 28
    assert 28 <= (current.visits_from - today).days <= 42
    assert 210 <= (current.visits_until - today).days <= 270
    assert previous.closes_at < current.opens_at
    assert previous.visits_until < today  # its visits are over
    assert "2 calls" in demo_output
    countries = set(Cluster.objects.values_list("country", flat=True))
    for call in (current, previous):
        call.full_clean()
        assert {c.code for c in call.eligible_countries} == countries
        assert sorted(call.eligible_kinds) == sorted(all_applicant_kinds())
        assert (call.min_days, call.max_days) == (3, 10)
        assert call.travel_bands.count() == 4
        assert call.country_caps.exists()
        assert call.visitor_cap
        assert call.funded_places
        assert call.daily_allowance
        assert "\n## " in call.description
        assert "\n- " in call.description
        assert call.created < call.opens_at
    assert current.series != previous.series  # the demo member visited in the closed one
    assert current.funded_places == 12


def test_offers_come_from_at_least_six_hosts_with_a_contact_in_their_team(demo_output):
    current = open_call()
    assert Offer.objects.filter(call=current).values("host").distinct().count() >= 6
    assert Offer.objects.filter(call=closed_call()).count() >= 3
    for offer in Offer.objects.select_related("call", "host", "contact", "created_by"):
        offer.full_clean()
        assert 1 <= offer.capacity <= 3
        assert offer.host.status == Cluster.Status.ACTIVE
        assert ClusterMembership.objects.filter(user=offer.contact, cluster=offer.host).exists()
        assert offer.created_by.email == f"manager@{offer.host.slug}.demo.smartclusters.eu"
        codes = set(offer.ecosystems.values_list("code", flat=True))
        assert codes
        assert codes <= set(offer.host.ecosystems.values_list("code", flat=True))
        assert offer.languages
        assert re.search(r"^(- |1\. )", offer.description, re.MULTILINE), offer.topic
        call = offer.call
        assert call.visits_from <= offer.available_from <= offer.available_until
        assert offer.available_until <= call.visits_until
        published = audit_events_for(offer).get(verb="exchange.offer_create")
        assert published.actor == offer.created_by
        assert published.created == offer.created < call.opens_at


def test_seeded_applications_are_in_every_state(demo_output):
    assert set(Application.objects.values_list("status", flat=True)) == set(S.values)
    assert f"{Application.objects.count()} applications" in demo_output


def test_demo_member_has_applications_in_several_states_abroad(demo_output):
    member = User.objects.get(email=MEMBER)
    mine = applications().filter(applicant=member)
    states = set(mine.values_list("status", flat=True))
    assert len(states) >= 4
    assert {S.DRAFT, S.SUBMITTED, S.HOST_ACCEPTED, S.REPORT_DUE} <= states
    assert member.organisation is not None
    for application in mine:
        assert application.organisation == member.organisation
        assert application.host.country != member.organisation.country


def test_the_demo_members_draft_can_be_submitted(demo_output):
    """A demo visitor logging in as the member can take the draft all the way."""
    from exchange.services import eligibility_problems

    draft = applications().get(applicant__email=MEMBER, status=S.DRAFT)
    assert eligibility_problems(draft) == []


def test_a_demo_manager_who_logs_in_has_applications_to_review(demo_output):
    waiting = [
        application
        for manager in demo_manager_logins(demo_output)
        for application in review_queue(user=manager).filter(status=S.SUBMITTED)
    ]
    assert waiting
    # The host's team is told in its inbox; one has waited over a week (a reminder is due).
    for application in waiting:
        assert Notification.objects.filter(
            kind=kinds.NEW_APPLICATION.name,
            link=application.get_absolute_url(),
            recipient__memberships__cluster=application.host,
        ).exists()
    assert Application.objects.filter(
        status=S.SUBMITTED,
        submitted_at__lt=timezone.now() - timezone.timedelta(days=kinds.REVIEW_WAITING_DAYS),
    ).exists()


def test_the_secretariat_has_applications_to_decide(demo_output):
    secretariat = User.objects.get(email=SECRETARIAT)
    queue = decision_queue()
    assert queue.filter(status=S.HOST_ACCEPTED).count() >= 2
    assert queue.filter(status=S.HOST_DECLINED).exists()
    for application in queue.filter(status=S.HOST_ACCEPTED):
        assert Notification.objects.filter(
            recipient=secretariat,
            kind=kinds.HOST_ACCEPTED.name,
            link=application.get_absolute_url(),
            read_at=None,
        ).exists()


def test_seeding_notifies_in_the_inbox_only(demo_output):
    exchange = Notification.objects.filter(link__startswith="/exchange/")
    assert exchange.count() >= 40
    assert not Notification.objects.filter(
        email_state__in=[
            Notification.EmailState.PENDING,
            Notification.EmailState.SENT,
            Notification.EmailState.DIGEST,
        ]
    ).exists()
    assert set(exchange.values_list("email_state", flat=True)) == {
        Notification.EmailState.NOT_EMAILED
    }
    now = timezone.now()
    assert all(n.created < now for n in exchange)
    # Last spring's news has been read; what still waits for someone has not.
    old = exchange.filter(created__lt=now - timezone.timedelta(days=30))
    assert old.exists()
    assert not old.filter(read_at=None).exists()
    assert exchange.filter(read_at=None).exists()


def test_every_application_is_consistent(demo_output):
    today, now = timezone.localdate(), timezone.now()
    current = open_call()
    for application in applications():
        application.full_clean()
        call, offer, status = application.call, application.offer, application.status
        ref = application.reference
        assert application.end_date >= application.start_date
        assert offer is not None
        assert offer.host == application.host
        assert offer.call == call
        assert offer.available_from <= application.start_date
        assert application.end_date <= offer.available_until
        assert call.visits_from <= application.start_date
        assert application.end_date <= call.visits_until
        days = working_days(application.start_date, application.end_date)
        assert call.min_days <= days <= call.max_days, ref
        assert application.host.country != application.organisation.country
        assert application.travel_from_country == application.organisation.country
        funding = compute_funding(
            call=call,
            host_country=application.host.country.code,
            start=application.start_date,
            end=application.end_date,
            distance_km=application.distance_km,
        )
        assert application.funding_requested == funding.amount, ref
        assert ref.startswith(f"CX-{timezone.localtime(application.created).year}-")
        if status == S.DRAFT:
            assert call == current
            assert application.submitted_at is None
        else:
            assert call.opens_at <= application.submitted_at <= call.closes_at, ref
            assert call.opens_at <= application.created <= application.submitted_at, ref
        if status in {S.REPORT_DUE, S.COMPLETED}:
            assert application.end_date < today, ref
            assert application.report_due_at.date() > application.end_date
        if status == S.APPROVED:
            assert application.end_date >= today, ref
        if status == S.COMPLETED:
            report = VisitReport.objects.get(application=application)
            report.full_clean()
            assert application.report_due_at < report.created < now
        for decision in application.decisions.all():
            assert decision.created.date() < application.start_date
        # The timeline happened in the order it was acted out, and in the past.
        events = list(audit_events_for(application).order_by("created", "id"))
        assert [e.pk for e in events] == sorted(e.pk for e in events), ref
        assert events[0].verb == "exchange.create"
        assert all(e.created < now for e in events)
        assert application.updated == events[-1].created
        assert all(e.object_repr == ref for e in events)


def test_the_rules_held_for_every_round(demo_output):
    for offer in Offer.objects.all():
        assert offer.applications.filter(status__in=ACTIVE).count() <= offer.capacity
    for call in Call.objects.all():
        funded = Application.objects.filter(call=call, status__in=FUNDED)
        assert funded.count() <= call.funded_places
        organisations = list(funded.values_list("organisation", flat=True))
        assert len(organisations) == len(set(organisations)), "one visit per organisation"
        active = list(Application.objects.filter(call=call, status__in=ACTIVE))
        for a in active:
            for b in active:
                if a.pk < b.pk and a.applicant_id == b.applicant_id:
                    assert a.end_date < b.start_date or b.end_date < a.start_date


def test_applications_have_their_history_versions_reviews_and_decisions(demo_output):
    secretariat = User.objects.get(email=SECRETARIAT)
    for application in applications():
        verbs = [e.verb for e in audit_events_for(application).order_by("created", "id")]
        submitted = application.status != S.DRAFT
        assert application.versions.exists() == submitted
        if submitted:
            assert verbs[:2] == ["exchange.create", "exchange.submit"]
            submit = audit_events_for(application).get(verb="exchange.submit")
            assert submit.actor == application.applicant
            assert application.versions.last().created == submit.created
        review = Review.objects.filter(application=application).first()
        if application.status in {S.HOST_ACCEPTED, S.HOST_DECLINED, S.MORE_INFO}:
            assert review is not None
        if review is not None:
            assert review.comment
            assert ClusterMembership.objects.filter(
                user=review.reviewer, cluster=application.host
            ).exists()
            event = audit_events_for(application).get(verb="exchange.review")
            assert (event.actor, event.created) == (review.reviewer, review.created)
        for decision in application.decisions.all():
            assert decision.decided_by == secretariat
            assert decision.message
        if application.status == S.REJECTED:
            assert application.decisions.first().outcome == Decision.Outcome.REJECTED
        if application.status == S.WITHDRAWN:
            withdrawal = audit_events_for(application).get(verb="exchange.withdraw")
            assert withdrawal.comment
            assert withdrawal.created.date() < application.start_date
    # The more-information loop: edited, resubmitted, both versions kept.
    resubmitted = ApplicationVersion.objects.filter(number=2).get().application
    assert resubmitted.status == S.APPROVED
    verbs = [e.verb for e in audit_events_for(resubmitted).order_by("created", "id")]
    assert verbs[-4:] == [
        "exchange.more_info",
        "exchange.update",
        "exchange.resubmit",
        "exchange.approved",
    ]
    first, second = resubmitted.versions.order_by("number")
    assert first.data["learning_goals"] != second.data["learning_goals"]


def test_notifications_of_the_closed_round_give_the_visit_dates_it_had(demo_output):
    """The closed round was acted ahead and moved back: the texts moved with it."""
    for application in applications().filter(call=closed_call()):
        dates = {
            formats.date_format(day, "j M Y")
            for day in (application.start_date, application.end_date)
        }
        notified = Notification.objects.filter(
            link=application.get_absolute_url(),
            kind__in=[kinds.NEW_APPLICATION.name, kinds.HOST_ACCEPTED.name, kinds.WITHDRAWN.name],
        )
        assert notified.exists()
        for notification in notified:
            assert dates <= set(re.findall(r"\d{1,2} \w{3} \d{4}", notification.body))
        assert notified.get(kind=kinds.NEW_APPLICATION.name).created == application.submitted_at
        for version in application.versions.all():
            assert version.data["start_date"] == str(application.start_date)


def test_running_seed_demo_again_adds_and_changes_nothing(demo_output):
    def snapshot():
        return {
            model._meta.label: list(model._default_manager.order_by("pk").values())
            for model in apps.get_models()
            if model._meta.app_label in {"exchange", "notifications", "core", "accounts"}
        }

    counts = {model._meta.label: model._default_manager.count() for model in apps.get_models()}
    before = snapshot()

    again = seed_demo()

    assert "nothing added" in again
    assert {m._meta.label: m._default_manager.count() for m in apps.get_models()} == counts
    assert snapshot() == before
