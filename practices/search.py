"""The practices' search: which practices match some words, and in which order.

On PostgreSQL, full-text search (stemming, ``websearch`` syntax: quoted phrases, ``or``,
``-word``) against three ``tsvector`` columns the database generates from the text
itself (so no write, bulk ``.update()`` included, can leave them behind), each with a GIN
index: the title, the title and summary, and everything searchable. On SQLite (tests,
development) every word must appear in one of the fields.

The order: the practices whose title matches first, then those whose summary matches,
then the others, the newest first within each tier. A relevance score (``ts_rank``) has to
be computed for every match before the first page can be shown: a common word ("energy")
is in nearly every one of 40,000 practices, and ranking them all took most of a second.
Tiers read only the rows of the page: each tier is walked newest first and stops when
the page is full, the way ``practice_related`` picks its tiers. The count stops at
``SEARCH_RESULTS_MAX`` for the same reason ("more than 1,000 practices").
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.postgres.search import SearchQuery, SearchVector, SearchVectorField
from django.db import connection
from django.db.models import Func, Q

if TYPE_CHECKING:
    from collections.abc import Iterator

    from django.db.models import QuerySet

SEARCH_CONFIG = "english"
SEARCH_RESULTS_MAX = 1000
# SQLite: at most this many words are required.
MAX_WORDS = 8


class PostgresOnly(Func):
    """A ``tsvector`` computed by PostgreSQL; NULL on SQLite, which has no full-text
    search (``GeneratedField`` expressions: the same migration runs on both)."""

    template = "%(expressions)s"
    output_field = SearchVectorField()

    def as_sqlite(
        self, compiler: Any, connection: Any, **extra_context: Any
    ) -> tuple[str, tuple[str | int, ...]]:
        return "NULL", ()


def title_document() -> PostgresOnly:
    return PostgresOnly(SearchVector("title", config=SEARCH_CONFIG))


def head_document() -> PostgresOnly:
    return PostgresOnly(SearchVector("title", "summary", config=SEARCH_CONFIG))


def full_document() -> PostgresOnly:
    """The title weighted A, the summary B, the problem, description and evidence C."""
    return PostgresOnly(
        SearchVector("title", weight="A", config=SEARCH_CONFIG)
        + SearchVector("summary", weight="B", config=SEARCH_CONFIG)
        + SearchVector("problem", "description", "evidence", weight="C", config=SEARCH_CONFIG)
    )


def normalise(text: str | None) -> str:
    return " ".join((text or "").split())


def search_terms(text: str) -> tuple[Q, list[Q]]:
    """What a practice must match, and the tiers of the matches, best first (each
    practice that matches is in exactly one tier)."""
    if connection.vendor == "postgresql":
        query = SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
        title, head = Q(search_title=query), Q(search_head=query)
        return Q(search_vector=query), [title, ~title & head, ~title & ~head]
    words = text.split()[:MAX_WORDS]
    match = Q()
    for word in words:
        match &= (
            Q(title__icontains=word)
            | Q(summary__icontains=word)
            | Q(description__icontains=word)
            | Q(problem__icontains=word)
        )
    title, summary = Q(title__icontains=words[0]), Q(summary__icontains=words[0])
    return match, [title, ~title & summary, ~title & ~summary]


class TieredResults:
    """The matches as ``Paginator`` reads them: ``count()`` (at most ``limit``) and
    slices. A slice reads each tier it spans, the newest first, for the primary keys of
    the page only, then the page's practices from ``rows`` (one query and its
    prefetches): at most a count per tier it passes, whatever the page."""

    def __init__(self, matches: QuerySet, tiers: list[Q], *, rows: QuerySet, limit: int):
        self.matches = matches
        self.tiers = tiers
        self.rows = rows
        self.limit = limit
        self._count: int | None = None

    def count(self) -> int:
        if self._count is None:
            self._count = self.matches.order_by()[: self.limit + 1].count()
        return min(self._count, self.limit)

    @property
    def more(self) -> bool:
        """More practices match than are counted and shown."""
        self.count()
        return bool(self._count and self._count > self.limit)

    def __len__(self) -> int:
        return self.count()

    def __iter__(self) -> Iterator[Any]:
        return iter(self[: self.count()])

    def __getitem__(self, key: int | slice) -> Any:
        if isinstance(key, int):
            found = self[key : key + 1]
            if not found:
                raise IndexError(key)
            return found[0]
        start, stop, _ = key.indices(self.count())
        picked = self._pks(start, stop)
        found = self.rows.in_bulk(picked)
        return [found[pk] for pk in picked if pk in found]

    def _pks(self, start: int, stop: int) -> list[int]:
        picked: list[int] = []
        tier_start = 0  # the position of the current tier's first practice
        for number, tier in enumerate(self.tiers):
            wanted = stop - start - len(picked)
            if wanted <= 0:
                break
            within = start + len(picked) - tier_start
            members = self.matches.filter(tier).values_list("pk", flat=True)
            got = list(members[within : within + wanted])
            picked += got
            if len(got) == wanted or number == len(self.tiers) - 1:
                break
            # The tier ended before the page did: the next one starts after its last.
            tier_start += within + len(got) if got else members.order_by()[:within].count()
        return picked
