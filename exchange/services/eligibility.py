"""The eligibility rules of an application, one small function per rule.

Each rule looks at one ``Check`` and returns its problem, (form field or None, a
message saying what to change), or None. ``eligibility_problems`` runs ``RULES`` in
order and returns every problem found, so the applicant sees them all at once.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import QuerySet
from django.utils import timezone

from .. import permissions as perms
from ..funding import working_days
from ..models import ACTIVE_STATES, ApplicantKind, Application, Call
from .common import S, _call_not_open, _one_visit_per_series, _series_visit
from .messages import (
    COUNTRY_NOT_ELIGIBLE,
    HOST_NOT_ELIGIBLE,
    KIND_NOT_ELIGIBLE,
    NO_CAPACITY,
    NO_ORGANISATION,
    OFFER_CLOSED,
    OUTSIDE_OFFER,
    OUTSIDE_WINDOW,
    OVERLAP,
    OWN_CLUSTER,
    SAME_COUNTRY,
    START_IN_PAST,
    TOO_LONG,
    TOO_SHORT,
)

Problem = tuple[str | None, str]


@dataclass(frozen=True)
class Check:
    """One application as the rules see it, at the moment ``now``."""

    application: Application
    now: datetime
    today: date
    resubmission: bool

    @property
    def call(self) -> Call:
        return self.application.call

    @property
    def eligible_countries(self) -> list[str]:
        return [c.code for c in self.call.eligible_countries]  # type: ignore[attr-defined]  # CountryField: a Country

    @property
    def others(self) -> QuerySet[Application]:
        return Application.objects.exclude(pk=self.application.pk)


def _country_names(codes: Iterable[str]) -> str:
    from django_countries import countries

    return ", ".join(str(countries.name(c)) for c in codes) or "—"


def call_is_open(c: Check) -> Problem | None:
    if not c.resubmission and c.call.status_at(c.now) != Call.Status.OPEN:
        return (None, _call_not_open(c.call))
    return None


def not_own_cluster(c: Check) -> Problem | None:
    host = c.application.host
    if perms.is_cluster_team(c.application.applicant, host.pk):
        return (None, OWN_CLUSTER % {"host": host.name})
    return None


def offer_is_active(c: Check) -> Problem | None:
    offer = c.application.offer
    if not c.resubmission and offer is not None and not offer.is_active:
        return (None, str(OFFER_CLOSED))
    return None


def applicant_kind_eligible(c: Check) -> Problem | None:
    application = c.application
    if application.applicant_kind in (c.call.eligible_kinds or []):
        return None
    accepted = ", ".join(str(ApplicantKind(k).label) for k in c.call.eligible_kinds)
    kind = application.get_applicant_kind_display()
    return ("applicant_kind", KIND_NOT_ELIGIBLE % {"kind": kind, "accepted": accepted})


def organisation_country_eligible(c: Check) -> Problem | None:
    org = c.application.organisation
    if org is None:
        return (None, str(NO_ORGANISATION))
    if org.country.code not in c.eligible_countries:  # type: ignore[attr-defined]  # CountryField: a Country
        names = _country_names(c.eligible_countries)
        return (None, COUNTRY_NOT_ELIGIBLE % {"country": org.country.name, "countries": names})  # type: ignore[attr-defined]  # CountryField: a Country
    return None


def host_country_eligible(c: Check) -> Problem | None:
    host = c.application.host
    if host.country.code not in c.eligible_countries:  # type: ignore[attr-defined]  # CountryField: a Country
        names = _country_names(c.eligible_countries)
        return (None, HOST_NOT_ELIGIBLE % {"country": host.country.name, "countries": names})  # type: ignore[attr-defined]  # CountryField: a Country
    return None


def goes_abroad(c: Check) -> Problem | None:
    org, host = c.application.organisation, c.application.host
    if org is not None and org.country.code == host.country.code:  # type: ignore[attr-defined]  # CountryField: a Country
        return (None, SAME_COUNTRY % {"country": host.country.name})  # type: ignore[attr-defined]  # CountryField: a Country
    return None


def starts_after_today(c: Check) -> Problem | None:
    if c.application.start_date <= c.today:
        return ("start_date", str(START_IN_PAST))
    return None


def dates_in_window(c: Check) -> Problem | None:
    """Inside the call's visit window, and then inside the offer's period."""
    start, end = c.application.start_date, c.application.end_date
    call, offer = c.call, c.application.offer
    if start < call.visits_from or end > call.visits_until:
        return (
            "start_date",
            OUTSIDE_WINDOW % {"start": call.visits_from, "end": call.visits_until},
        )
    if offer is not None and (start < offer.available_from or end > offer.available_until):
        return (
            "start_date",
            OUTSIDE_OFFER % {"start": offer.available_from, "end": offer.available_until},
        )
    return None


def length_allowed(c: Check) -> Problem | None:
    days = working_days(c.application.start_date, c.application.end_date)
    if days < c.call.min_days:
        return ("end_date", TOO_SHORT % {"days": days, "min": c.call.min_days})
    if days > c.call.max_days:
        return ("end_date", TOO_LONG % {"days": days, "max": c.call.max_days})
    return None


def offer_has_a_place(c: Check) -> Problem | None:
    offer = c.application.offer
    if offer is None:
        return None
    taken = c.others.filter(offer=offer, status__in=ACTIVE_STATES).count()
    if taken >= offer.capacity:
        return (None, NO_CAPACITY % {"capacity": offer.capacity})
    return None


def no_overlap(c: Check) -> Problem | None:
    application = c.application
    overlapping = (
        c.others.filter(
            applicant_id=application.applicant_id,
            call=c.call,
            status__in=ACTIVE_STATES,
            start_date__lte=application.end_date,
            end_date__gte=application.start_date,
        )
        .order_by("start_date")
        .first()
    )
    if overlapping is None:
        return None
    return (
        "start_date",
        OVERLAP
        % {
            "ref": overlapping.reference,
            "start": overlapping.start_date,
            "end": overlapping.end_date,
        },
    )


def one_visit_per_series(c: Check) -> Problem | None:
    used = _series_visit(c.application)
    if used is not None:
        return (None, _one_visit_per_series(c.application, used))
    return None


RULES: list[Callable[[Check], Problem | None]] = [
    call_is_open,
    not_own_cluster,
    offer_is_active,
    applicant_kind_eligible,
    organisation_country_eligible,
    host_country_eligible,
    goes_abroad,
    starts_after_today,
    dates_in_window,
    length_allowed,
    offer_has_a_place,
    no_overlap,
    one_visit_per_series,
]


def eligibility_problems(
    application: Application, *, now: datetime | None = None, resubmission: bool | None = None
) -> list[Problem]:
    """Every rule the application breaks, as (form field, message saying what to change).

    Funded places are not checked here: they are counted at approval. An application sent
    back for more information (``resubmission``, by default when it is in ``more_info``)
    already has its place with the host: the call may have closed, or the offer stopped
    taking new applications, since it was first submitted; the other rules still hold.
    """
    now = now or timezone.now()
    if resubmission is None:
        resubmission = application.status == S.MORE_INFO
    check = Check(application, now, timezone.localdate(now), resubmission)
    return [problem for rule in RULES if (problem := rule(check)) is not None]
