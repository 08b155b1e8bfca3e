"""Drafting: a cluster's team writes and edits a practice, its tags and its slug."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.text import slugify

from clusters.models import Cluster, ClusterMembership
from core.services import assign, record

from ..models import Practice, Tag
from ..permissions import (
    can_edit_practice,
)
from .messages import EDITABLE_FIELDS, NOT_YOUR_CLUSTER, S

if TYPE_CHECKING:
    from collections.abc import Iterable

    from accounts.models import User
    from clusters.models import Ecosystem


def parse_tags(text: str) -> list[str]:
    names: list[str] = []
    for raw in (text or "").split(","):
        name = " ".join(raw.split())[:50]
        if name and slugify(name) and name.lower() not in {n.lower() for n in names}:
            names.append(name)
    return names[:10]


def _existing_tags(wanted: dict[str, str]) -> dict[str, Tag]:
    """The tags already there for ``{slug: name}``, keyed by the slug asked for: matched
    by slug ("Open data" and "open data" are one tag), else by name (a tag whose slug
    was edited in the admin)."""
    tags = list(Tag.objects.filter(Q(slug__in=wanted) | Q(name__in=wanted.values())))
    by_slug = {tag.slug: tag for tag in tags}
    by_name = {tag.name: tag for tag in tags}
    found = {slug: by_slug.get(slug) or by_name.get(name) for slug, name in wanted.items()}
    return {slug: tag for slug, tag in found.items() if tag is not None}


def _set_tags(practice: Practice, names: list[str]) -> None:
    """Give ``practice`` these tags, creating the new ones.

    Safe when two practices bring the same new tag at once: new tags are inserted with
    ON CONFLICT DO NOTHING, so an insert that meets another transaction's uncommitted
    tag waits for it and then does nothing, and the tag is read back once committed
    (no IntegrityError, one shared tag). They are inserted in slug order, so two such
    inserts take the unique index entries in the same order and cannot deadlock.
    """
    wanted: dict[str, str] = {}
    for name in names:
        wanted.setdefault(slugify(name), name)
    tags = _existing_tags(wanted)
    missing = sorted(slug for slug in wanted if slug not in tags)
    if missing:
        Tag.objects.bulk_create(
            [Tag(name=wanted[slug], slug=slug) for slug in missing], ignore_conflicts=True
        )
        tags = _existing_tags(wanted)
    practice.tags.set(tags.values())


def _unique_slug(title: str) -> str:
    base = slugify(title)[:200] or "practice"
    slug, n = base, 2
    while Practice.objects.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


def _save_with_a_free_slug(practice: Practice, tries: int = 5) -> None:
    """Insert ``practice``; if another practice took its slug meanwhile (created at the
    same moment with the same title), pick the next free slug and try again."""
    for attempt in range(tries):
        try:
            with transaction.atomic():  # a savepoint: the outer transaction goes on
                practice.save()
            return
        except IntegrityError:
            if attempt == tries - 1 or not Practice.objects.filter(slug=practice.slug).exists():
                raise  # not the slug (or still taken after several tries)
            practice.slug = _unique_slug(practice.title)


@transaction.atomic
def practice_create(
    *,
    actor: User,
    cluster: Cluster,
    data: dict[str, Any],
    ecosystems: Iterable[Ecosystem],
    tags: list[str],
) -> Practice:
    """A manager or staff member of ``cluster`` starts a practice (a draft)."""
    if not ClusterMembership.objects.filter(user=actor, cluster=cluster).exists():
        raise PermissionDenied(NOT_YOUR_CLUSTER)
    practice = Practice(
        cluster=cluster,
        author=actor,
        slug=_unique_slug(data["title"]),
        status=S.DRAFT,
        **{k: v for k, v in data.items() if k in EDITABLE_FIELDS},
    )
    practice.full_clean()
    _save_with_a_free_slug(practice)
    practice.ecosystems.set(ecosystems)
    _set_tags(practice, tags)
    record(actor=actor, verb="practice.create", target=practice, to_state=S.DRAFT)
    return practice


@transaction.atomic
def practice_update(
    *,
    practice: Practice,
    actor: User,
    data: dict[str, Any],
    ecosystems: Iterable[Ecosystem],
    tags: list[str],
) -> Practice:
    practice = Practice.objects.select_for_update().get(pk=practice.pk)
    if not can_edit_practice(actor, practice):
        raise PermissionDenied
    changes = assign(practice, data, fields=EDITABLE_FIELDS)
    practice.full_clean()
    practice.save()
    practice.ecosystems.set(ecosystems)
    _set_tags(practice, tags)
    if changes:
        record(actor=actor, verb="practice.update", target=practice, changes=changes)
    return practice
