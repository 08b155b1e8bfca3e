"""What the exchange services share: the application's fields, its row lock and
transition, the funding it asks for, and the one-visit-per-series lookup."""

from collections.abc import Set as AbstractSet
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from core.services import Text, lock_in_state, transition

from ..funding import Funding, compute_funding
from ..models import FUNDED_STATES, Application, Call
from .messages import CALL_NOT_OPEN, ONE_VISIT_PER_SERIES, WRONG_STATE

S = Application.Status

APPLICATION_FIELDS = (
    "applicant_kind",
    "motivation",
    "learning_goals",
    "expected_results",
    "start_date",
    "end_date",
    "travel_from_city",
    "travel_from_country",
    "distance_km",
    "sending_cluster",
)
# What the host's acceptance covers: a resubmission that changes one of these goes back
# to the host for a new review, any other edit goes to the secretariat.
HOST_FIELDS = ("start_date", "end_date", "offer", "organisation", "sending_cluster")


def _application_rows() -> QuerySet[Application]:
    return Application.objects.select_related("call", "host", "offer", "organisation", "applicant")


def _locked(application: Application) -> Application:
    return _application_rows().select_for_update(of=("self",)).get(pk=application.pk)


def _locked_in(
    application: Application, *, allowed_from: AbstractSet[str], action: Text
) -> Application:
    """Lock the application and check, under the lock, where it stands (WRONG_STATE)."""
    return lock_in_state(
        application,
        allowed_from=allowed_from,
        wrong_state=WRONG_STATE,
        action=action,
        queryset=_application_rows(),
    )


def _transition(
    application: Application,
    *,
    to: str,
    actor: Any,
    verb: str,
    allowed_from: AbstractSet[str],
    action: Text,
    comment: str = "",
    also: dict[str, Any] | None = None,
) -> tuple[Application, str]:
    """Lock, check, move to ``to``, save and record (``core.services.transition``)."""
    return transition(
        application,
        to=to,
        actor=actor,
        verb=verb,
        allowed_from=allowed_from,
        wrong_state=WRONG_STATE,
        action=action,
        comment=comment,
        also=also,
        queryset=_application_rows(),
    )


def funding_for(application: Application) -> Funding | None:
    if not (application.start_date and application.end_date) or application.distance_km is None:
        return None
    return compute_funding(
        call=application.call,
        host_country=application.host.country.code,  # type: ignore[attr-defined]  # CountryField: a Country
        start=application.start_date,
        end=application.end_date,
        distance_km=application.distance_km,
    )


def _set_funding(application: Application) -> None:
    funding = funding_for(application)
    if funding is not None:
        application.funding_requested = funding.amount
        application.funding_rule = funding.explanation


def _call_not_open(call: Call) -> str:
    return CALL_NOT_OPEN % {
        "call": call.title,
        "opens": timezone.localtime(call.opens_at).strftime("%d %b %Y %H:%M"),
        "closes": timezone.localtime(call.closes_at).strftime("%d %b %Y %H:%M"),
    }


def _series_visit(application: Application) -> Application | None:
    """The organisation's funded visit in the call's series, if another application has it."""
    if application.organisation is None:
        return None
    return (
        Application.objects.exclude(pk=application.pk)
        .filter(
            organisation=application.organisation,
            call__series=application.call.series,
            status__in=FUNDED_STATES,
        )
        .order_by("created")
        .first()
    )


def _one_visit_per_series(application: Application, used: Application) -> str:
    return ONE_VISIT_PER_SERIES % {
        "organisation": application.organisation.name,  # type: ignore[union-attr]  # called once a series visit is found, which needs an organisation
        "series": application.call.series,
        "ref": used.reference,
    }


def _raise_problems(problems: list[tuple[str | None, str]]) -> None:
    errors: dict[str, list[str]] = {}
    for field, message in problems:
        errors.setdefault(field or "__all__", []).append(message)
    raise ValidationError(errors)
