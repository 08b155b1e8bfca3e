"""Type aliases shared by the typed modules (services, selectors, permissions).

``AnyUser`` is whoever makes a request: a person (``accounts.models.User``) or the
anonymous visitor. Permissions take it; services that change state take a ``User``.
Import it under ``TYPE_CHECKING`` (it is only a name for mypy).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User

AnyUser: TypeAlias = "User | AnonymousUser"
