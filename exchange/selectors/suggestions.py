""" "Suggested for you" on /exchange/: open offers abroad that match a member's clusters,
scored in the database (the page loads the few it shows, not the offers it ranks)."""

from __future__ import annotations

from functools import reduce
from operator import add
from typing import TYPE_CHECKING

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat, Least, Lower

from accounts.permissions import is_authenticated
from clusters.models import Cluster, Ecosystem

from ..models import Application, Call, Offer
from . import _offers, clusters_of_member

if TYPE_CHECKING:
    from datetime import datetime

    from django.db.models import Expression

    from accounts.types import AnyUser

# The open offers a suggestion is chosen among: the first by date (as the list shows them).
SCANNED = 200
# A word of a cluster's needs counts if it is longer than this; at most MAX_WORDS count.
MIN_WORD = 5
MAX_WORDS = 3


def suggested_offers(*, user: AnyUser, limit: int = 3, now: datetime | None = None) -> list[Offer]:
    """Open offers that match the member: 2 points for each ecosystem shared with their
    clusters, 1 for each word of their clusters' needs in the offer's topic or description
    (at most 3); only hosts abroad, with places left, not already applied to; among the
    first ``SCANNED`` open offers, best score first, then the soonest. (The exchange page
    keeps what it renders of them per person: exchange/views/browse.py.)"""
    if not is_authenticated(user):
        return []
    mine = clusters_of_member(user=user)
    clusters = list(mine.values_list("pk", "needs"))
    codes = set(
        Ecosystem.objects.filter(clusters__in=[pk for pk, _ in clusters]).values_list(
            "code", flat=True
        )
    )
    needs = {w.lower() for _, text in clusters for w in text.split() if len(w) > MIN_WORD}
    if not codes and not needs:
        return []
    home = user.organisation.country.code if user.organisation_id else user.country.code  # type: ignore[union-attr, attr-defined]  # organisation is set with its id; CountryField: a Country
    candidates = (
        Offer.objects.filter(is_active=True, call__in=Call.objects.open(now))
        .exclude(host_id__in=[pk for pk, _ in clusters])
        .exclude(
            Exists(
                Application.objects.filter(offer=OuterRef("pk"), applicant=user).exclude(
                    status=Application.Status.WITHDRAWN
                )
            )
        )
    )
    if home:  # a subquery, not a join of every open offer to its host
        candidates = candidates.exclude(host__in=Cluster.objects.filter(country=home).values("pk"))
    scanned = candidates.order_by("available_from", "topic").values("pk")[:SCANNED]
    scored = (
        _offers()
        .filter(pk__in=scanned)
        .annotate(
            shared=_shared_ecosystems(codes),
            text=Lower(Concat("topic", Value(" "), "description", output_field=TextField())),
        )
        .annotate(score=F("shared") * 2 + Least(_words_found(needs), Value(MAX_WORDS)))
        .filter(Q(taken__lt=F("capacity")), Q(score__gt=0))  # annotations mypy cannot see
        .order_by("-score", "available_from", "pk")
    )
    return list(scored[:limit])


def _shared_ecosystems(codes: set[str]) -> Expression:
    if not codes:
        return Value(0)
    shared = Offer.ecosystems.through.objects.filter(
        offer=OuterRef("pk"), ecosystem__code__in=codes
    ).order_by()
    counted = shared.values("offer").annotate(n=Count("pk"))
    return Coalesce(Subquery(counted.values("n")), 0)  # type: ignore[misc]  # n: annotated


def _words_found(needs: set[str]) -> Expression:
    """How many of the words appear in the offer's lower-cased ``text``."""
    found = [Case(When(Q(text__contains=w), then=Value(1)), default=Value(0)) for w in needs]
    return reduce(add, found, Value(0))
