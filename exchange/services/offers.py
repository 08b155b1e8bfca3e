"""Offers: a host cluster's team publishes and edits the visits it offers in a call."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from clusters.models import Cluster, ClusterMembership
from core.services import assign, record

from .. import permissions as perms
from ..models import Call, Offer
from .messages import OFFER_OUTSIDE_WINDOW, WRONG_CLUSTER

if TYPE_CHECKING:
    from collections.abc import Iterable

    from accounts.models import User
    from clusters.models import Ecosystem

OFFER_FIELDS = (
    "topic",
    "description",
    "languages",
    "available_from",
    "available_until",
    "capacity",
    "contact",
    "is_active",
)


def _check_offer(offer: Offer) -> None:
    call = offer.call
    if (
        offer.available_from
        and offer.available_until
        and (offer.available_from < call.visits_from or offer.available_until > call.visits_until)
    ):
        raise ValidationError(
            {
                "available_from": OFFER_OUTSIDE_WINDOW
                % {"start": call.visits_from, "end": call.visits_until}
            }
        )
    if (
        offer.contact_id
        and not ClusterMembership.objects.filter(
            user_id=offer.contact_id, cluster_id=offer.host_id
        ).exists()
    ):
        raise ValidationError({"contact": _("The contact must be in the host cluster's team.")})
    offer.full_clean()


@transaction.atomic
def offer_create(
    *, actor: User, call: Call, host: Cluster, data: dict[str, Any], ecosystems: Iterable[Ecosystem]
) -> Offer:
    if not perms.can_manage_offers(actor, host):
        raise PermissionDenied(WRONG_CLUSTER)
    offer = Offer(
        call=call,
        host=host,
        created_by=actor,
        **{k: v for k, v in data.items() if k in OFFER_FIELDS},
    )
    _check_offer(offer)
    offer.save()
    offer.ecosystems.set(ecosystems)
    record(actor=actor, verb="exchange.offer_create", target=offer)
    return offer


@transaction.atomic
def offer_update(
    *, offer: Offer, actor: User, data: dict[str, Any], ecosystems: Iterable[Ecosystem]
) -> Offer:
    offer = Offer.objects.select_for_update(of=("self",)).select_related("call").get(pk=offer.pk)
    if not perms.can_edit_offer(actor, offer):
        raise PermissionDenied
    changes = assign(offer, data, fields=OFFER_FIELDS)
    _check_offer(offer)
    offer.save()
    offer.ecosystems.set(ecosystems)
    if changes:
        record(actor=actor, verb="exchange.offer_update", target=offer, changes=changes)
    return offer
