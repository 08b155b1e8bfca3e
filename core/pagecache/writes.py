"""Every write to a table that public pages read changes the page cache's generation.

An execute wrapper on each database connection reads the first words of each statement:
``INSERT INTO t``, ``UPDATE t``, ``DELETE FROM t`` on a table outside
``PAGE_CACHE_PRIVATE_TABLES``, any other statement that can change rows or tables
(``TRUNCATE``, ``ALTER``, ``CREATE``, ``DROP``, ``MERGE``, ``COPY``, a ``WITH`` holding
an ``INSERT``, ``UPDATE``, ``DELETE`` or ``MERGE``) changes the generation. Reads return at
the first letter; a ``WITH`` that only reads (the directory's countries) is a read.

Outside a transaction the statement is committed when it returns: one change, after it.
Inside one, the first write changes the generation at once, and again when the
transaction commits: a request that read the generation in between may have rendered the
page from the rows as they were before the commit and stored it under that generation;
the second change drops it. Later writes of the same transaction change nothing more
(a sweep writing thousands of rows costs two cache writes), unless this process stored a
page since: a page rendered inside the transaction itself (a test, which never commits)
may show its first writes and not the next ones.
"""

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.backends.base.base import BaseDatabaseWrapper

from . import generation

logger = logging.getLogger(__name__)

_STATEMENT = re.compile(
    r"""\s*(?:
        (?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+"?(?P<table>[\w.]+)"?
        |(?P<other>TRUNCATE|ALTER|CREATE|DROP|WITH|MERGE|COPY|REPLACE)\b
    )""",
    re.IGNORECASE | re.VERBOSE,
)


# A WITH changes rows only through one of these (a data-modifying common table expression).
_MODIFYING = re.compile(r"\b(?:INSERT|UPDATE|DELETE|MERGE)\b", re.IGNORECASE)


# The first letters of the statements above: a SELECT (most statements) stops here.
_INITIALS = frozenset("IUDTACWMRiudtacwmr")


def changes_public_data(sql: str) -> bool:
    first = sql[:1]
    if first.isspace():
        first = sql.lstrip()[:1]
    if first not in _INITIALS:
        return False
    match = _STATEMENT.match(sql)
    if match is None:
        return False
    table = match.group("table")
    if table is None:
        if match.group("other").upper() == "WITH":
            return _MODIFYING.search(sql) is not None
        return True
    if table.lower().rsplit(".", 1)[-1] in settings.PAGE_CACHE_PRIVATE_TABLES:
        return False
    return not sql.lstrip().startswith(settings.PAGE_CACHE_PRIVATE_WRITES)


@dataclass
class _Pending:
    """The commit hook of this connection's open transaction, and where it sits."""

    hook: Any
    index: int
    stored: int


def _after_write(connection: BaseDatabaseWrapper) -> None:
    if connection.get_autocommit() and not connection.in_atomic_block:
        generation.bump()
        return
    if not connection.in_atomic_block:
        # Transactions managed by hand: no commit hook to hang the second change on.
        generation.bump()
        return
    pending: _Pending | None = getattr(connection, "_page_cache_pending", None)
    hooks = connection.run_on_commit
    if (
        pending is not None
        and pending.index < len(hooks)
        and hooks[pending.index][1] is pending.hook
    ):
        if pending.stored != generation.stored_count():
            pending.stored = generation.stored_count()
            generation.bump()
        return

    def hook() -> None:
        generation.bump()

    generation.bump()
    connection.on_commit(hook, robust=True)
    connection._page_cache_pending = _Pending(  # type: ignore[attr-defined]
        hook=hook, index=len(connection.run_on_commit) - 1, stored=generation.stored_count()
    )


def watch_writes(
    execute: Callable[..., Any], sql: Any, params: Any, many: bool, context: dict[str, Any]
) -> Any:
    """Django's execute wrapper (``connection.execute_wrappers``)."""
    result = execute(sql, params, many, context)
    if isinstance(sql, str) and changes_public_data(sql):
        try:
            _after_write(context["connection"])
        except Exception:  # a cache problem must never fail the write
            logger.exception("page cache generation not changed after a write")
    return result


def install(connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """``connection_created`` receiver: watch every connection's statements."""
    if watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(watch_writes)
