"""What every app's scale data (``<app>/demo_scale.py``) shares; ``manage.py seed_scale``
composes them.

* ``rng_for``: one random generator per part, derived from --seed and the part's name,
  so the practices are the same whether or not the offers were seeded in the same run.
* ``Prose``: text that reads and varies like people's writing (short titles, summaries of
  two or three sentences, descriptions of a few hundred words in paragraphs), drawn from
  a pool of sentences built once from the phrases in ``core/demo_scale.toml``; a field of
  300 words costs one ``choices`` call, so 50,000 practices take seconds, not minutes.
* ``moment``: a date in the last years, more of them recent, as activity grows.
* ``keep_dates``: bulk_create fills ``auto_now``/``auto_now_add`` fields with now; inside
  it they keep the (past) dates the rows were given.
"""

import random
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.db import connection, models

from core.demo import load_data

BATCH_SIZE = 2000
YEARS = 5  # the history the scale data spreads over
DATA = Path(__file__).with_name("demo_scale.toml")
CONTENT: dict[str, Any] = load_data(DATA)


def rng_for(seed: int, part: str) -> random.Random:
    """The generator of one part (``"practices"``); string seeds hash the same on every run."""
    return random.Random(f"{seed}:{part}")


def moment(
    rng: random.Random, now: datetime, *, years: float = YEARS, recent: float = 1.6
) -> datetime:
    """A time in the last ``years``; ``recent`` > 1 makes recent times likelier."""
    span = years * 365 * 86400
    return now - timedelta(seconds=int(span * rng.random() ** recent))


def _sentences(phrases: dict[str, list[str]], size: int) -> list[str]:
    rng = random.Random("prose")
    pool = []
    for _ in range(size):
        template = rng.choice(phrases["templates"])
        pool.append(
            template.format(
                **{
                    name: rng.choice(values)
                    for name, values in phrases.items()
                    if name != "templates"
                }
            )
        )
    return pool


class Prose:
    """Sentences, paragraphs and titles drawn from a fixed pool with the caller's rng.

    A text is kept as its paragraphs of sentence numbers (``list[list[int]]``) until
    ``render`` joins them.
    """

    def __init__(self, phrases: dict[str, list[str]] | None = None, size: int = 4000):
        self.sentences = _sentences(phrases or CONTENT["phrases"], size)

    def pick(self, rng: random.Random, low: int, high: int) -> list[int]:
        return rng.choices(range(len(self.sentences)), k=rng.randint(low, high))

    def paragraphs(
        self, rng: random.Random, low: int, high: int, *, per: tuple[int, int] = (3, 7)
    ) -> list[list[int]]:
        """``low`` to ``high`` paragraphs of ``per`` sentences each."""
        return [self.pick(rng, *per) for _ in range(rng.randint(low, high))]

    def limited(self, rng: random.Random, low: int, high: int, max_length: int) -> list[list[int]]:
        """A few sentences that fit ``max_length`` characters (a summary)."""
        picked = self.pick(rng, low, high)
        while len(picked) > 1 and len(self.render([picked])) > max_length:
            picked.pop()
        return [picked]

    def render(self, paragraphs: list[list[int]]) -> str:
        return "\n\n".join(
            " ".join(self.sentences[number] for number in paragraph) for paragraph in paragraphs
        )

    def text(
        self, rng: random.Random, low: int, high: int, *, per: tuple[int, int] = (3, 7)
    ) -> str:
        return self.render(self.paragraphs(rng, low, high, per=per))


PROSE = Prose()


@contextmanager
def keep_dates(*model_classes: type[models.Model]) -> Iterator[None]:
    """bulk_create keeps the given ``created``/``updated`` instead of stamping now."""
    changed = []
    for model in model_classes:
        for field in model._meta.concrete_fields:
            if isinstance(field, models.DateField) and (field.auto_now or field.auto_now_add):
                changed.append((field, field.auto_now, field.auto_now_add))
                field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in changed:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def skewed_index(rng: random.Random, size: int, power: float = 2.0) -> int:
    """An index into ``size`` items where the first ones are likelier (a few busy
    clusters, a long tail of quiet ones)."""
    return min(size - 1, int(size * rng.random() ** power))


def weighted(rng: random.Random, weights: dict[Any, float]) -> Any:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def insert(
    model: type[models.Model],
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    batch_size: int = BATCH_SIZE,
) -> None:
    """Write ``rows`` (values of the fields named by their attnames in ``columns``, ready
    for the database: ids, strings, numbers, dates) as fast as the database allows:
    PostgreSQL's COPY (no model instances, no SQL to build or parse for hundreds of
    thousands of rows), bulk_create elsewhere. Like bulk_create it calls neither save() nor
    signals and returns no ids; it keeps ``auto_now``/``auto_now_add`` dates as given.
    A field left out gets the database's default (its column default, or NULL)."""
    if connection.vendor != "postgresql":
        objs = [model(**dict(zip(columns, row, strict=True))) for row in rows]
        if objs:
            with keep_dates(model):
                model._default_manager.bulk_create(objs, batch_size=batch_size)
        return
    names = {field.attname: field.column for field in model._meta.concrete_fields}
    quoted = ", ".join(connection.ops.quote_name(names[column]) for column in columns)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor, under Django's wrapper
        with raw.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
