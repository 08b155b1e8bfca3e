"""The host's review and the secretariat's decision on a submitted application."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.selectors import secretariat_users
from notifications.services import notify

from .. import notifications as kinds
from .. import permissions as perms
from ..models import FUNDED_STATES, Application, Call, Decision, Review
from .common import S, _locked, _one_visit_per_series, _series_visit, _transition
from .messages import (
    GRANT_TOO_HIGH,
    HOST_DECLINED,
    HOST_TEAM_DECISION,
    MESSAGE_REQUIRED,
    NO_FUNDED_PLACES,
    OWN_APPLICATION,
    OWN_REVIEW,
)

if TYPE_CHECKING:
    from accounts.models import User


@transaction.atomic
def application_review(
    *, application: Application, actor: User, recommendation: str, comment: str = ""
) -> Application:
    """The host's answer: accept (goes to the secretariat) or decline."""
    if perms.is_applicant(actor, application):
        raise PermissionDenied(OWN_REVIEW)
    if not perms.is_reviewer(actor, application):
        raise PermissionDenied
    if recommendation not in Review.Recommendation.values:
        raise ValidationError({"recommendation": _("Choose accept or decline.")})
    accept = recommendation == Review.Recommendation.ACCEPT
    comment = (comment or "").strip()
    application, _before = _transition(
        application,
        to=S.HOST_ACCEPTED if accept else S.HOST_DECLINED,
        actor=actor,
        verb="exchange.review",
        allowed_from={S.SUBMITTED},
        action=_("reviewed"),
        comment=comment,
    )
    Review.objects.create(
        application=application, reviewer=actor, recommendation=recommendation, comment=comment
    )
    link = application.get_absolute_url()
    notify(
        recipients=[application.applicant],
        kind=kinds.HOST_REVIEWED.name,
        context={"application": application, "accepted": accept},
        link=link,
    )
    if accept:
        notify(
            recipients=secretariat_users(),
            kind=kinds.HOST_ACCEPTED.name,
            context={"application": application},
            link=link,
        )
    return application


def _funded_places_left(call: Call, application: Application) -> bool:
    Call.objects.select_for_update().filter(pk=call.pk).first()  # approvals one at a time
    used = (
        Application.objects.filter(call=call, status__in=FUNDED_STATES)
        .exclude(pk=application.pk)
        .count()
    )
    return used < call.funded_places


@transaction.atomic
def application_decide(
    *,
    application: Application,
    actor: User,
    outcome: str,
    message: str = "",
    funding_granted: Decimal | None = None,
) -> Application:
    """The secretariat's decision: approve (with the funding granted), reject, or ask for
    more information (the applicant edits and resubmits)."""
    if not perms.is_secretariat(actor):
        raise PermissionDenied
    if perms.is_party(actor, _locked(application)):
        raise PermissionDenied(OWN_APPLICATION)
    if perms.is_host_party(actor, application):
        raise PermissionDenied(HOST_TEAM_DECISION)
    Outcome = Decision.Outcome
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Choose approve, reject or ask for more information.")})
    message = (message or "").strip()
    if outcome in {Outcome.REJECTED, Outcome.MORE_INFO} and not message:
        raise ValidationError({"message": MESSAGE_REQUIRED})
    to = {
        Outcome.APPROVED: S.APPROVED,
        Outcome.REJECTED: S.REJECTED,
        Outcome.MORE_INFO: S.MORE_INFO,
    }[outcome]  # type: ignore[index]  # a TextChoices member is its str value
    allowed = (
        {S.HOST_ACCEPTED, S.HOST_DECLINED} if outcome == Outcome.REJECTED else {S.HOST_ACCEPTED}
    )
    locked = _locked(application)
    if outcome != Outcome.REJECTED and locked.status == S.HOST_DECLINED:
        raise ValidationError(HOST_DECLINED)
    # Moved and recorded under the lock; a check below that fails rolls it all back.
    application, _before = _transition(
        locked,
        to=to,
        actor=actor,
        verb=f"exchange.{outcome}",
        allowed_from=allowed,
        action=_("decided on"),
        comment=message,
    )
    granted = None
    if outcome == Outcome.APPROVED:
        granted = application.funding_requested if funding_granted is None else funding_granted
        if granted < 0 or granted > application.funding_requested:
            raise ValidationError(
                {"funding_granted": GRANT_TOO_HIGH % {"requested": application.funding_requested}}
            )
        if not _funded_places_left(application.call, application):
            raise ValidationError(NO_FUNDED_PLACES % {"places": application.call.funded_places})
        # Checked at submit against funded visits only: two applications of one
        # organisation may both be waiting, and only one of them may be approved.
        used = _series_visit(application)
        if used is not None:
            raise ValidationError(_one_visit_per_series(application, used))
    Decision.objects.create(
        application=application,
        decided_by=actor,
        outcome=outcome,
        message=message,
        funding_granted=granted,
    )
    kind = kinds.MORE_INFO if outcome == Outcome.MORE_INFO else kinds.DECIDED
    notify(
        recipients=[application.applicant],
        kind=kind.name,
        context={
            "application": application,
            "outcome": outcome,
            "message": message,
            "granted": granted,
        },
        link=application.get_absolute_url(),
    )
    return application
