"""Synthetic applications over five years of calls (``manage.py seed_scale --applications``);
see the package's docstring for the distributions."""

import random
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from clusters.demo_scale import (
    COUNTRIES,
    ScaleCluster,
    ScaleMember,
)
from core.demo_scale import PROSE, insert, skewed_index, weighted
from exchange.models import Application, Call, Offer, TravelBand

from . import BANDS, TOPICS

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
    from .outcomes import write_outcomes  # its module imports this one

    write_outcomes(rng, plans, ids)
    return len(plans)
