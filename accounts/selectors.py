from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from .models import User
from .permissions import is_secretariat

if TYPE_CHECKING:
    from django.db.models import QuerySet


def user_has_mfa(*, user: User) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


# Roles that hold other people's data, registered by the apps that give them (clusters
# registers "manager of a cluster" from its AppConfig.ready()): accounts knows none of them.
_MFA_ROLES: list[Callable[[User], bool]] = []


def register_mfa_role(holds_data: Callable[[User], bool]) -> Callable[[User], bool]:
    if holds_data not in _MFA_ROLES:
        _MFA_ROLES.append(holds_data)
    return holds_data


def user_should_use_mfa(*, user: User) -> bool:
    """Staff and cluster managers hold the keys to other people's data."""
    return is_secretariat(user) or any(holds_data(user) for holds_data in _MFA_ROLES)


def secretariat_users() -> QuerySet[User]:
    """The network's coordinators: they moderate, approve and decide."""
    return User.objects.filter(is_staff=True, is_active=True).order_by("pk")
