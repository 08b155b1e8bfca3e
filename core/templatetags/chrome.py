"""``{% site_header %}`` and ``{% site_footer %}``: the page's header and footer, rendered
once per process for each kind of page and viewer, then given the person's own values.

The header is the same for everyone of one kind (anonymous, signed in, the secretariat,
by ``core.pagecache.fragments.viewer_of``) on one section of the site in one language, but
for three values of the person: their name, their unread count and the CSRF token of the
logout form. Rendering it costs more than a bare Django view (eleven URLs reversed, fifteen
translations), on every page. So it is rendered with markers in place of those three
values, kept in this process, and each request puts its own values in: the same bytes as
rendering it (tests/core/test_chrome.py). Templates change only with a deploy, which
starts new processes; with ``DEBUG`` (templates edited live) nothing is kept.
"""

from django import template
from django.conf import settings
from django.template.context import Context
from django.template.loader import get_template
from django.urls import get_script_prefix, get_urlconf
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from core.pagecache.fragments import viewer_of

register = template.Library()

# Private-use characters: no template escapes them, no text of ours holds them.
NAME, UNREAD, CSRF = "\ue000name\ue000", "\ue000unread\ue000", "\ue000csrf\ue000"
BADGE_START, BADGE_END = "\ue000badge\ue000", "\ue000/badge\ue000"
# Kinds of viewer x sections x languages: a few dozen; a bound all the same.
_KEPT_MAX = 512
_kept: dict[tuple, str] = {}


def _section(request) -> tuple[bool, str, str]:
    match = getattr(request, "resolver_match", None)
    return (
        request.path[:10] == "/clusters/",
        getattr(match, "app_name", "") or "",
        getattr(match, "url_name", "") or "",
    )


def _where(context: Context) -> tuple:
    """What else the markup depends on: the language, the site's name, the URLs' prefix."""
    return (get_language(), context.get("SITE_NAME"), get_script_prefix(), get_urlconf())


def _kept_or_render(key: tuple, name: str, context: dict) -> str:
    html = _kept.get(key)
    if html is None:
        html = get_template(name).render(context).rstrip("\n")
        if not settings.DEBUG:
            if len(_kept) >= _KEPT_MAX:
                _kept.clear()
            _kept[key] = html
    return html


def _csrf_input(token) -> str:
    # As Django's {% csrf_token %} renders it.
    if not token or token == "NOTPROVIDED":  # noqa: S105  (Django's marker, no secret)
        return ""
    return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)


@register.simple_tag(takes_context=True)
def site_header(context: Context) -> SafeString:
    request = context["request"]
    user = context.get("user")
    signed_in = bool(user is not None and user.is_authenticated)
    viewer = viewer_of(request)
    in_clusters, app_name, url_name = _section(request)
    key = (
        "header",
        *_where(context),
        viewer,
        in_clusters,
        app_name,
        url_name == "dashboard",
    )
    html = _kept_or_render(
        key,
        "partials/site_header.html",
        {
            "SITE_NAME": context.get("SITE_NAME"),
            "chrome": {
                "signed_in": signed_in,
                # The secretariat's links: said by the viewer's kind (accounts knows it).
                "staff": viewer.startswith("person:secretariat"),
                "in_clusters": in_clusters,
                "app_name": app_name,
                "url_name": "dashboard" if url_name == "dashboard" else "",
                "name": NAME,
                "unread": UNREAD,
                "badge_start": BADGE_START,
                "badge_end": BADGE_END,
                "csrf": CSRF,
            },
        },
    )
    if signed_in:
        unread = context.get("unread_notifications")
        if unread:
            html = html.replace(BADGE_START, "").replace(BADGE_END, "")
            html = html.replace(UNREAD, escape(unread))
        else:
            head, _, rest = html.partition(BADGE_START)
            html = head + rest.partition(BADGE_END)[2]
        html = html.replace(NAME, escape(user.display_name))
        html = html.replace(CSRF, _csrf_input(context.get("csrf_token")))
    # Rendered and escaped by the template engine; the person's values escaped above.
    return mark_safe(html)  # noqa: S308


@register.simple_tag(takes_context=True)
def site_footer(context: Context) -> SafeString:
    html = _kept_or_render(
        ("footer", *_where(context)),
        "partials/site_footer.html",
        {"SITE_NAME": context.get("SITE_NAME")},
    )
    return mark_safe(html)  # noqa: S308
