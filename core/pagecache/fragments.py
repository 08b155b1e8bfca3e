"""Shared fragments: the parts of a public page that are the same for every logged-in person.

A logged-in person gets no whole-page cache (the header holds their name, their unread
count and a logout form with their CSRF token), but most of a public page (the directory's
results, a practice's body, the plan) is the same for everyone who sees it with the same
address. ``{% sharedfragment "name" role=... %}…{% endsharedfragment %}`` (in
``core/templatetags/fragments.py``) renders such a part once and serves it again from the
shared cache, keyed on:

- the page cache's generation, read by the middleware *before* the view reads any row
  (``generation_of``), so an entry is never served after a write, exactly as a
  stored page is not; a render without that value (a page the page cache does not list, the
  cache off) is not stored;
- the page's address, language and date (:func:`core.pagecache.middleware.page_key`);
- the kind of viewer (anonymous, signed in, staff, superuser) and the values the template
  names after the fragment's name (whatever the view derived from the person: ``can_edit``).

It never stores what belongs to one person. While a fragment renders, ``request.user`` and
the template's ``user``, ``perms``, ``csrf_token`` and ``messages`` are watched: a fragment
that reads any of them (directly, or through a panel or a tag), renders a CSRF token or a
form that posts, is not stored; with ``SHARED_FRAGMENTS_STRICT`` (the tests) it raises
:class:`SharedFragmentLeak` instead, so a template that breaks the rule fails its tests.

Off when ``PAGE_CACHE`` or ``SHARED_FRAGMENTS`` is off. Fails soft: the cache backend
(core/cache.py) answers a miss while Redis is down, and the fragment is rendered.
"""

import logging
import re
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from hashlib import md5
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.template.context import Context
from django.utils.functional import SimpleLazyObject

from . import generation
from .middleware import page_key

logger = logging.getLogger(__name__)

FRAGMENT_KEY_PREFIX = "pagecache:fragment:"
# (ENTRY_FORMAT, generation, html): a plain tuple, as the pages' entries.
ENTRY_FORMAT = "fragment-v1"
# What a fragment must not read: they belong to the person who asked.
WATCHED_CONTEXT = ("user", "perms", "csrf_token", "messages")
_POST_FORM = re.compile(r"<form\b[^>]*\bmethod\s*=\s*[\"']?post", re.IGNORECASE)


class SharedFragmentLeak(Exception):
    """A shared fragment used something of the person who asked (strict mode only)."""


def deferred(function: Callable[..., Any], /, **kwargs: Any) -> SimpleLazyObject:
    """``function(**kwargs)``, called when a template first uses the value: not at all when
    the shared fragment that shows it comes from the cache."""
    return SimpleLazyObject(partial(function, **kwargs))


def enabled() -> bool:
    return bool(settings.PAGE_CACHE and getattr(settings, "SHARED_FRAGMENTS", True))


def generation_of(request: HttpRequest) -> str | None:
    """The generation read at the start of this request, before the view read any row."""
    return getattr(request, generation.REQUEST_ATTRIBUTE, None)


# What the markup of a page shared among signed-in people may differ by (the secretariat
# or not, a superuser or not): said by the accounts app, which alone knows what makes the
# secretariat, at start-up (accounts.apps; core cannot import it). Until it does, each
# person's fragments are their own.
_viewer_kind: Callable[[Any], str] | None = None


def set_viewer_kind(function: Callable[[Any], str]) -> None:
    global _viewer_kind
    _viewer_kind = function


def viewer_of(request: HttpRequest) -> str:
    """The kind of person asking; kept from the first fragment of the page (a fragment in a
    fragment must not read the person again)."""
    viewer = getattr(request, "_fragment_viewer", None)
    if viewer is None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            viewer = "anonymous"
        else:
            kind = _viewer_kind(user) if _viewer_kind is not None else f"only:{user.pk}"
            viewer = f"person:{kind}"
        request._fragment_viewer = viewer  # type: ignore[attr-defined]
    return viewer


def _plain(value: Any) -> str:
    """A vary value as text; a model instance by its class and key."""
    if value is None or isinstance(value, str | int | float | bool):
        return repr(value)
    meta = getattr(value, "_meta", None)
    if meta is not None:
        return f"{meta.label}:{value.pk!r}"
    raise TypeError(f"a shared fragment cannot vary on a {type(value).__name__}")


def fragment_key(request: HttpRequest, name: str, vary: dict[str, Any]) -> str:
    parts = [page_key(request), name, viewer_of(request)]
    parts += [f"{k}={_plain(v)}" for k, v in sorted(vary.items())]
    digest = md5("\n".join(parts).encode(), usedforsecurity=False).hexdigest()
    return FRAGMENT_KEY_PREFIX + digest


def load(key: str, current: str) -> str | None:
    entry = generation.page_cache().get(key)
    if isinstance(entry, tuple) and len(entry) == 3 and entry[:2] == (ENTRY_FORMAT, current):
        return entry[2]
    return None


def save(key: str, current: str, html: str) -> None:
    generation.page_cache().set(
        key, (ENTRY_FORMAT, current, str(html)), timeout=settings.PAGE_CACHE_SECONDS
    )
    generation.note_stored()


@dataclass
class Watch:
    """What one fragment's render read of the person; empty when it may be shared."""

    read: list[str]
    where: list[str]


def shared(
    request: HttpRequest | None,
    name: str,
    vary: dict[str, Any],
    render: Callable[[], str],
    context: Context | None = None,
) -> str:
    """``render()``'s text, from the shared cache when this page's generation stored it."""
    current = generation_of(request) if request is not None else None
    if request is None or current is None or not enabled():
        return render()
    key = fragment_key(request, name, vary)
    html = load(key, current)
    if html is not None:
        return html
    with watching(request, context) as watch:
        html = render()
    reason = refusal(watch, html)
    if reason is None:
        save(key, current, html)
    else:
        refuse(name, reason)
    return html


@contextmanager
def watching(request: HttpRequest, context: Context | None = None) -> Iterator[Watch]:
    """Render inside this: the person's user, permissions, token and messages are replaced
    by proxies that note their first use (and then behave as the real thing)."""
    watch = Watch(read=[], where=[])

    def proxy(name: str, value: Any) -> SimpleLazyObject:
        def use() -> Any:
            watch.read.append(name)
            if getattr(settings, "SHARED_FRAGMENTS_STRICT", False):
                # Where: the strict mode's error names the line that read it.
                watch.where.append("".join(traceback.format_stack(limit=12)[:-1]))
            return value

        return SimpleLazyObject(use)

    user = request.__dict__.get("user")
    if user is not None:
        request.user = proxy("request.user", user)  # type: ignore[assignment]
    try:
        if context is None:
            yield watch
        else:
            watched = {name: proxy(name, context.get(name)) for name in WATCHED_CONTEXT}
            with context.push(**watched):
                yield watch
    finally:
        if user is not None:
            request.user = user


def refusal(watch: Watch, html: str) -> str | None:
    """Why this render must not be shared, or None."""
    if watch.read:
        return "it read " + ", ".join(sorted(set(watch.read))) + "".join(watch.where[:1])
    if "csrfmiddlewaretoken" in html:
        return "it holds a CSRF token"
    if _POST_FORM.search(html):
        return "it holds a form that posts"
    return None


def refuse(name: str, reason: str) -> None:
    message = f"shared fragment {name!r} not stored: {reason}"
    if getattr(settings, "SHARED_FRAGMENTS_STRICT", False):
        raise SharedFragmentLeak(message)
    logger.error(message)
