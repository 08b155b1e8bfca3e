"""A transactional test's flush on PostgreSQL: a DELETE of each table, not a TRUNCATE.

After each transactional test (the browser journeys, the Celery worker and gunicorn
tests, the row-lock tests) Django empties every table with one ``TRUNCATE`` of them all.
On PostgreSQL a TRUNCATE gives each table new files: 1.7 s for our sixty-odd tables on
the 2-core machine, against 0.07 s for a DELETE of each (a test leaves a few rows), so
about 2 s of every such test's teardown, on the critical path of the browser suite.

Django's foreign keys on PostgreSQL are ``DEFERRABLE INITIALLY DEFERRED``: in the
flush's one transaction the DELETEs may come in any order (``SET CONSTRAINTS ALL
DEFERRED`` covers one that is only deferrable). A flush that resets sequences or
cascades (Django's stealth options, used with ``reset_sequences`` or ``available_apps``)
keeps Django's TRUNCATE.
"""

from contextlib import contextmanager

from django.db.backends.postgresql.operations import DatabaseOperations


def sql_flush_by_delete(ops, style, tables, *, reset_sequences=False, allow_cascade=False):
    """What ``DatabaseOperations.sql_flush`` returns, with DELETEs instead of a TRUNCATE."""
    if reset_sequences or allow_cascade or not tables:
        return _truncate(
            ops, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )
    delete = f"{style.SQL_KEYWORD('DELETE')} {style.SQL_KEYWORD('FROM')}"
    return [
        f"{style.SQL_KEYWORD('SET CONSTRAINTS ALL DEFERRED')};",
        *(f"{delete} {style.SQL_FIELD(ops.quote_name(table))};" for table in tables),
    ]


_truncate = DatabaseOperations.sql_flush


@contextmanager
def flush_by_delete():
    """While open, PostgreSQL flushes (``manage.py flush``, a transactional test's
    teardown) delete each table's rows instead of truncating the tables."""
    DatabaseOperations.sql_flush = sql_flush_by_delete
    try:
        yield
    finally:
        DatabaseOperations.sql_flush = _truncate
