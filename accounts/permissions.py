"""Who a person is to the network, the checks every app asks of a user."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing_extensions import TypeIs

    from .models import User
    from .types import AnyUser


def is_authenticated(user: AnyUser | None) -> TypeIs[User]:
    return bool(getattr(user, "is_authenticated", False))


def is_secretariat(user: AnyUser | None) -> bool:
    """The network's coordinators (``is_staff``): they moderate, approve and decide."""
    return is_authenticated(user) and bool(getattr(user, "is_staff", False))


def viewer_kind(user: AnyUser | None) -> str:
    """What a page part shared among signed-in people may differ by (core.pagecache's
    shared fragments, the header of core/templatetags/chrome.py): the secretariat or not, a
    superuser or not. The secretariat's kinds start with ``secretariat``: the header shows
    them the secretariat's links."""
    role = "secretariat" if is_secretariat(user) else "member"
    return role + ("+superuser" if getattr(user, "is_superuser", False) else "")
