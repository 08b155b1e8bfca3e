"""Sections of composed pages, registered in code by the apps that show them.

A page that gathers several features (the home page, a cluster's profile, a
person's profile) names a *slot*; each feature registers a :class:`Panel` for
that slot from its ``AppConfig.ready()`` (in its ``panels.py``), the way the
notification kinds are registered. The page asks :func:`panels_for` for the
rendered sections, in order, and never imports the features.

A panel's context function receives the request and the page's objects
(``cluster=...``, ``user=...``) as keywords and returns the template's context,
or ``None`` when the panel has nothing to show on this page.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from core.pagecache import fragments

ContextFunction = Callable[..., dict[str, Any] | None]


@dataclass(frozen=True)
class Panel:
    slot: str
    name: str
    template: str
    context: ContextFunction
    order: int = 100
    # The same for everyone who sees the page (it reads nothing of the person): rendered
    # once per page and generation, then served from the shared cache (core.pagecache).
    shared: bool = False
    # What a shared panel's context needs of the person, read before it renders (the panel
    # reads nothing of the person itself): a dict passed to the context function as
    # keywords and made part of the key; ``personal=True`` in it renders the panel for this
    # person alone, without the cache.
    vary: Callable[[HttpRequest], dict[str, Any]] | None = None


_PANELS: dict[tuple[str, str], Panel] = {}


def register(panel: Panel) -> Panel:
    key = (panel.slot, panel.name)
    existing = _PANELS.get(key)
    if existing is not None and existing != panel:
        raise ValueError(f"panel {panel.name!r} registered twice in slot {panel.slot!r}")
    _PANELS[key] = panel
    return panel


def panels_in(slot: str) -> list[Panel]:
    """The panels registered for ``slot``, in their order (then by name)."""
    return sorted(
        (panel for (s, _), panel in _PANELS.items() if s == slot),
        key=lambda panel: (panel.order, panel.name),
    )


def panels_for(slot: str, request: HttpRequest, **objects: Any) -> list[SafeString]:
    """The rendered sections of ``slot`` for this request, in order; empty panels left out."""
    sections = []
    for panel in panels_in(slot):
        given = {**objects, **panel.vary(request)} if panel.vary else objects
        if panel.shared and not given.get("personal"):
            render = partial(_render, panel, request, given)
            html = fragments.shared(request, f"panel:{slot}:{panel.name}", given, render)
        else:
            html = _render(panel, request, given)
        if html:
            sections.append(mark_safe(html))  # noqa: S308  # rendered by the template engine
    return sections


def _render(panel: Panel, request: HttpRequest, objects: dict[str, Any]) -> str:
    context = panel.context(request, **objects)
    if context is None:
        return ""
    return render_to_string(panel.template, context, request=request)
