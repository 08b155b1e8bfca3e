"""The permission matrix and the bad-input sweep share these helpers.

A page joins both rails by adding one ``Route`` row to ``tests/routes.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

ROLES = ("visitor", "member", "manager", "other_manager", "secretariat")
LOGIN = "login"  # 302 to the login page
ADMIN_LOGIN = "admin-login"  # 302 to the admin's login page
DENIALS = {LOGIN, ADMIN_LOGIN, 403, 404}


def expect(default=None, **per_role) -> dict[str, Any]:
    unknown = set(per_role) - set(ROLES)
    assert not unknown, f"unknown roles {unknown}"
    return {role: per_role.get(role, default) for role in ROLES}


@dataclass
class FormSpec:
    """How to submit a route's form as a role that may."""

    role: str
    data: Callable[[Any], dict[str, Any]]  # world -> valid POST data
    page: str | None = None  # the URL name of the page that shows the form, if not the route
    method: str = "post"
    shown_on: Callable[[Any], str] | None = None  # world -> URL where submitted text is shown
    invalid_status: int = 400  # what the view answers to invalid data (allauth's say 200)
    has_text: bool = True  # False for a form of choices only (checked by the sweep)
    has_required: bool = True  # False for a form whose every field is optional (checked)


@dataclass
class Route:
    name: str
    get: dict[str, Any]
    kwargs: Callable[[Any], dict[str, Any]] = lambda world: {}
    post: dict[str, Any] | None = None  # expected answer to a POST of valid data, per role
    form: FormSpec | None = None
    query: str | Callable[[Any], str] = ""  # "?a=1", or world -> "?a=1"
    notes: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def url(self, world) -> str:
        """The route's URL for ``world``, with its query string."""
        query = self.query(world) if callable(self.query) else self.query
        return reverse(self.name, kwargs=self.kwargs(world)) + query


# ------------------------------------------------------------------------------
# Route discovery
# ------------------------------------------------------------------------------
GROUP_MODULES = {
    "admin": (
        "django.contrib.admin",
        "django.contrib.auth.admin",
        "import_export",
        "django.contrib.contenttypes.views",
    ),
    "allauth": ("allauth.",),
}


def all_routes() -> list[tuple[str, str, str]]:
    """(URL name, pattern, view module) for every route of the project."""

    def walk(patterns, prefix="", namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = ":".join(filter(None, [namespace, pattern.namespace])) or None
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
            elif isinstance(pattern, URLPattern):
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                callback = pattern.callback
                module = getattr(callback, "__module__", "")
                view_class = getattr(callback, "view_class", None)
                if view_class is not None:
                    module = view_class.__module__
                yield name or "", prefix + str(pattern.pattern), module

    return list(walk(get_resolver().url_patterns))


def route_group(name: str, pattern: str, module: str) -> str | None:
    if name.startswith("admin:") or pattern.startswith("admin/"):
        return "admin"
    for group, prefixes in GROUP_MODULES.items():
        if module.startswith(prefixes):
            return group
    return None


# ------------------------------------------------------------------------------
# Database snapshots: "nothing changed" means every row of every model is the same
# ------------------------------------------------------------------------------
VOLATILE_FIELDS = {"last_login", "updated", "expire_date", "session_data"}
SNAPSHOT_APPS = (
    "accounts",
    "clusters",
    "core",
    "account",
    "mfa",
    "notifications",
    "practices",
    "actionplan",
    "exchange",
)


def snapshot() -> dict[str, list[tuple]]:
    state = {}
    for model in apps.get_models():
        if model._meta.app_label not in SNAPSHOT_APPS:
            continue
        names = [f.attname for f in model._meta.concrete_fields if f.attname not in VOLATILE_FIELDS]
        state[model._meta.label] = sorted(
            model.objects.order_by("pk").values_list(*names), key=repr
        )
        for m2m in model._meta.local_many_to_many:
            through = m2m.remote_field.through
            cols = [f.attname for f in through._meta.concrete_fields]
            state[through._meta.label] = sorted(through.objects.values_list(*cols), key=repr)
    return state


def snapshot_diff(before: dict, after: dict) -> list[str]:
    return [label for label in after if before.get(label) != after[label]]


# ------------------------------------------------------------------------------
# Finding forms and fields in a page
# ------------------------------------------------------------------------------
@dataclass
class Field:
    name: str
    kind: str  # text, textarea, email, url, number, date, select, checkbox, radio, file, ...
    required: bool = False
    options: list[str] = field(default_factory=list)
    multiple: bool = False

    @property
    def is_text(self) -> bool:
        return self.kind in {"text", "textarea", "search", "email", "url", "tel", "password"}


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, Field] = field(default_factory=dict)


class _FormParser(HTMLParser):
    def __init__(self, page_url: str):
        super().__init__()
        self.page_url = page_url
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = Form(
                action=a.get("action") or self.page_url, method=(a.get("method") or "get").lower()
            )
            self.forms.append(self._form)
            return
        if self._form is None:
            return
        name = a.get("name")
        if tag == "input" and name and a.get("type") == "hidden":
            if name != "csrfmiddlewaretoken":
                self._form.fields[name] = Field(name, "hidden")
            return
        if tag == "input" and name and a.get("type") not in {"submit", "button"}:
            kind = a.get("type", "text")
            existing = self._form.fields.get(name)
            if existing and kind in {"checkbox", "radio"}:
                existing.options.append(a.get("value", "on"))
                existing.multiple = kind == "checkbox"
                return
            self._form.fields[name] = Field(
                name,
                kind,
                "required" in a,
                options=[a.get("value", "on")] if kind in {"checkbox", "radio"} else [],
            )
        elif tag == "textarea" and name:
            self._form.fields[name] = Field(name, "textarea", "required" in a)
        elif tag == "select" and name:
            self._select = Field(name, "select", "required" in a, multiple="multiple" in a)
            self._form.fields[name] = self._select
        elif tag == "option" and self._select is not None:
            self._select.options.append(a.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def find_form(html: str, page_url: str, action: str) -> Form:
    parser = _FormParser(page_url)
    parser.feed(html)
    for form in parser.forms:
        if form.action == action:
            return form
    raise AssertionError(f"no form posting to {action} on {page_url}")


MARKUP = (
    '<script>alert("xss")</script><img src=x onerror=alert(1)>'
    '<a href="javascript:alert(2)">click</a>'
)
RAW_MARKUP_SIGNS = ('<script>alert("xss")', "<img src=x onerror", 'href="javascript:')
