"""Values computed from public data, kept in the shared cache for one generation.

The page cache's generation (``generation.py``) changes on every write to a table that
public pages read, whoever writes (``writes.py``). A value stored with the generation it
was computed under is served only while that generation is current, so it is never
stale: no signal to forget, no write path that can forget it. Logged-in pages, which the
page cache never stores, use it for what is costly to compute and the same for everyone
(the practices filter's choices).
"""

from collections.abc import Callable
from typing import TypeVar

from . import generation

T = TypeVar("T")

VALUE_KEY_PREFIX = "pagecache:value:"


def remember(name: str, compute: Callable[[], T], *, timeout: int) -> T:
    """``compute()``, or what it returned under the current generation."""
    generation.retry_missed_bump()
    cache = generation.page_cache()
    key = VALUE_KEY_PREFIX + name
    found = cache.get_many([generation.GENERATION_KEY, key])
    current = generation.current_or_new(cache, found.get(generation.GENERATION_KEY))
    entry = found.get(key)
    if current is not None and isinstance(entry, tuple) and len(entry) == 2 and entry[0] == current:
        return entry[1]
    value = compute()
    if current is not None:
        cache.set(key, (current, value), timeout=timeout)
        generation.note_stored()  # a later write of an open transaction changes it again
    return value
