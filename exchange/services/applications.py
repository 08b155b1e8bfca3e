"""The applicant's side of an application: draft, edit, submit (or resubmit), withdraw."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.selectors import secretariat_users
from clusters.models import Cluster
from core.services import assign, change, record
from notifications.services import notify

from .. import notifications as kinds
from .. import permissions as perms
from ..models import Application, ApplicationVersion, Call, Offer, ReferenceCounter, Review
from ..selectors import clusters_of_member
from .common import (
    APPLICATION_FIELDS,
    HOST_FIELDS,
    S,
    _locked,
    _locked_in,
    _raise_problems,
    _set_funding,
    _transition,
)
from .eligibility import eligibility_problems, gate_problems
from .messages import NO_OPEN_APPLICATIONS, NOT_YOUR_CLUSTER, OFFER_OTHER_CALL, VISIT_STARTED

if TYPE_CHECKING:
    from accounts.models import User
    from clusters.models import Cluster


def _next_reference(year: int) -> str:
    counter, _created = ReferenceCounter.objects.get_or_create(year=year)
    counter = ReferenceCounter.objects.select_for_update().get(pk=counter.pk)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"CX-{year}-{counter.last:04d}"


def _check_sending_cluster(actor: User, cluster: Cluster | None) -> None:
    if cluster is None:
        return
    if not clusters_of_member(user=actor).filter(pk=cluster.pk).exists():
        raise ValidationError({"sending_cluster": NOT_YOUR_CLUSTER})


@transaction.atomic
def application_create(
    *,
    actor: User,
    call: Call,
    data: dict[str, Any],
    offer: Offer | None = None,
    host: Cluster | None = None,
) -> Application:
    """A member starts an application (a draft) to an offer, or to a host directly.

    The rules that need nothing typed in the form (``BEFORE_THE_FORM``: the call is open,
    not one's own cluster, the offer has a place, the organisation is eligible and has not
    visited in the series…) are the ones the pages check before showing the form; they
    refuse the draft here too. The others are checked on submit."""
    if offer is not None:
        if offer.call_id != call.pk:
            raise ValidationError(OFFER_OTHER_CALL)
        host = offer.host
    elif not call.open_applications:
        raise ValidationError(NO_OPEN_APPLICATIONS)
    if host is None:
        raise ValidationError({"host": _("Choose the cluster you want to visit.")})
    _check_sending_cluster(actor, data.get("sending_cluster"))
    application = Application(
        reference=_next_reference(timezone.localdate().year),
        call=call,
        offer=offer,
        host=host,
        applicant=actor,
        organisation=actor.organisation,
        status=S.DRAFT,
        **{k: v for k, v in data.items() if k in APPLICATION_FIELDS},
    )
    problems = gate_problems(application)
    if problems:
        _raise_problems(problems)
    _set_funding(application)
    application.full_clean()
    application.save()
    record(actor=actor, verb="exchange.create", target=application, to_state=S.DRAFT)
    return application


@transaction.atomic
def application_update(
    *, application: Application, actor: User, data: dict[str, Any]
) -> Application:
    application = _locked(application)
    if not perms.can_edit_application(actor, application):
        raise PermissionDenied
    _check_sending_cluster(actor, data.get("sending_cluster"))
    changes = assign(application, data, fields=APPLICATION_FIELDS)
    application.organisation = actor.organisation
    _set_funding(application)
    application.full_clean()
    application.save()
    if changes:
        record(actor=actor, verb="exchange.update", target=application, changes=changes)
    return application


def _snapshot(application: Application) -> dict[str, Any]:
    data = {
        f: str(getattr(application, f))
        for f in APPLICATION_FIELDS
        if f not in {"sending_cluster", "travel_from_country"}
    }
    data["offer"] = str(application.offer or "")
    data["sending_cluster"] = str(application.sending_cluster or "")
    data["travel_from_country"] = str(application.travel_from_country.name)  # type: ignore[attr-defined]  # CountryField: a Country
    data["organisation"] = str(application.organisation or "")
    data["funding_requested"] = str(application.funding_requested)
    return data


def _changed_for_host(application: Application) -> dict[str, list[str]]:
    """The fields the host accepted (HOST_FIELDS) that differ from the last version sent,
    as an audit record's changes ({field: [as sent, as now]})."""
    last = application.versions.order_by("-number").first()
    if last is None:
        return {}
    now = _snapshot(application)
    return {
        f: change(last.data[f], now[f])
        for f in HOST_FIELDS
        if f in last.data and last.data[f] != now[f]
    }


@transaction.atomic
def application_submit(*, application: Application, actor: User) -> Application:
    """Check eligibility and send the application to the host. After a request for more
    information it goes back to the secretariat, unless the dates, the offer or the
    sending organisation changed: the host's acceptance does not cover those, so it goes
    back to the host for a new review."""
    if not perms.is_applicant(actor, application):
        raise PermissionDenied
    application = _locked_in(
        application, allowed_from={S.DRAFT, S.MORE_INFO}, action=_("submitted")
    )
    before, application.status = application.status, S.SUBMITTED
    if application.offer_id:  # one submit at a time per offer, so capacity holds
        Offer.objects.select_for_update().filter(pk=application.offer_id).first()
    application.organisation = actor.organisation
    problems = eligibility_problems(application, resubmission=before == S.MORE_INFO)
    if problems:
        _raise_problems(problems)
    _set_funding(application)
    resubmitted = before == S.MORE_INFO
    changed = _changed_for_host(application) if resubmitted else {}
    to_secretariat = resubmitted and not changed
    if to_secretariat:
        application.status = S.HOST_ACCEPTED
    elif resubmitted:  # the host reviews it again: its earlier review is in the timeline
        Review.objects.filter(application=application).delete()
    application.submitted_at = timezone.now()
    application.save()
    ApplicationVersion.objects.create(
        application=application,
        number=application.versions.count() + 1,
        data=_snapshot(application),
        created_by=actor,
    )
    if not resubmitted:
        verb = "exchange.submit"
    else:
        verb = "exchange.resubmit" if to_secretariat else "exchange.resubmit_to_host"
    record(
        actor=actor,
        verb=verb,
        target=application,
        from_state=before,
        to_state=application.status,
        changes=changed,
    )
    context = {"application": application, "back_to_host": bool(changed)}
    link = application.get_absolute_url()
    if to_secretariat:
        notify(
            recipients=secretariat_users(), kind=kinds.RESUBMITTED.name, context=context, link=link
        )
    else:
        notify(
            recipients=kinds.host_people(application),
            kind=kinds.NEW_APPLICATION.name,
            context=context,
            link=link,
        )
    return application


@transaction.atomic
def application_withdraw(
    *, application: Application, actor: User, comment: str = ""
) -> Application:
    """The applicant withdraws, any time before the visit starts."""
    if not perms.is_applicant(actor, application):
        raise PermissionDenied
    comment = (comment or "").strip()
    application, before = _transition(
        application,
        to=S.WITHDRAWN,
        actor=actor,
        verb="exchange.withdraw",
        allowed_from=perms.WITHDRAWABLE,
        action=_("withdrawn"),
        comment=comment,
    )
    if application.start_date <= timezone.localdate():
        raise ValidationError(VISIT_STARTED)  # rolls the withdrawal back
    if before != S.DRAFT:
        notify(
            recipients=kinds.host_people(application),
            kind=kinds.WITHDRAWN.name,
            context={"application": application, "comment": comment},
            link=application.get_absolute_url(),
        )
    return application
