"""The kinds of notification, registered in code by the apps that send them.

Each kind has a name (``app.event``), a label people see in their preferences,
a default channel, and templates ``notifications/kinds/<name>/subject.txt`` and
``body.txt`` rendered with the context the sender gives.
"""

from dataclasses import dataclass

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
