"""Synthetic exchange data for benchmarks: offers in one open call (``manage.py
seed_scale --offers``) and applications over five years of calls (``--applications``).

Applications: ten calls, one every six months, the last one open now, each with about one
offer per four applications; more applications in later calls. Application ``n`` has the
reference ``CX-<year>-S<n:05d>`` (the S keeps it apart from the references the services
number, so the counter needs no change), and a rerun adds only the missing numbers. The
states follow the call's age: the open call's are drafts (20 %), waiting for the host
(35 %), accepted by the host (15 %), more information asked (8 %), declined (7 %),
approved (8 %), rejected (4 %), withdrawn (3 %); the last closed call's are visiting
(approved 35 %, report due 15 %, completed 15 %, ...); older calls' are mostly completed
(62 %), rejected (15 %), declined (8 %), withdrawn (7 %). Reviews, decisions and visit
reports exist for the states that have them; visits start on a Monday and last 3, 5 or
10 working days; the funding requested is the allowance plus the travel band.
"""

import random
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from accounts.models import User
from clusters.demo import ecosystems_by_code
from clusters.demo_scale import (
    BATCH_SIZE,
    COUNTRIES,
    SLUG_PREFIX,
    USER_DOMAIN,
    ScaleCluster,
    ScaleMember,
)
from clusters.models import Cluster
from core.demo_scale import PROSE, insert, skewed_index, weighted
from exchange.models import Application, Call, Decision, Offer, Review, TravelBand, VisitReport

SCALE_CALL = "Scale benchmark call"
BANDS = [(0, "50"), (100, "180"), (500, "275"), (2000, "360")]
TOPICS = ["Living lab", "Smart grid pilot", "Open data platform", "Circular construction"]


def seed_offers(rng: random.Random, count: int) -> int:
    """One open call with ``count`` offers from the scale clusters, each with one
    submitted application by a member of another cluster. Skipped when it exists."""
    if Call.objects.filter(title=SCALE_CALL).exists():
        return 0
    now = timezone.now()
    today = timezone.localdate()
    call = Call.objects.create(
        title=SCALE_CALL,
        series=SCALE_CALL,
        description="Synthetic call for benchmarks.",
        opens_at=now - timedelta(days=10),
        closes_at=now + timedelta(days=365),
        visits_from=today + timedelta(days=30),
        visits_until=today + timedelta(days=400),
        eligible_countries=",".join(COUNTRIES),
        funded_places=count,
        daily_allowance=Decimal("100"),
    )
    TravelBand.objects.bulk_create(
        [TravelBand(call=call, from_km=km, amount=Decimal(a)) for km, a in BANDS]
    )
    clusters = list(
        Cluster.objects.filter(slug__startswith=SLUG_PREFIX).values_list("id", "country")
    )
    members = list(
        User.objects.filter(email__endswith=USER_DOMAIN, organisation__isnull=False).values_list(
            "id", "organisation_id", "country"
        )
    )
    if not clusters or not members:
        return 0
    ecosystem_ids = [e.pk for e in ecosystems_by_code().values()]
    offers = []
    for number in range(count):
        host_id, _country = clusters[number % len(clusters)]
        start = call.visits_from + timedelta(days=rng.randrange(0, 200))
        offers.append(
            Offer(
                call=call,
                host_id=host_id,
                topic=f"{rng.choice(TOPICS)} {number + 1}",
                description="Meet our members and see our pilots.",
                languages="English",
                available_from=start,
                available_until=start + timedelta(days=90),
                capacity=rng.randint(1, 3),
            )
        )
    Offer.objects.bulk_create(offers, batch_size=BATCH_SIZE)
    offers = list(Offer.objects.filter(call=call).values_list("id", "host_id", "available_from"))
    through = Offer.ecosystems.through
    through.objects.bulk_create(
        [
            through(offer_id=offer_id, ecosystem_id=rng.choice(ecosystem_ids))
            for offer_id, _host, _start in offers
        ],
        batch_size=BATCH_SIZE,
        ignore_conflicts=True,
    )
    countries = dict(clusters)
    applications = []
    for number, (offer_id, host_id, start) in enumerate(offers):
        user_id, org_id, country = members[rng.randrange(len(members))]
        start = start + timedelta(days=(7 - start.weekday()) % 7)
        applications.append(
            Application(
                reference=f"CX-SCALE-{number + 1:06d}",
                call=call,
                offer_id=offer_id,
                host_id=host_id,
                applicant_id=user_id,
                organisation_id=org_id,
                applicant_kind="sme",
                motivation="Learn from the host.",
                learning_goals="Pilots.",
                expected_results="A partnership.",
                start_date=start,
                end_date=start + timedelta(days=4),
                travel_from_city="Somewhere",
                travel_from_country=country or countries[host_id],
                distance_km=rng.randint(150, 2500),
                status=Application.Status.SUBMITTED,
                submitted_at=now - timedelta(days=rng.randint(0, 20)),
            )
        )
    Application.objects.bulk_create(applications, batch_size=BATCH_SIZE)
    return len(offers)


# ------------------------------------------------------------------------------
# Applications over five years of calls (``manage.py seed_scale --applications N``)

CALL_PREFIX = "Scale call "
CALLS = 10  # one every six months; the last one is open now
CALL_WEEKS = 8
REFERENCE = re.compile(r"^CX-\d{4}-S(\d{5})$")
AS = Application.Status
# The workflow's states by where a call is in its life: the open call's applications are
# still moving, last year's are visiting and reporting, older ones are mostly done.
STATES_OPEN = {
    AS.DRAFT: 20,
    AS.SUBMITTED: 35,
    AS.HOST_ACCEPTED: 15,
    AS.MORE_INFO: 8,
    AS.HOST_DECLINED: 7,
    AS.APPROVED: 8,
    AS.REJECTED: 4,
    AS.WITHDRAWN: 3,
}
STATES_VISITING = {
    AS.APPROVED: 35,
    AS.REPORT_DUE: 15,
    AS.COMPLETED: 15,
    AS.REJECTED: 15,
    AS.HOST_DECLINED: 8,
    AS.WITHDRAWN: 7,
    AS.MORE_INFO: 3,
    AS.SUBMITTED: 2,
}
STATES_PAST = {
    AS.COMPLETED: 67,
    AS.REJECTED: 15,
    AS.HOST_DECLINED: 8,
    AS.WITHDRAWN: 7,
    AS.REPORT_DUE: 3,  # reports long overdue
}
REVIEWED = {
    AS.HOST_ACCEPTED,
    AS.HOST_DECLINED,
    AS.MORE_INFO,
    AS.APPROVED,
    AS.REJECTED,
    AS.REPORT_DUE,
    AS.COMPLETED,
}
DECIDED = {AS.APPROVED: "approved", AS.REPORT_DUE: "approved", AS.COMPLETED: "approved"}
DECIDED |= {AS.REJECTED: "rejected", AS.MORE_INFO: "more_info"}
VISITED = {AS.REPORT_DUE, AS.COMPLETED}
# Visit length in working days → calendar days from the first Monday to the last day.
LENGTHS = {3: 2, 5: 4, 10: 11}
ALLOWANCE = Decimal("100")
APPLICATION_COLUMNS = (
    "reference",
    "call_id",
    "offer_id",
    "host_id",
    "applicant_id",
    "organisation_id",
    "sending_cluster_id",
    "applicant_kind",
    "motivation",
    "learning_goals",
    "expected_results",
    "start_date",
    "end_date",
    "travel_from_city",
    "travel_from_country",
    "distance_km",
    "funding_requested",
    "funding_rule",
    "status",
    "submitted_at",
    "report_due_at",
    "paid_at",
    "created",
    "updated",
)


@dataclass
class ScaleCall:
    id: int
    opens_at: datetime
    closes_at: datetime
    visits_from: date
    visits_until: date
    series: str
    offers: list[tuple[int, int, date, date]]  # id, host id, available from, until


@dataclass
class ApplicationPlan:
    number: int
    reference: str
    values: tuple[Any, ...]  # APPLICATION_COLUMNS
    host_manager_id: int | None
    reviewed_at: datetime | None
    decided_at: datetime | None
    satisfaction: int


def _call_times(index: int, now: datetime) -> tuple[datetime, datetime, date, date]:
    opens = (now - timedelta(days=182 * (CALLS - 1 - index) + 21)).replace(
        hour=9, minute=0, second=0, microsecond=0
    )
    closes = opens + timedelta(weeks=CALL_WEEKS)
    visits_from = closes.date() + timedelta(days=14)
    return opens, closes, visits_from, visits_from + timedelta(days=240)


def _calls(rng: random.Random, count: int, clusters: list[ScaleCluster]) -> list[ScaleCall]:
    """The ten scale calls with their offers, made on the first run; each call gets about
    one offer per four applications it will receive (hosts drawn from the clusters)."""
    now = timezone.now()
    existing = {call.title: call for call in Call.objects.filter(title__startswith=CALL_PREFIX)}
    calls = []
    for index in range(CALLS):
        opens, closes, visits_from, visits_until = _call_times(index, now)
        season = "spring" if opens.month < 7 else "autumn"
        title = f"{CALL_PREFIX}{index + 1:02d}: ClusterXchange {opens.year} {season}"
        call = next((c for t, c in existing.items() if t.startswith(title[:14])), None)
        offer_rng = random.Random(f"{rng.random()}:{index}")  # same draws for every run
        if call is None:
            call = Call.objects.create(
                title=title,
                series=f"ClusterXchange {opens.year} (scale)",
                description=PROSE.text(offer_rng, 2, 3, per=(2, 4)),
                opens_at=opens,
                closes_at=closes,
                visits_from=visits_from,
                visits_until=visits_until,
                eligible_countries=",".join(COUNTRIES),
                funded_places=max(10, count // CALLS // 2),
                daily_allowance=ALLOWANCE,
                visitor_cap=Decimal("1100"),
            )
            TravelBand.objects.bulk_create(
                [TravelBand(call=call, from_km=km, amount=Decimal(a)) for km, a in BANDS]
            )
            _offers(offer_rng, call, max(5, count // CALLS // 4), clusters)
        offers = list(
            Offer.objects.filter(call=call)
            .order_by("id")
            .values_list("id", "host_id", "available_from", "available_until")
        )
        calls.append(
            ScaleCall(
                call.pk,
                call.opens_at,
                call.closes_at,
                call.visits_from,
                call.visits_until,
                call.series,
                offers,
            )
        )
    return calls


def _offers(rng: random.Random, call: Call, count: int, clusters: list[ScaleCluster]) -> None:
    rows, ecosystems = [], []
    for number in range(count):
        host = clusters[skewed_index(rng, len(clusters), 1.5)]
        start = call.visits_from + timedelta(days=rng.randrange(0, 120))
        rows.append(
            (
                call.pk,
                host.id,
                f"{rng.choice(TOPICS)} {number + 1}",
                PROSE.text(rng, 1, 3, per=(2, 5)),
                rng.choice(["English", "English, German", "English, French", "English, Spanish"]),
                start,
                min(call.visits_until, start + timedelta(days=rng.choice([60, 90, 120]))),
                rng.randint(1, 3),
                host.manager_id,
                host.manager_id,
                True,
                call.opens_at - timedelta(days=rng.randint(1, 20)),
                call.opens_at - timedelta(days=rng.randint(0, 1)),
            )
        )
        ecosystems.append(host.ecosystem_ids[:1])
    insert(
        Offer,
        (
            "call_id",
            "host_id",
            "topic",
            "description",
            "languages",
            "available_from",
            "available_until",
            "capacity",
            "contact_id",
            "created_by_id",
            "is_active",
            "created",
            "updated",
        ),
        rows,
    )
    ids = Offer.objects.filter(call=call).order_by("id").values_list("id", flat=True)
    insert(
        Offer.ecosystems.through,
        ("offer_id", "ecosystem_id"),
        ((pk, ecosystem) for pk, codes in zip(ids, ecosystems, strict=True) for ecosystem in codes),
    )


def _monday(day: date) -> date:
    return day + timedelta(days=(7 - day.weekday()) % 7)


def plan_application(
    rng: random.Random,
    number: int,
    call_index: int,
    call: ScaleCall,
    applicant_cluster: ScaleCluster,
    alternate: ScaleCluster,
    by_id: dict[int, ScaleCluster],
    now: datetime,
) -> ApplicationPlan:
    """Draw one application; the same amount of randomness whatever it turns out to be."""
    today = now.date()
    offer_id, host_id, available_from, available_until = call.offers[
        rng.randrange(len(call.offers))
    ]
    if call_index == CALLS - 1:
        status = weighted(rng, STATES_OPEN)
    elif call_index == CALLS - 2:
        status = weighted(rng, STATES_VISITING)
    else:
        status = weighted(rng, STATES_PAST)
    workdays = rng.choice([3, 5, 5, 5, 10])
    if applicant_cluster.id == host_id:
        applicant_cluster = alternate
    member = applicant_cluster.members[rng.randrange(len(applicant_cluster.members))]
    room = max(1, (available_until - available_from).days - 16)
    start = _monday(available_from + timedelta(days=rng.randrange(room)))
    if status in VISITED and start + timedelta(days=LENGTHS[workdays] + 1) >= today:
        start = _monday(available_from)  # the earliest it could be
        if start + timedelta(days=LENGTHS[workdays] + 1) >= today:
            status = AS.APPROVED  # the visit has not ended yet
    if status == AS.APPROVED and call_index < CALLS - 1 and start + timedelta(days=14) < today:
        status = AS.REPORT_DUE  # the daily job moves a visit that has ended to "report due"
    end = start + timedelta(days=LENGTHS[workdays])
    window = (min(now, call.closes_at) - call.opens_at).total_seconds()
    created = call.opens_at + timedelta(seconds=int(window * rng.random()))
    submitted = min(now, created + timedelta(hours=rng.randint(1, 120)))
    reviewed = min(now, submitted + timedelta(days=rng.randint(2, 14), hours=rng.randint(0, 9)))
    decided = min(now, reviewed + timedelta(days=rng.randint(3, 20), hours=rng.randint(0, 9)))
    report_opened = timezone.make_aware(datetime.combine(end + timedelta(days=1), time(6)))
    reported = min(now, report_opened + timedelta(days=rng.randint(2, 28)))
    paid = reported + timedelta(days=rng.randint(5, 30))
    paid_share = rng.random()
    distance = rng.randint(150, 2500)
    band = max((km, Decimal(amount)) for km, amount in BANDS if km <= distance)[1]
    funding = ALLOWANCE * workdays + band
    host = by_id[host_id]
    satisfaction = rng.choices([5, 4, 3, 2, 1], weights=[40, 35, 15, 7, 3])[0]
    texts = [PROSE.text(rng, 1, 2, per=(2, 4)) for _ in range(3)]
    reference = f"CX-{call.opens_at.year}-S{number:05d}"
    values = (
        reference,
        call.id,
        offer_id,
        host_id,
        member.user_id,
        member.organisation_id,
        applicant_cluster.id,
        applicant_kind_for(member),
        *texts,
        start,
        end,
        applicant_cluster.city,
        member.country or applicant_cluster.country,
        distance,
        funding,
        f"{workdays} working days × {ALLOWANCE} EUR + travel {band} EUR ({distance} km)",
        status,
        None if status == AS.DRAFT else submitted,
        report_opened if status in VISITED else None,
        paid if status == AS.COMPLETED and paid < now and paid_share < 0.8 else None,
        created,
        {AS.DRAFT: created, AS.SUBMITTED: submitted, AS.WITHDRAWN: submitted}.get(
            status, reported if status == AS.COMPLETED else decided
        ),
    )
    return ApplicationPlan(
        number=number,
        reference=reference,
        values=values,
        host_manager_id=host.manager_id,
        reviewed_at=reviewed if status in REVIEWED else None,
        decided_at=decided if status in DECIDED else None,
        satisfaction=satisfaction,
    )


def applicant_kind_for(member: ScaleMember) -> str:
    return {"sme": "sme", "startup": "startup", "research": "research"}.get(member.kind, "other")


def existing_application_numbers() -> set[int]:
    numbers = set()
    for reference in Application.objects.filter(reference__startswith="CX-").values_list(
        "reference", flat=True
    ):
        match = REFERENCE.match(reference)
        if match:
            numbers.add(int(match.group(1)))
    return numbers


def seed_applications(rng: random.Random, count: int, clusters: list[ScaleCluster]) -> int:
    """Applications 1..``count`` over ten calls of five years (the last one open now), in
    every state of the workflow, with the host's review, the secretariat's decision and
    the visit report where their state has them. Returns how many were added."""
    with_members = [cluster for cluster in clusters if cluster.members]
    if count <= 0 or len(with_members) < 2:
        return 0
    now = timezone.now()
    calls = _calls(rng, count, clusters)
    by_id = {cluster.id: cluster for cluster in clusters}
    # More applications in later calls, as the scheme grows.
    weights = [1 + 0.15 * index for index in range(CALLS)]
    # Each series walks its own shuffled list of applicants' clusters, so an organisation
    # rarely applies twice in one series (the scheme funds one visit per series).
    order: dict[str, list[ScaleCluster]] = {}
    walked: dict[str, int] = {}
    plans = []
    for number in range(1, count + 1):
        index = rng.choices(range(CALLS), weights=weights)[0]
        call = calls[index]
        if call.series not in order:
            order[call.series] = random.Random(f"{call.series}:{rng.random()}").sample(
                with_members, len(with_members)
            )
        step = walked.get(call.series, 0)
        walked[call.series] = step + 1
        walk = order[call.series]
        applicant_cluster = walk[step % len(walk)]
        alternate = walk[(step + 1) % len(walk)]
        plans.append(
            plan_application(rng, number, index, call, applicant_cluster, alternate, by_id, now)
        )
    have = existing_application_numbers()
    plans = [plan for plan in plans if plan.number not in have]
    if not plans:
        return 0
    insert(Application, APPLICATION_COLUMNS, (plan.values for plan in plans))
    ids = dict(
        Application.objects.filter(reference__in=[plan.reference for plan in plans]).values_list(
            "reference", "id"
        )
    )
    _outcomes(rng, plans, ids)
    return len(plans)


def _outcomes(rng: random.Random, plans: list[ApplicationPlan], ids: dict[str, int]) -> None:
    status_at = APPLICATION_COLUMNS.index("status")
    funding_at = APPLICATION_COLUMNS.index("funding_requested")
    applicant_at = APPLICATION_COLUMNS.index("applicant_id")
    report_at = APPLICATION_COLUMNS.index("updated")
    insert(
        Review,
        ("application_id", "reviewer_id", "recommendation", "comment", "created"),
        (
            (
                ids[plan.reference],
                plan.host_manager_id,
                "decline" if plan.values[status_at] == AS.HOST_DECLINED else "accept",
                "Fits our members' interests." if plan.number % 3 else "",
                plan.reviewed_at,
            )
            for plan in plans
            if plan.reviewed_at
        ),
    )
    insert(
        Decision,
        ("application_id", "decided_by_id", "outcome", "message", "funding_granted", "created"),
        (
            (
                ids[plan.reference],
                None,
                DECIDED[plan.values[status_at]],
                "",
                plan.values[funding_at] if DECIDED[plan.values[status_at]] == "approved" else None,
                plan.decided_at,
            )
            for plan in plans
            if plan.decided_at
        ),
    )
    insert(
        VisitReport,
        (
            "application_id",
            "what_happened",
            "results",
            "contacts",
            "follow_up",
            "satisfaction",
            "submitted_by_id",
            "created",
        ),
        (
            (
                ids[plan.reference],
                PROSE.text(rng, 1, 2, per=(3, 5)),
                PROSE.text(rng, 1, 1, per=(2, 4)),
                "Met the host's members and two city departments.",
                PROSE.text(rng, 1, 1, per=(1, 3)),
                plan.satisfaction,
                plan.values[applicant_at],
                plan.values[report_at],
            )
            for plan in plans
            if plan.values[status_at] == AS.COMPLETED
        ),
    )


def targets(rng: random.Random, limit: int) -> list[tuple[str, str, str]]:
    """Up to ``limit`` scale applications a notification may be about."""
    rows = list(
        Application.objects.filter(call__title__startswith=CALL_PREFIX)
        .order_by("reference")
        .values_list("id", "reference")
    )
    rows = rng.sample(rows, min(limit, len(rows)))
    return [
        (f"exchange.application:{pk}", Application(pk=pk).get_absolute_url(), reference)
        for pk, reference in rows
    ]
