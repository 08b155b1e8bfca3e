"""Values kept for one page-cache generation (core.pagecache.values): computed once, then
served until any write to a public table changes the generation."""

import pytest

from core.pagecache import generation
from core.pagecache.values import remember
from tests.factories import ClusterFactory

pytestmark = pytest.mark.django_db


class Counter:
    def __init__(self):
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return {"calls": self.calls}


def test_a_value_is_computed_once_per_generation():
    compute = Counter()

    assert remember("test:value", compute, timeout=60) == {"calls": 1}
    assert remember("test:value", compute, timeout=60) == {"calls": 1}
    generation.bump()
    assert remember("test:value", compute, timeout=60) == {"calls": 2}


def test_a_write_to_a_public_table_drops_the_value():
    compute = Counter()
    remember("test:value", compute, timeout=60)

    ClusterFactory()
    remember("test:value", compute, timeout=60)
    ClusterFactory()  # a second write of the same (test) transaction, after a read

    assert remember("test:value", compute, timeout=60) == {"calls": 3}


def test_a_lost_generation_computes_again():
    compute = Counter()
    remember("test:value", compute, timeout=60)

    generation.page_cache().delete(generation.GENERATION_KEY)

    assert remember("test:value", compute, timeout=60) == {"calls": 2}
