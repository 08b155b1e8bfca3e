"""Synthetic practices for benchmarks (``manage.py seed_scale --practices N``).

Practice number ``n`` has the slug ``scale-<n:06d>-<its title>``; a rerun skips the numbers
that exist. Every practice is drawn, existing or not, so the same --seed gives the same
practice behind the same number. bulk_create bypasses ``Practice.save()``: the search
vector is filled here afterwards (PostgreSQL), for the new rows only.

Distributions: created over the last five years (more of them recent); mostly published
(78 %), then submitted (6 %), draft (6 %), changes requested (5 %), archived (3 %) and
rejected (2 %); submissions waiting or sent back are recent (the last four months); a
few busy clusters write many practices, most write one or none; each is written by its
cluster's manager, in one of the cluster's ecosystems (sometimes two), with 0-5 tags.
"""

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.db import connection
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from clusters.demo_scale import ScaleCluster
from core.demo import load_data
from core.demo_scale import PROSE, Lexicon, insert, moment, skewed_index, weighted
from practices.models import Practice, Tag

SLUG_PREFIX = "scale-"
DATA = Path(__file__).with_name("demo_scale.toml")
CONTENT: dict[str, Any] = load_data(DATA)
PS = Practice.Status
STATES = {
    PS.PUBLISHED: 78,
    PS.SUBMITTED: 6,
    PS.DRAFT: 6,
    PS.CHANGES_REQUESTED: 5,
    PS.ARCHIVED: 3,
    PS.REJECTED: 2,
}
CATEGORIES = {
    Practice.Category.MANAGEMENT: 30,
    Practice.Category.VALUE: 35,
    Practice.Category.THEMATIC: 35,
}
FEEDBACK = [
    "Please add figures on the results and what the pilot cost.",
    "The description is a project report: tell other clusters what to copy and how.",
    "Could you say who paid for it and whether it still runs?",
    "Out of scope for the repository: this is an event announcement.",
]


COLUMNS = (
    "title",
    "slug",
    "cluster_id",
    "author_id",
    "category",
    "summary",
    "problem",
    "description",
    "resources",
    "evidence",
    "difficulties",
    "transfer_potential",
    "start_year",
    "end_year",
    "status",
    "reviewer_feedback",
    "submitted_at",
    "published_at",
    "created",
    "updated",
    "search_vector",
)
TEXTS = COLUMNS[5:12]


@dataclass
class PracticePlan:
    """One practice as drawn: its text kept as sentence numbers until it is written."""

    number: int
    slug: str
    values: dict[str, Any]
    texts: dict[str, list[list[int]]]
    ecosystem_ids: list[int]
    tags: list[str] = field(default_factory=list)

    def row(self, search_vector: str | None) -> tuple[Any, ...]:
        values = {**self.values, "slug": self.slug, "search_vector": search_vector}
        values.update((name, PROSE.render(self.texts[name])) for name in TEXTS)
        return tuple(values[column] for column in COLUMNS)


def slug_of(number: int, title: str) -> str:
    return f"{SLUG_PREFIX}{number:06d}-{slugify(title)[:80]}".rstrip("-")


def _title(rng: random.Random) -> str:
    title = (
        f"{rng.choice(CONTENT['title_starts'])} {rng.choice(CONTENT['title_things'])} "
        f"{rng.choice(CONTENT['title_ends'])}"
    ).strip()
    return title[0].upper() + title[1:]


def _maybe(rng: random.Random, share: float, low: int, high: int) -> list[list[int]]:
    return PROSE.paragraphs(rng, 1, 1, per=(low, high)) if rng.random() < share else []


def plan_practice(
    rng: random.Random, number: int, clusters: list[ScaleCluster], now: datetime
) -> PracticePlan:
    """Draw one practice; always the same amount of randomness for the same inputs."""
    cluster = clusters[skewed_index(rng, len(clusters), 2.5)]
    state = weighted(rng, STATES)
    title = _title(rng)
    recent = state in (PS.SUBMITTED, PS.CHANGES_REQUESTED, PS.DRAFT)
    created = moment(rng, now, years=0.33 if recent else 5)
    submitted = min(now, created + timedelta(days=rng.randint(1, 40), hours=rng.randint(0, 23)))
    decided = min(now, submitted + timedelta(days=rng.randint(1, 21), hours=rng.randint(0, 23)))
    start_year = max(1990, created.year - rng.choice([0, 0, 1, 1, 2, 3, 5]))
    end_year = None if rng.random() < 0.7 else min(created.year, start_year + rng.randint(0, 4))
    texts = {
        "summary": PROSE.limited(rng, 2, 3, 400),
        "problem": PROSE.paragraphs(rng, 1, 2, per=(2, 5)),
        "description": PROSE.paragraphs(rng, 2, 5, per=(3, 7)),
        "resources": _maybe(rng, 0.8, 1, 3),
        "evidence": PROSE.paragraphs(rng, 1, 2, per=(2, 4)) if rng.random() < 0.85 else [],
        "difficulties": _maybe(rng, 0.6, 1, 4),
        "transfer_potential": _maybe(rng, 0.7, 1, 3),
    }
    values = {
        "title": title,
        "cluster_id": cluster.id,
        "author_id": cluster.manager_id,
        "category": weighted(rng, CATEGORIES),
        "start_year": start_year,
        "end_year": end_year,
        "status": state,
        "reviewer_feedback": rng.choice(FEEDBACK)
        if state in (PS.CHANGES_REQUESTED, PS.REJECTED)
        else "",
        "submitted_at": None if state == PS.DRAFT else submitted,
        "published_at": decided if state in (PS.PUBLISHED, PS.ARCHIVED) else None,
        "created": created,
        "updated": created if state == PS.DRAFT else decided,
    }
    ecosystem_ids = list(cluster.ecosystem_ids[:1])
    if len(cluster.ecosystem_ids) > 1 and rng.random() < 0.35:
        ecosystem_ids = list(cluster.ecosystem_ids[:2])
    tags = rng.sample(CONTENT["tags"], rng.choice([0, 1, 2, 2, 3, 3, 4, 5]))
    return PracticePlan(number, slug_of(number, title), values, texts, ecosystem_ids, tags)


def existing_numbers() -> set[int]:
    return {
        int(slug[len(SLUG_PREFIX) : len(SLUG_PREFIX) + 6])
        for slug in Practice.objects.filter(slug__startswith=SLUG_PREFIX).values_list(
            "slug", flat=True
        )
        if slug[len(SLUG_PREFIX) : len(SLUG_PREFIX) + 6].isdigit()
    }


def seed_practices(rng: random.Random, count: int, clusters: list[ScaleCluster]) -> int:
    """Practices 1..``count`` of the seeded clusters; returns how many were added."""
    if count <= 0 or not clusters:
        return 0
    now = timezone.now()
    plans = [plan_practice(rng, number, clusters, now) for number in range(1, count + 1)]
    have = existing_numbers()
    plans = [plan for plan in plans if plan.number not in have]
    if not plans:
        return 0
    tag_ids = _tags()
    vectors = _search_vectors(plans) if connection.vendor == "postgresql" else [None] * len(plans)
    insert(
        Practice,
        COLUMNS,
        (plan.row(vector) for plan, vector in zip(plans, vectors, strict=True)),
    )
    ids = dict(Practice.objects.filter(slug__startswith=SLUG_PREFIX).values_list("slug", "id"))
    insert(
        Practice.ecosystems.through,
        ("practice_id", "ecosystem_id"),
        ((ids[plan.slug], pk) for plan in plans for pk in plan.ecosystem_ids),
    )
    insert(
        Practice.tags.through,
        ("practice_id", "tag_id"),
        ((ids[plan.slug], tag_ids[name]) for plan in plans for name in plan.tags),
    )
    return len(plans)


def _search_vectors(plans: list[PracticePlan]) -> list[str]:
    """What ``Practice.save()`` stores (``search_vector_expression``: the title weighted A,
    the summary B, the problem, description and evidence C, each vector shifted by the
    highest position of those before it), put together from the sentences' lexemes."""
    lexicon = Lexicon(PROSE.sentences)
    titles = sorted({plan.values["title"] for plan in plans})
    title_lexemes = dict(zip(titles, lexicon.lex(titles), strict=True))
    vectors = []
    for plan in plans:
        prefixes, positions, _length, top = title_lexemes[plan.values["title"]]
        entries = [
            f"{prefix}{position}A" for prefix, position in zip(prefixes, positions, strict=True)
        ]
        top = lexicon.field(plan.texts["summary"], entries, top, "B")
        body = plan.texts["problem"] + plan.texts["description"] + plan.texts["evidence"]
        lexicon.field(body, entries, top, "C")
        vectors.append(" ".join(entries))
    return vectors


def _tags() -> dict[str, int]:
    wanted = {slugify(name): name for name in CONTENT["tags"]}
    Tag.objects.bulk_create(
        [Tag(name=name, slug=slug) for slug, name in wanted.items()], ignore_conflicts=True
    )
    rows = Tag.objects.filter(Q(slug__in=wanted) | Q(name__in=wanted.values()))
    by_slug = {slug: pk for pk, slug, _name in rows.values_list("id", "slug", "name")}
    by_name = {name: pk for pk, _slug, name in rows.values_list("id", "slug", "name")}
    return {name: by_slug.get(slug) or by_name[name] for slug, name in wanted.items()}


def targets(rng: random.Random, limit: int) -> list[tuple[str, str, str]]:
    """Up to ``limit`` seeded practices a notification may be about: (target key, link,
    title)."""
    rows = list(
        Practice.objects.filter(slug__startswith=SLUG_PREFIX)
        .order_by("slug")
        .values_list("id", "slug", "title")
    )
    rows = rng.sample(rows, min(limit, len(rows)))
    return [
        (
            f"practices.practice:{pk}",
            reverse("practices:detail", kwargs={"slug": slug}),
            title,
        )
        for pk, slug, title in rows
    ]
