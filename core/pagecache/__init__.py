"""The page cache: public pages for anonymous visitors, served from the shared cache.

A visitor without a session has nothing personal on a public page (the directory, a
profile, a practice, the plan, the exchange), so one rendering serves everyone until the
data under it changes. Three pieces:

- :mod:`.middleware` serves a stored page to a GET or HEAD that carries no session,
  no messages and no credentials, and stores a page only when nothing in it belongs to
  one visitor (anonymous user, no cookie set, no CSRF token rendered, no message shown).
  It answers conditional requests (ETag, 304) and keeps a gzip copy of each page.
- :mod:`.generation` holds one generation value in the shared cache. Every entry
  records the generation it was rendered under and is served only while that value is
  current, so changing the value drops every page at once.
- :mod:`.writes` changes the generation on every write to a table public pages read,
  whoever writes: services, the admin, bulk ``.update()``/``.delete()``, tasks,
  commands and data migrations. It watches the SQL itself (an execute wrapper on each
  database connection), so a new code path cannot forget to invalidate.

Entries also expire after ``PAGE_CACHE_SECONDS`` and their key holds the local date:
texts that follow the clock ("due in 3 days", "overdue") change at midnight, and a call
that closes at a time of day shows as closed at most ``PAGE_CACHE_SECONDS`` late (its
form refuses applications on time either way).
"""
