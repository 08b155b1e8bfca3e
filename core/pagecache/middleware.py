"""Serve and store public pages for anonymous visitors (see the package's docstring).

Placed right after SecurityMiddleware and WhiteNoise: a hit skips sessions, CSP,
authentication and the view. The headers those inner middlewares add (CSP,
X-Frame-Options, Vary ...) are stored with the page and served again; SecurityMiddleware,
outside, adds its own headers to a hit as to any response.
"""

import gzip
from collections.abc import Callable
from hashlib import md5
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.gzip import re_accepts_gzip
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.text import compress_string

from . import generation

PAGE_KEY_PREFIX = "pagecache:page:"
HIT_HEADER = "X-Page-Cache"
# Headers that belong to one response's encoding, computed again on each hit.
_PER_RESPONSE_HEADERS = {"content-length", "content-encoding", "etag", "set-cookie"}
# A stored page may vary on these only: the key holds the language, the variant the
# encoding, and a cookie that matters (session, messages) keeps a request out entirely.
_VARY_ALLOWED = {"cookie", "accept-encoding", "accept-language"}


# An entry is a plain tuple (no class of ours to unpickle after a deploy renames one):
# (ENTRY_FORMAT, generation, headers, body, gzipped body or None, ETag).
ENTRY_FORMAT = "page-v1"
Entry = tuple[str, str, tuple[tuple[str, str], ...], bytes, bytes | None, str]


class PageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        listed = _listed(request) if settings.PAGE_CACHE else None
        if listed is None:
            return self.get_response(request)
        generation.retry_missed_bump()
        cache = generation.page_cache()
        if listed == _FRAGMENTS_ONLY or not _may_use_cache(request):
            # A person's page: its shared fragments (fragments.py) are read under the
            # generation of now, before the view reads any row.
            if settings.SHARED_FRAGMENTS:
                current = generation.current_or_new(cache, cache.get(generation.GENERATION_KEY))
                setattr(request, generation.REQUEST_ATTRIBUTE, current)
            return self.get_response(request)
        key = page_key(request)
        found = cache.get_many([generation.GENERATION_KEY, key])
        current = generation.current_or_new(cache, found.get(generation.GENERATION_KEY))
        setattr(request, generation.REQUEST_ATTRIBUTE, current)
        entry = found.get(key)
        if (
            current is not None
            and isinstance(entry, tuple)
            and len(entry) == 6
            and entry[0] == ENTRY_FORMAT
            and entry[1] == current
        ):
            return _serve(entry, request)
        response = self.get_response(request)
        if (
            current is not None
            and isinstance(response, HttpResponse)
            and _may_store(request, response)
        ):
            cache.set(key, _entry(current, response), timeout=settings.PAGE_CACHE_SECONDS)
            generation.note_stored()
        return response


_PAGE, _FRAGMENTS_ONLY = "page", "fragments"


def _listed(request: HttpRequest) -> str | None:
    """For a GET or HEAD: ``_PAGE`` for a page the cache may keep (PAGE_CACHE_URL_NAMES),
    ``_FRAGMENTS_ONLY`` for one whose shared fragments only are kept
    (SHARED_FRAGMENT_URL_NAMES), else None."""
    if request.method not in ("GET", "HEAD"):
        return None
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    if match.view_name in settings.PAGE_CACHE_URL_NAMES:
        return _PAGE
    if match.view_name in getattr(settings, "SHARED_FRAGMENT_URL_NAMES", ()):
        return _FRAGMENTS_ONLY
    return None


def _may_use_cache(request: HttpRequest) -> bool:
    """Nothing of one visitor: no session, no messages, no credentials."""
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or CookieStorage.cookie_name in cookies:
        return False
    return "HTTP_AUTHORIZATION" not in request.META


def page_key(request: HttpRequest) -> str:
    """The page's address (query parameters in a stable order), language and date."""
    pairs = parse_qsl(request.META.get("QUERY_STRING", ""), keep_blank_values=True)
    # Sorted by name only: a repeated name keeps its values' order (the last one wins).
    query = urlencode(sorted(pairs, key=lambda pair: pair[0]))
    parts = (
        request.scheme or "",
        request.get_host(),
        request.path,
        query,
        translation.get_language_from_request(request),
        timezone.localdate().isoformat(),
    )
    digest = md5("\n".join(parts).encode(), usedforsecurity=False).hexdigest()
    return PAGE_KEY_PREFIX + digest


def _may_store(request: HttpRequest, response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming:
        return False
    if response.cookies or response.has_header("Set-Cookie"):
        return False
    user = getattr(request, "user", None)
    if user is None or user.is_authenticated:
        return False
    # A page that rendered a CSRF token holds a secret of this visitor.
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    storage = getattr(request, "_messages", None)
    if storage is not None and (
        storage.used or storage._queued_messages or getattr(storage, "_loaded_data", None)
    ):
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if any(word in cache_control for word in ("private", "no-store", "no-cache")):
        return False
    vary = {word.strip().lower() for word in response.get("Vary", "").split(",") if word.strip()}
    if not vary <= _VARY_ALLOWED:
        return False
    encoding = response.get("Content-Encoding")
    return encoding in (None, "gzip")


def _entry(current: str, response: HttpResponse) -> Entry:
    content = response.content
    gzipped: bytes | None
    if response.get("Content-Encoding") == "gzip":
        body, gzipped = gzip.decompress(content), content
    else:
        body = content
        compressed = compress_string(body) if len(body) >= 200 else None
        gzipped = compressed if compressed is not None and len(compressed) < len(body) else None
    headers = tuple(
        (name, value)
        for name, value in response.headers.items()
        if name.lower() not in _PER_RESPONSE_HEADERS
    )
    etag = f'"{md5(body, usedforsecurity=False).hexdigest()}"'
    return (ENTRY_FORMAT, current, headers, body, gzipped, etag)


def _serve(entry: Entry, request: HttpRequest) -> HttpResponseBase:
    _format, _generation, headers, plain, gzipped, etag = entry
    use_gzip = gzipped is not None and re_accepts_gzip.search(
        request.META.get("HTTP_ACCEPT_ENCODING", "")
    )
    body = gzipped if gzipped is not None and use_gzip else plain
    response = HttpResponse(b"" if request.method == "HEAD" else body)
    for name, value in headers:
        response.headers[name] = value
    response.headers["Content-Length"] = str(len(body))
    patch_vary_headers(response, ("Cookie",))
    if gzipped is not None:
        patch_vary_headers(response, ("Accept-Encoding",))
    if use_gzip:
        response.headers["Content-Encoding"] = "gzip"
        response.headers["ETag"] = "W/" + etag
    else:
        response.headers["ETag"] = etag
    response.headers[HIT_HEADER] = "hit"
    etag_sent = response.headers["ETag"]
    return get_conditional_response(request, etag=etag_sent, response=response) or response
