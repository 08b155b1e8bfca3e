"""A member tells a practice's cluster that they want to transfer it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from clusters.models import ClusterMembership
from core.services import record
from notifications.services import notify

from .. import notifications as kinds
from ..models import Practice, TransferInterest
from ..permissions import (
    can_express_interest,
)
from .messages import ALREADY_INTERESTED

if TYPE_CHECKING:
    from accounts.models import User


@transaction.atomic
def interest_express(*, practice: Practice, user: User, message: str = "") -> TransferInterest:
    """A member says "we want to transfer this"; the cluster's managers hear of it."""
    if not can_express_interest(user, practice):
        raise PermissionDenied
    try:
        with transaction.atomic():
            interest = TransferInterest.objects.create(
                practice=practice, user=user, message=message.strip()
            )
    except IntegrityError:
        raise ValidationError(ALREADY_INTERESTED) from None
    record(actor=user, verb="practice.interest", target=practice, comment=message[:500])
    managers = [
        m.user
        for m in ClusterMembership.objects.filter(
            cluster_id=practice.cluster_id, role=ClusterMembership.Role.MANAGER
        ).select_related("user")
    ]
    notify(
        recipients=managers,
        kind=kinds.INTEREST.name,
        context={"practice": practice, "interested": user, "message": interest.message},
        link=practice.get_absolute_url(),
        dedupe_key=f"practice-interest:{practice.pk}:{user.pk}",
    )
    return interest
