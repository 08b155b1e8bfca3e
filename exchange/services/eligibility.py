"""The eligibility rules of an application, one small function per rule.

Each rule looks at one ``Check`` and returns its problem, (form field or None, a
message saying what to change), or None. ``eligibility_problems`` runs ``RULES`` in
order and returns every problem found, so the applicant sees them all at once.

The rules in ``BEFORE_THE_FORM`` need nothing the applicant types: ``apply_refusal``
runs them on the application a person *would* write (their organisation, the offer),
so the offer and call pages show the reason instead of an Apply button, the
new-application page refuses with it, and ``application_create`` runs the same rules on
the draft: a page and a save never disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils import timezone

from accounts.permissions import is_authenticated
from clusters.selectors import clusters_of_user

from .. import permissions as perms
from ..funding import working_days
from ..models import ACTIVE_STATES, ApplicantKind, Application, Call, applicant_kind_for
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
    SIGN_IN_TO_APPLY,
    START_IN_PAST,
    TOO_LONG,
    TOO_SHORT,
)

if TYPE_CHECKING:
    from accounts.types import AnyUser
    from clusters.models import Cluster

    from ..models import Offer

Problem = tuple[str | None, str]
_UNKNOWN: object = object()


@dataclass(frozen=True)
class Check:
    """One application as the rules see it, at the moment ``now``.

    A list page checks many offers for one person: it passes what it already knows
    (``team_clusters``, the offer's places ``taken``, the organisation's ``series_visit``)
    so the rules ask the database once per page, not once per offer. Left out, each rule
    looks it up itself (and a save always does, under its locks).
    """

    application: Application
    now: datetime
    today: date
    resubmission: bool
    team_clusters: frozenset[int] | None = None
    taken: int | None = None
    series_visit: object = field(default=_UNKNOWN)

    @property
    def call(self) -> Call:
        return self.application.call

    @property
    def host(self) -> Cluster | None:
        """None before a host is chosen (a call taking applications to any host)."""
        return self.application.host if self.application.host_id else None

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
    host = c.host
    if host is None:
        return None
    if c.team_clusters is not None:
        mine = host.pk in c.team_clusters
    else:
        mine = perms.is_cluster_team(c.application.applicant, host.pk)
    if mine:
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
    host = c.host
    if host is None:
        return None
    if host.country.code not in c.eligible_countries:  # type: ignore[attr-defined]  # CountryField: a Country
        names = _country_names(c.eligible_countries)
        return (None, HOST_NOT_ELIGIBLE % {"country": host.country.name, "countries": names})  # type: ignore[attr-defined]  # CountryField: a Country
    return None


def goes_abroad(c: Check) -> Problem | None:
    org, host = c.application.organisation, c.host
    if org is not None and host is not None and org.country.code == host.country.code:  # type: ignore[attr-defined]  # CountryField: a Country
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
    taken = c.taken
    if taken is None:
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
    used = c.series_visit if c.series_visit is not _UNKNOWN else _series_visit(c.application)
    if isinstance(used, Application):
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


# The rules that need nothing the applicant types (no dates, no distance): checked before
# the form is shown, and again when the draft is saved (``application_create``).
BEFORE_THE_FORM: list[Callable[[Check], Problem | None]] = [
    call_is_open,
    not_own_cluster,
    offer_is_active,
    applicant_kind_eligible,
    organisation_country_eligible,
    host_country_eligible,
    goes_abroad,
    offer_has_a_place,
    one_visit_per_series,
]
# What can be said to someone not signed in (the rest depends on who they are).
ABOUT_THE_OFFER = [call_is_open, offer_is_active, host_country_eligible, offer_has_a_place]


@dataclass(frozen=True)
class Refusal:
    """Why a person cannot apply: the messages, and what would unblock them."""

    messages: list[str]
    sign_in: bool = False  # not signed in: the page links to the login
    organisation: bool = False  # no organisation in the profile: the page links to it


def gate_problems(
    application: Application, *, now: datetime | None = None, **known: object
) -> list[Problem]:
    """The ``BEFORE_THE_FORM`` rules the application (or the one a person would write)
    breaks. ``known``: what the caller already looked up (see ``Check``)."""
    now = now or timezone.now()
    check = Check(application, now, timezone.localdate(now), False, **known)  # type: ignore[arg-type]  # the optional facts of Check
    return [problem for rule in BEFORE_THE_FORM if (problem := rule(check)) is not None]


def _prospect(user: AnyUser, call: Call, offer: Offer | None, host: Cluster | None) -> Application:
    """The application ``user`` would write to ``offer`` (or ``host``): never saved."""
    host = offer.host if offer is not None else host
    organisation = user.organisation if is_authenticated(user) else None
    # Without an organisation the kind is not known yet: that is said once (NO_ORGANISATION).
    kind = applicant_kind_for(organisation) if organisation else (call.eligible_kinds or [""])[0]
    application = Application(
        call=call, offer=offer, organisation=organisation, applicant_kind=kind, status=S.DRAFT
    )
    if host is not None:
        application.host = host
    if is_authenticated(user):
        application.applicant = user
    return application


@dataclass(frozen=True)
class ApplyFacts:
    """What the rules need to know about one person, looked up once for a page of offers."""

    team_clusters: frozenset[int]
    series_visit: Application | None


def apply_facts(user: AnyUser, call: Call) -> ApplyFacts:
    if not is_authenticated(user):
        return ApplyFacts(frozenset(), None)
    teams = frozenset(clusters_of_user(user=user).values_list("pk", flat=True))
    visit = _series_visit(_prospect(user, call, None, None))
    return ApplyFacts(teams, visit)


def apply_refusal(
    user: AnyUser,
    *,
    call: Call,
    offer: Offer | None = None,
    host: Cluster | None = None,
    facts: ApplyFacts | None = None,
    now: datetime | None = None,
) -> Refusal | None:
    """Can ``user`` apply to ``offer`` (or to the call, choosing the host in the form)?
    None if so, else why not. The offer's ``taken`` annotation (``selectors._offers``)
    is used when present."""
    application = _prospect(user, call, offer, host)
    known: dict[str, object] = {}
    if offer is not None and hasattr(offer, "taken"):
        known["taken"] = offer.taken
    now = now or timezone.now()
    check_time = (now, timezone.localdate(now))
    if not is_authenticated(user):
        check = Check(application, *check_time, False, **known)  # type: ignore[arg-type]  # the optional facts of Check
        problems = [p for rule in ABOUT_THE_OFFER if (p := rule(check)) is not None]
        if problems:  # signing in would not help
            return Refusal([message for _field, message in problems])
        return Refusal([str(SIGN_IN_TO_APPLY)], sign_in=True)
    facts = facts or apply_facts(user, call)
    problems = gate_problems(
        application,
        now=now,
        team_clusters=facts.team_clusters,
        series_visit=facts.series_visit,
        **known,
    )
    if not problems:
        return None
    return Refusal(
        [message for _field, message in problems],
        organisation=application.organisation is None,
    )
