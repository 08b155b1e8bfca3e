"""Large synthetic data for benchmarks: N clusters, a manager each, M member SMEs each.

Everything is written with bulk_create, a handful of queries per kind of object,
so 5,000 clusters take seconds. The data is drawn from one random generator
seeded with --seed, row by row in slug order, so the same seed always gives the
same cluster behind the same slug. Slugs are ``scale-000001`` and up; a rerun
skips the slugs that exist and only adds the missing ones.
"""

import random
import time
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from clusters.management.commands.seed_demo import ecosystems_by_code
from clusters.models import Cluster, ClusterLabel, ClusterMembership, Organisation

SLUG_PREFIX = "scale-"
ORG_PREFIX = "Scale Org "
USER_DOMAIN = ".scale.example.org"
BATCH_SIZE = 1000
SCALE_CALL = "Scale benchmark call"
BANDS = [(0, "50"), (100, "180"), (500, "275"), (2000, "360")]
TOPICS = ["Living lab", "Smart grid pilot", "Open data platform", "Circular construction"]

PLACES = {
    "AT": [("Vienna", "Vienna"), ("Styria", "Graz"), ("Upper Austria", "Linz")],
    "BE": [("Flanders", "Antwerp"), ("Flanders", "Ghent"), ("Wallonia", "Liège")],
    "CZ": [("Prague", "Prague"), ("South Moravia", "Brno")],
    "DE": [("Bavaria", "Munich"), ("Hamburg", "Hamburg"), ("Saxony", "Dresden")],
    "DK": [("Capital Region", "Copenhagen"), ("Central Denmark", "Aarhus")],
    "EE": [("Harju", "Tallinn"), ("Tartu", "Tartu")],
    "ES": [("Catalonia", "Barcelona"), ("Valencian Community", "Valencia")],
    "FI": [("Uusimaa", "Helsinki"), ("Pirkanmaa", "Tampere")],
    "FR": [("Auvergne-Rhône-Alpes", "Lyon"), ("Occitanie", "Toulouse")],
    "GR": [("Attica", "Athens"), ("Central Macedonia", "Thessaloniki")],
    "IE": [("Leinster", "Dublin"), ("Munster", "Cork")],
    "IT": [("Lombardy", "Milan"), ("Piedmont", "Turin"), ("Apulia", "Bari")],
    "NL": [("North Holland", "Amsterdam"), ("North Brabant", "Eindhoven")],
    "PL": [("Masovia", "Warsaw"), ("Lower Silesia", "Wrocław")],
    "PT": [("Norte", "Porto"), ("Lisbon", "Lisbon")],
    "RO": [("Cluj", "Cluj-Napoca"), ("Bucharest-Ilfov", "Bucharest")],
    "SE": [("Västra Götaland", "Gothenburg"), ("Stockholm", "Stockholm")],
    "SI": [("Central Slovenia", "Ljubljana")],
}
COUNTRIES = sorted(PLACES)
ECOSYSTEM_NAMES = {
    "mobility": "Mobility",
    "energy": "Energy",
    "environment": "Green",
    "ict": "Digital",
}
ECOSYSTEM_CODES = list(ECOSYSTEM_NAMES)
LABELS = [Cluster.Label.NONE, Cluster.Label.BRONZE, Cluster.Label.SILVER, Cluster.Label.GOLD]
LABEL_WEIGHTS = [55, 20, 15, 10]
LEGAL_FORMS = [choice for choice, _ in Cluster.LegalForm.choices]
MEMBER_KINDS = [Organisation.Kind.SME, Organisation.Kind.STARTUP]
MEMBER_SIZES = [Organisation.Size.MICRO, Organisation.Size.SMALL, Organisation.Size.MEDIUM]
FIRST_NAMES = [
    "Anna",
    "Luca",
    "Marta",
    "Jonas",
    "Sofia",
    "Pieter",
    "Eva",
    "Mateusz",
    "Ines",
    "Karl",
]
LAST_NAMES = ["Novak", "Rossi", "Schmidt", "Garcia", "Janssen", "Silva", "Nielsen", "Kowalski"]


@dataclass
class MemberPlan:
    organisation: Organisation
    email: str
    name: str


@dataclass
class ClusterPlan:
    cluster: Cluster
    ecosystems: list[str]
    manager_email: str
    manager_name: str
    members: list[MemberPlan] = field(default_factory=list)


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def plan_cluster(rng: random.Random, number: int, members_per_cluster: int) -> ClusterPlan:
    """Draw one cluster. Always draws the same amount for the same inputs, so the
    rows after it do not depend on which ones already exist."""
    slug = f"{SLUG_PREFIX}{number:06d}"
    country = rng.choice(COUNTRIES)
    region, city = rng.choice(PLACES[country])
    ecosystems = sorted(rng.sample(ECOSYSTEM_CODES, rng.randint(1, 3)))
    label = rng.choices(LABELS, weights=LABEL_WEIGHTS)[0]
    label_year = rng.randint(2012, 2025)
    themes = " & ".join(ECOSYSTEM_NAMES[code] for code in ecosystems)
    cluster = Cluster(
        slug=slug,
        name=f"{city} {themes} Cluster {number}",
        acronym=f"SC{number}",
        country=country,
        region=region,
        city=city,
        website=f"https://{slug}.example.org",
        contact_email=f"info@{slug}.example.org",
        description=f"A synthetic {themes.lower()} cluster in {city} for benchmarks.",
        year_founded=rng.randint(1995, 2023),
        legal_form=rng.choice(LEGAL_FORMS),
        members_smes=rng.randint(5, 250),
        members_large=rng.randint(0, 30),
        members_research=rng.randint(0, 20),
        members_public=rng.randint(0, 15),
        members_other=rng.randint(0, 10),
        label=label,
        label_year=None if label == Cluster.Label.NONE else label_year,
        offers=f"Study visits and {themes.lower()} know-how.",
        needs="Partners for joint projects and exchange visits.",
        status=Cluster.Status.INACTIVE if rng.random() < 0.05 else Cluster.Status.ACTIVE,
    )
    plan = ClusterPlan(
        cluster=cluster,
        ecosystems=ecosystems,
        manager_email=f"manager@{slug}{USER_DOMAIN}",
        manager_name=_person(rng),
    )
    for j in range(1, members_per_cluster + 1):
        organisation = Organisation(
            name=f"{ORG_PREFIX}{number:06d}-{j}",
            country=country,
            kind=rng.choice(MEMBER_KINDS),
            size=rng.choice(MEMBER_SIZES),
        )
        plan.members.append(
            MemberPlan(
                organisation=organisation,
                email=f"member{j}@{slug}{USER_DOMAIN}",
                name=_person(rng),
            )
        )
    return plan


class Command(BaseCommand):
    help = "Seed many synthetic clusters (prefix scale-) for benchmarks. Rerunnable."

    def add_arguments(self, parser):
        parser.add_argument("--clusters", type=int, required=True, help="How many clusters.")
        parser.add_argument(
            "--members-per-cluster",
            type=int,
            default=2,
            help="Member organisations per cluster, each with one member user (default 2).",
        )
        parser.add_argument(
            "--seed", type=int, default=0, help="Random seed; the same seed gives the same data."
        )
        parser.add_argument(
            "--offers",
            type=int,
            default=0,
            help="Exchange offers in one open call, with one submitted application each.",
        )

    def handle(self, *args, **options):
        count, per_cluster = options["clusters"], options["members_per_cluster"]
        if count < 0 or per_cluster < 0:
            raise CommandError("--clusters and --members-per-cluster must not be negative.")
        started = time.perf_counter()
        rng = random.Random(options["seed"])
        plans = [plan_cluster(rng, number, per_cluster) for number in range(1, count + 1)]
        if options["offers"] < 0:
            raise CommandError("--offers must not be negative.")
        with transaction.atomic():
            created = self._write(plans)
            created["offers"] = self._offers(rng, options["offers"]) if options["offers"] else 0
        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {created['clusters']} clusters ({count - created['clusters']} already "
                f"there), {created['organisations']} member organisations and "
                f"{created['users']} users and {created['offers']} exchange offers "
                f"in {elapsed:.1f} s."
            )
        )

    def _write(self, plans: list[ClusterPlan]) -> dict[str, int]:
        existing = set(
            Cluster.objects.filter(slug__startswith=SLUG_PREFIX).values_list("slug", flat=True)
        )
        plans = [plan for plan in plans if plan.cluster.slug not in existing]
        if not plans:
            return {"clusters": 0, "organisations": 0, "users": 0}
        cluster_ids = self._clusters(plans)
        org_ids, organisations = self._organisations(plans, cluster_ids)
        user_ids, users = self._users(plans, org_ids)
        ClusterMembership.objects.bulk_create(
            [
                ClusterMembership(
                    user_id=user_ids[plan.manager_email],
                    cluster_id=cluster_ids[plan.cluster.slug],
                    role=ClusterMembership.Role.MANAGER,
                )
                for plan in plans
            ],
            batch_size=BATCH_SIZE,
            ignore_conflicts=True,
        )
        return {"clusters": len(plans), "organisations": organisations, "users": users}

    def _offers(self, rng: random.Random, count: int) -> int:
        """One open call with ``count`` offers from the scale clusters, each with one
        submitted application by a member of another cluster. Skipped when it exists."""
        from exchange.models import Application, Call, Offer, TravelBand

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
            User.objects.filter(
                email__endswith=USER_DOMAIN, organisation__isnull=False
            ).values_list("id", "organisation_id", "country")
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
        offers = list(
            Offer.objects.filter(call=call).values_list("id", "host_id", "available_from")
        )
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

    def _clusters(self, plans: list[ClusterPlan]) -> dict[str, int]:
        Cluster.objects.bulk_create([plan.cluster for plan in plans], batch_size=BATCH_SIZE)
        # Read the ids back rather than rely on bulk_create setting them (not every
        # backend returns them).
        cluster_ids = dict(
            Cluster.objects.filter(slug__startswith=SLUG_PREFIX).values_list("slug", "id")
        )
        ecosystem_ids = {code: ecosystem.pk for code, ecosystem in ecosystems_by_code().items()}
        through = Cluster.ecosystems.through
        through.objects.bulk_create(
            [
                through(cluster_id=cluster_ids[plan.cluster.slug], ecosystem_id=ecosystem_ids[code])
                for plan in plans
                for code in plan.ecosystems
            ],
            batch_size=BATCH_SIZE,
            ignore_conflicts=True,
        )
        # Each cluster's label is a recorded one, as the secretariat records them.
        ClusterLabel.objects.bulk_create(
            [
                ClusterLabel(
                    cluster_id=cluster_ids[plan.cluster.slug],
                    level=plan.cluster.label,
                    year=plan.cluster.label_year,
                    confirmed=True,
                )
                for plan in plans
                if plan.cluster.label != Cluster.Label.NONE
            ],
            batch_size=BATCH_SIZE,
            ignore_conflicts=True,
        )
        return cluster_ids

    def _organisations(
        self, plans: list[ClusterPlan], cluster_ids: dict[str, int]
    ) -> tuple[dict[str, int], int]:
        existing = set(
            Organisation.objects.filter(name__startswith=ORG_PREFIX).values_list("name", flat=True)
        )
        new = [
            member.organisation
            for plan in plans
            for member in plan.members
            if member.organisation.name not in existing
        ]
        Organisation.objects.bulk_create(new, batch_size=BATCH_SIZE)
        org_ids = dict(
            Organisation.objects.filter(name__startswith=ORG_PREFIX).values_list("name", "id")
        )
        through = Organisation.clusters.through
        through.objects.bulk_create(
            [
                through(
                    organisation_id=org_ids[member.organisation.name],
                    cluster_id=cluster_ids[plan.cluster.slug],
                )
                for plan in plans
                for member in plan.members
            ],
            batch_size=BATCH_SIZE,
            ignore_conflicts=True,
        )
        return org_ids, len(new)

    def _users(
        self, plans: list[ClusterPlan], org_ids: dict[str, int]
    ) -> tuple[dict[str, int], int]:
        existing = set(
            User.objects.filter(email__endswith=USER_DOMAIN).values_list("email", flat=True)
        )
        # One hash for everyone: hashing thousands of passwords would take minutes.
        password = make_password(settings.DEMO_PASSWORD)
        people = []
        for plan in plans:
            country = plan.cluster.country
            people.append((plan.manager_email, plan.manager_name, country, None))
            people.extend(
                (member.email, member.name, country, org_ids[member.organisation.name])
                for member in plan.members
            )
        new = [
            User(
                email=email,
                name=name,
                country=country,
                organisation_id=organisation_id,
                password=password,
            )
            for email, name, country, organisation_id in people
            if email not in existing
        ]
        User.objects.bulk_create(new, batch_size=BATCH_SIZE)
        user_ids = dict(User.objects.filter(email__endswith=USER_DOMAIN).values_list("email", "id"))
        EmailAddress.objects.bulk_create(
            [
                EmailAddress(
                    user_id=user_ids[user.email], email=user.email, verified=True, primary=True
                )
                for user in new
            ],
            batch_size=BATCH_SIZE,
            ignore_conflicts=True,
        )
        return user_ids, len(new)
