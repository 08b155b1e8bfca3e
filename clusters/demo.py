"""The demo network's step of ``manage.py seed_demo``: the secretariat, the clusters,
their teams and labels, member SMEs and a join request, from ``clusters/demo.toml``.

The network is seed data, so it is written straight to the models (there is no
actor, nothing to notify and no history to record), except for the labels, which
the secretariat records through the service. Every object is looked up by its
natural key first and only created when missing; an existing row is never
modified, so a second run adds nothing and changes nothing. The people and
organisations helpers here serve the other apps' steps too.
"""

from collections.abc import Sequence
from datetime import timedelta
from functools import cache
from pathlib import Path
from typing import Any

from allauth.account.models import EmailAddress
from django_countries import countries

from accounts.models import User
from clusters.models import (
    Cluster,
    ClusterFollow,
    ClusterLabel,
    ClusterMembership,
    Ecosystem,
    JoinRequest,
    Organisation,
)
from clusters.services import cluster_follow, cluster_label_record
from core.demo import DemoRun, backdate_events, check, load_data, require

DATA = Path(__file__).with_name("demo.toml")
DEMO_DOMAIN = "demo.smartclusters.eu"
SECRETARIAT_EMAIL = f"secretariat@{DEMO_DOMAIN}"
MEMBER_EMAIL = f"member@{DEMO_DOMAIN}"
CLUSTER_FIELDS = ("slug", "name", "acronym", "country", "region", "city", "year_founded")
PROFILE_FIELDS = (
    "legal_form",
    "ecosystems",
    "members",
    "label",
    "description",
    "offers",
    "needs",
    "manager",
)


def manager_email(slug: str) -> str:
    return f"manager@{slug}.{DEMO_DOMAIN}"


def staff_email(slug: str) -> str:
    return f"staff@{slug}.{DEMO_DOMAIN}"


def ecosystems_by_code() -> dict[str, Ecosystem]:
    """The four fixed rows come from a migration, but `manage.py flush` deletes them:
    put back any that are missing rather than seed clusters without ecosystems."""
    return {
        code: Ecosystem.objects.get_or_create(code=code, defaults={"name": str(name)})[0]
        for code, name in Ecosystem.CODES
    }


ECOSYSTEM_CODES = [code for code, _name in Ecosystem.CODES]
COUNTRY_CODES = frozenset(dict(countries))


def check_person(data: dict, *, path: Path, slugs: Sequence[str]) -> None:
    """A member (here or an exchange applicant): their country and organisation."""
    entry = f"member {data.get('email')!r}"
    require(data, ("email", "name", "country", "organisation"), path=path, entry=entry)
    check(data["country"], COUNTRY_CODES, path=path, entry=entry, field_name="country")
    org = data["organisation"]
    check(org["kind"], Organisation.Kind.values, path=path, entry=entry, field_name="kind")
    check(org["size"], Organisation.Size.values, path=path, entry=entry, field_name="size")
    check(org["clusters"], slugs, path=path, entry=entry, field_name="cluster")


def check_data(data: dict, path: Path = DATA) -> dict:
    slugs = [cluster["slug"] for cluster in data["clusters"]]
    for cluster in data["clusters"]:
        entry = f"cluster {cluster['slug']!r}"
        require(cluster, (*CLUSTER_FIELDS, *PROFILE_FIELDS), path=path, entry=entry)
        if cluster["label"] != Cluster.Label.NONE:
            require(cluster, ("label_year",), path=path, entry=entry)
        for field_name, allowed in (
            ("country", COUNTRY_CODES),
            ("legal_form", Cluster.LegalForm.values),
            ("label", Cluster.Label.values),
            ("status", Cluster.Status.values),
            ("ecosystems", ECOSYSTEM_CODES),
        ):
            if field_name in cluster:
                check(cluster[field_name], allowed, path=path, entry=entry, field_name=field_name)
    for member in data["members"]:
        check_person(member, path=path, slugs=slugs)
    join = data["join_request"]
    entry = f"join request {join['name']!r}"
    check(join["country"], COUNTRY_CODES, path=path, entry=entry, field_name="country")
    check(
        join["legal_form"],
        JoinRequest.LegalForm.values,
        path=path,
        entry=entry,
        field_name="legal_form",
    )
    check(join["ecosystems"], ECOSYSTEM_CODES, path=path, entry=entry, field_name="ecosystems")
    return data


@cache
def content() -> dict[str, Any]:
    return check_data(load_data(DATA))


def logins() -> list[tuple[str, str]]:
    """The demo logins the command prints: one of each role."""
    clusters = content()["clusters"]
    return [
        ("Secretariat (admin)", SECRETARIAT_EMAIL),
        *((f"Manager of {data['name']}", manager_email(data["slug"])) for data in clusters[:3]),
        (f"Staff of {clusters[0]['name']}", staff_email(clusters[0]["slug"])),
        ("Member (SME)", MEMBER_EMAIL),
    ]


def _member_counts(counts: dict[str, int]) -> dict[str, int]:
    return {f"members_{kind}": n for kind, n in counts.items()}


def user(run: DemoRun, *, email: str, name: str, country: str = "", **extra: Any) -> User:
    found = User.objects.filter(email__iexact=email).first()
    if found is None:
        found = User.objects.create(
            email=email, name=name, country=country, password=run.password_hash(), **extra
        )
        run.count(User, True)
    _, created = EmailAddress.objects.get_or_create(
        user=found, email=email, defaults={"verified": True, "primary": True}
    )
    run.count(EmailAddress, created)
    return found


def cluster(run: DemoRun, data: dict, ecosystems: dict[str, Ecosystem]) -> Cluster:
    row, created = Cluster.objects.get_or_create(
        slug=data["slug"],
        defaults={
            **{key: data[key] for key in CLUSTER_FIELDS[1:]},
            "website": f"https://{data['slug']}.example.eu",
            "contact_email": f"info@{data['slug']}.example.eu",
            "description": data["description"],
            "legal_form": data["legal_form"],
            "offers": data["offers"],
            "needs": data["needs"],
            "status": data.get("status", Cluster.Status.ACTIVE),
            **_member_counts(data["members"]),
        },
    )
    if created:
        row.ecosystems.set([ecosystems[code] for code in data["ecosystems"]])
    run.count(Cluster, created)
    return row


def label(run: DemoRun, row: Cluster, data: dict, *, secretariat: User) -> None:
    """The cluster's label, recorded by the secretariat (labels are not self-declared)."""
    if data["label"] == Cluster.Label.NONE:
        return
    if row.labels.filter(level=data["label"], year=data["label_year"]).exists():
        run.count(ClusterLabel, False)
        return
    cluster_label_record(
        cluster=row, actor=secretariat, level=data["label"], year=data["label_year"]
    )
    run.count(ClusterLabel, True)


def organisation(
    run: DemoRun,
    *,
    name: str,
    country: str,
    kind: str,
    size: str,
    clusters: Sequence[Cluster] = (),
) -> Organisation:
    row, created = Organisation.objects.get_or_create(
        name__iexact=name,
        country=country,
        defaults={"name": name, "kind": kind, "size": size},
    )
    if created:
        row.clusters.set(clusters)
    run.count(Organisation, created)
    return row


def team(run: DemoRun, row: Cluster, data: dict) -> None:
    """The cluster's manager (and staff member, if any), employed by the cluster
    organisation itself."""
    employer = organisation(
        run,
        name=row.name,
        country=row.country.code,
        kind=Organisation.Kind.CLUSTER,
        size=Organisation.Size.SMALL,
    )
    people = [(manager_email(row.slug), data["manager"], ClusterMembership.Role.MANAGER)]
    if data.get("staff"):
        people.append((staff_email(row.slug), data["staff"], ClusterMembership.Role.STAFF))
    for email, name, role in people:
        person = user(run, email=email, name=name, country=row.country.code, organisation=employer)
        _, created = ClusterMembership.objects.get_or_create(
            user=person, cluster=row, defaults={"role": role}
        )
        run.count(ClusterMembership, created)


def member(run: DemoRun, data: dict, clusters: dict[str, Cluster]) -> User:
    org = data["organisation"]
    employer = organisation(
        run,
        name=org["name"],
        country=data["country"],
        kind=org["kind"],
        size=org["size"],
        clusters=[clusters[slug] for slug in org["clusters"]],
    )
    return user(
        run, email=data["email"], name=data["name"], country=data["country"], organisation=employer
    )


def join_request(run: DemoRun, data: dict, ecosystems: dict[str, Ecosystem]) -> JoinRequest:
    fields = {k: v for k, v in data.items() if k not in {"requester", "ecosystems", "members"}}
    row, created = JoinRequest.objects.get_or_create(
        requester=User.objects.get(email=data["requester"]),
        name=fields.pop("name"),
        defaults={**fields, **_member_counts(data["members"])},
    )
    if created:
        row.ecosystems.set([ecosystems[code] for code in data["ecosystems"]])
    run.count(JoinRequest, created)
    return row


def follow(run: DemoRun, *, user: User, cluster: Cluster, days_ago: int) -> None:
    """``user`` follows ``cluster``, since ``days_ago`` days."""
    created = cluster_follow(cluster=cluster, user=user)
    if created:
        when = run.now - timedelta(days=days_ago)
        ClusterFollow.objects.filter(cluster=cluster, user=user).update(created=when)
        backdate_events(cluster, {"cluster.follow": when}, actor=user)
    run.count(ClusterFollow, created)


def seed(run: DemoRun) -> tuple[User, dict[str, Cluster]]:
    """The network; returns the secretariat and the clusters by slug for the next steps."""
    data = content()
    ecosystems = ecosystems_by_code()
    secretariat = user(run, **data["secretariat"], is_staff=True, is_superuser=True)
    clusters = {}
    for cluster_data in data["clusters"]:
        clusters[cluster_data["slug"]] = row = cluster(run, cluster_data, ecosystems)
        label(run, row, cluster_data, secretariat=secretariat)
        team(run, row, cluster_data)
    for member_data in data["members"]:
        member(run, member_data, clusters)
    join_request(run, data["join_request"], ecosystems)
    return secretariat, clusters
