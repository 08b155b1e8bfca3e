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
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.models import User
from clusters.demo import ecosystems_by_code
from clusters.demo_scale import BATCH_SIZE, COUNTRIES, SLUG_PREFIX, USER_DOMAIN
from clusters.models import Cluster
from exchange.models import Application, Call, Offer, TravelBand

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


# Applications over five years of calls (applications.py); the command imports both here.
from .applications import seed_applications  # noqa: E402
from .outcomes import targets  # noqa: E402

__all__ = ["BANDS", "SCALE_CALL", "TOPICS", "seed_applications", "seed_offers", "targets"]
