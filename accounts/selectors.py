from clusters.models import ClusterMembership

from .models import User
from .permissions import is_secretariat


def user_has_mfa(*, user: User) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def user_should_use_mfa(*, user: User) -> bool:
    """Staff and cluster managers hold the keys to other people's data."""
    return (
        is_secretariat(user)
        or ClusterMembership.objects.filter(user=user, role=ClusterMembership.Role.MANAGER).exists()
    )


def secretariat_users():
    """The network's coordinators: they moderate, approve and decide."""
    return User.objects.filter(is_staff=True, is_active=True).order_by("pk")
