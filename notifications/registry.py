"""The kinds of notification, registered in code by the apps that send them.

Each kind has a name (``app.event``), a label people see in their preferences,
a default channel, and templates ``notifications/kinds/<name>/subject.txt`` and
``body.txt`` rendered with the context the sender gives.

A kind that asks for an action ("decide on CX-2026-0023") also says, with
:func:`done_when`, which object it is about and when that action is done; its
notifications are then marked done as soon as a service records the change
(``notifications.services.notifications_mark_done``), wherever it was made.

Its ``area`` is the heading it is listed under in the preferences (the app's own
name when not given), and its ``audience`` says who it can reach at all: a
predicate on the person (``accounts.permissions.is_secretariat``, say), or
``None`` for everyone. The preferences offer a person only the kinds that can
reach them (:func:`kinds_for`).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.utils.functional import Promise


class Channel:
    IMMEDIATE = "immediate"
    DIGEST = "digest"
    IN_APP = "in_app"
    CHOICES = [
        (IMMEDIATE, "E-mail me at once"),
        (DIGEST, "Daily digest e-mail"),
        (IN_APP, "Only in my inbox"),
    ]


@dataclass(frozen=True)
class Kind:
    name: str
    label: str | Promise
    default_channel: str = Channel.IMMEDIATE
    # Some messages must reach people whatever they chose (e.g. a decision on their request).
    description: str | Promise = ""
    # The preferences' heading for it ("Practices"); "" means the sending app's name.
    area: str | Promise = ""
    # Who it can reach: a predicate on the person; None means everyone.
    audience: Callable[[Any], bool] | None = None

    @property
    def area_label(self) -> str:
        if self.area:
            return str(self.area)
        try:
            return str(apps.get_app_config(self.name.split(".", 1)[0]).verbose_name)
        except LookupError:
            return "Other"

    @property
    def template_dir(self) -> str:
        return f"notifications/kinds/{self.name}"


_KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    existing = _KINDS.get(kind.name)
    if existing is not None and existing != kind:
        raise ValueError(f"notification kind {kind.name!r} registered twice differently")
    _KINDS[kind.name] = kind
    return kind


def get(name: str) -> Kind:
    try:
        return _KINDS[name]
    except KeyError:
        raise LookupError(f"unknown notification kind {name!r}; register it first") from None


def all_kinds() -> list[Kind]:
    return sorted(_KINDS.values(), key=lambda kind: str(kind.label))


@dataclass(frozen=True)
class DoneWhen:
    """When the action a kind asks for is done.

    ``model`` is the label of the object the notification is about
    (``"exchange.application"``); ``about`` names that object in the context the
    sender gives ``notify()`` (a reminder's object is known without it); ``when``
    is given the object in its new state and says whether the action is done.
    """

    kind: str
    model: str
    when: Callable[[Any], bool]
    about: str = "object"


_DONE: dict[str, DoneWhen] = {}


def done_when(
    kind: Kind | str, *, model: str, when: Callable[[Any], bool], about: str = "object"
) -> DoneWhen:
    name = kind.name if isinstance(kind, Kind) else kind
    rule = DoneWhen(kind=name, model=model.lower(), when=when, about=about)
    existing = _DONE.get(name)
    if existing is not None and _identity(existing) != _identity(rule):
        raise ValueError(f"notification kind {name!r} has a done rule already")
    _DONE[name] = rule
    return rule


def _identity(rule: DoneWhen) -> tuple[str, ...]:
    # The same rule imported twice has an equal function, not the same object.
    when = rule.when
    return (rule.kind, rule.model, rule.about, when.__module__, when.__qualname__)


def done_rule(name: str) -> DoneWhen | None:
    return _DONE.get(name)


def models_with_done_rules() -> frozenset[str]:
    return frozenset(rule.model for rule in _DONE.values())


def kinds_for(user: Any) -> list[Kind]:
    """The kinds that can reach ``user``, by label; each audience is asked once."""
    answers: dict[Callable[[Any], bool], bool] = {}
    kinds = []
    for kind in all_kinds():
        audience = kind.audience
        if audience is not None:
            if audience not in answers:
                answers[audience] = bool(audience(user))
            if not answers[audience]:
                continue
        kinds.append(kind)
    return kinds


def by_area(kinds: list[Kind]) -> list[tuple[str, list[Kind]]]:
    """``kinds`` grouped under their areas, the areas by name, each group by label."""
    groups: dict[str, list[Kind]] = {}
    for kind in kinds:
        groups.setdefault(kind.area_label, []).append(kind)
    return sorted(groups.items(), key=lambda group: group[0].casefold())
