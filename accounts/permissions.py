"""Who a person is to the network, the checks every app asks of a user."""


def is_authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def is_secretariat(user) -> bool:
    """The network's coordinators (``is_staff``): they moderate, approve and decide."""
    return is_authenticated(user) and bool(getattr(user, "is_staff", False))
