"""Large synthetic clusters for benchmarks (``manage.py seed_scale``): N clusters,
a manager each, M member SMEs each.

Everything is written with bulk_create, a handful of queries per kind of object,
so 5,000 clusters take seconds. The data is drawn from one random generator
seeded with --seed, row by row in slug order, so the same seed always gives the
same cluster behind the same slug. Slugs are ``scale-000001`` and up; a rerun
skips the slugs that exist and only adds the missing ones. The names and places
are data, in ``clusters/demo_scale.toml``.
"""

import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password

from accounts.models import User
from clusters.demo import COUNTRY_CODES, ecosystems_by_code
from clusters.demo import ECOSYSTEM_CODES as DEMO_ECOSYSTEMS
from clusters.models import Cluster, ClusterLabel, ClusterMembership, Organisation
from core.demo import check, load_data

SLUG_PREFIX = "scale-"
ORG_PREFIX = "Scale Org "
USER_DOMAIN = ".scale.example.org"
BATCH_SIZE = 1000

DATA = Path(__file__).with_name("demo_scale.toml")


def load(path: Path = DATA) -> dict[str, Any]:
    data = load_data(path)
    check(list(data["places"]), COUNTRY_CODES, path=path, entry="places", field_name="country")
    check(
        list(data["ecosystem_names"]),
        DEMO_ECOSYSTEMS,
        path=path,
        entry="ecosystem_names",
        field_name="ecosystem",
    )
    return data


CONTENT = load()
PLACES: dict[str, list[list[str]]] = CONTENT["places"]
COUNTRIES = sorted(PLACES)
ECOSYSTEM_NAMES: dict[str, str] = CONTENT["ecosystem_names"]
ECOSYSTEM_CODES = list(ECOSYSTEM_NAMES)
LABELS = [Cluster.Label.NONE, Cluster.Label.BRONZE, Cluster.Label.SILVER, Cluster.Label.GOLD]
LABEL_WEIGHTS = [55, 20, 15, 10]
LEGAL_FORMS = [choice for choice, _ in Cluster.LegalForm.choices]
MEMBER_KINDS = [Organisation.Kind.SME, Organisation.Kind.STARTUP]
MEMBER_SIZES = [Organisation.Size.MICRO, Organisation.Size.SMALL, Organisation.Size.MEDIUM]
FIRST_NAMES: list[str] = CONTENT["first_names"]
LAST_NAMES: list[str] = CONTENT["last_names"]


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


def write(plans: list[ClusterPlan]) -> dict[str, int]:
    existing = set(
        Cluster.objects.filter(slug__startswith=SLUG_PREFIX).values_list("slug", flat=True)
    )
    plans = [plan for plan in plans if plan.cluster.slug not in existing]
    if not plans:
        return {"clusters": 0, "organisations": 0, "users": 0}
    cluster_ids = _clusters(plans)
    org_ids, organisations = _organisations(plans, cluster_ids)
    user_ids, users = _users(plans, org_ids)
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


def _clusters(plans: list[ClusterPlan]) -> dict[str, int]:
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
    plans: list[ClusterPlan], cluster_ids: dict[str, int]
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


def _users(plans: list[ClusterPlan], org_ids: dict[str, int]) -> tuple[dict[str, int], int]:
    existing = set(User.objects.filter(email__endswith=USER_DOMAIN).values_list("email", flat=True))
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


@dataclass(frozen=True)
class ScaleMember:
    user_id: int
    organisation_id: int
    kind: str  # Organisation.Kind
    country: str


@dataclass(frozen=True)
class ScaleCluster:
    """A seeded cluster as the other apps' scale data need it: who can author, lead, host
    or apply for it."""

    id: int
    slug: str
    country: str
    city: str
    ecosystem_ids: tuple[int, ...]
    manager_id: int | None
    members: tuple[ScaleMember, ...]


def network() -> list[ScaleCluster]:
    """The seeded clusters in slug order, with their ecosystems, manager and members
    (five queries, whatever the size)."""
    rows = list(
        Cluster.objects.filter(slug__startswith=SLUG_PREFIX)
        .order_by("slug")
        .values_list("id", "slug", "country", "city")
    )
    ecosystems: dict[int, list[int]] = {}
    through = Cluster.ecosystems.through
    for cluster_id, ecosystem_id in (
        through.objects.filter(cluster__slug__startswith=SLUG_PREFIX)
        .order_by("cluster_id", "ecosystem_id")
        .values_list("cluster_id", "ecosystem_id")
    ):
        ecosystems.setdefault(cluster_id, []).append(ecosystem_id)
    managers = dict(
        ClusterMembership.objects.filter(
            cluster__slug__startswith=SLUG_PREFIX,
            role=ClusterMembership.Role.MANAGER,
            user__email__startswith="manager@",
        ).values_list("cluster_id", "user_id")
    )
    org_cluster = dict(
        Organisation.clusters.through.objects.filter(
            organisation__name__startswith=ORG_PREFIX
        ).values_list("organisation_id", "cluster_id")
    )
    members: dict[int, list[ScaleMember]] = {}
    for user_id, org_id, kind, country in (
        User.objects.filter(email__endswith=USER_DOMAIN, organisation__name__startswith=ORG_PREFIX)
        .order_by("email")
        .values_list("id", "organisation_id", "organisation__kind", "country")
    ):
        cluster_id = org_cluster.get(org_id)
        if cluster_id is not None:
            members.setdefault(cluster_id, []).append(
                ScaleMember(user_id=user_id, organisation_id=org_id, kind=kind, country=country)
            )
    return [
        ScaleCluster(
            id=cluster_id,
            slug=slug,
            country=country,
            city=city,
            ecosystem_ids=tuple(ecosystems.get(cluster_id, ())),
            manager_id=managers.get(cluster_id),
            members=tuple(members.get(cluster_id, ())),
        )
        for cluster_id, slug, country, city in rows
    ]


def targets(
    rng: random.Random, clusters: list[ScaleCluster], limit: int
) -> list[tuple[str, str, str]]:
    """Up to ``limit`` seeded clusters a notification may be about: (target key, link,
    name)."""
    chosen = rng.sample(clusters, min(limit, len(clusters)))
    names = dict(Cluster.objects.filter(pk__in=[c.id for c in chosen]).values_list("id", "name"))
    return [
        (f"clusters.cluster:{c.id}", Cluster(slug=c.slug).get_absolute_url(), names[c.id])
        for c in chosen
    ]
