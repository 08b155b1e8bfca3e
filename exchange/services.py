"""Writes for ClusterXchange: offers, the application workflow, reports.

Every transition goes through ``_transition``: it locks the application row,
checks the state it starts from (so of two people acting at once, one wins and
the other is told), records who, when and why (an AuditEvent, shown as the
application's timeline) and the caller tells the people concerned.
"""

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.selectors import secretariat_users
from clusters.models import Cluster, ClusterMembership
from core.files import file_name_for, validate_upload
from core.services import record
from notifications.services import notify

from . import notifications as kinds
from . import permissions as perms
from .funding import Funding, compute_funding, working_days
from .models import (
    ACTIVE_STATES,
    FUNDED_STATES,
    Application,
    ApplicationVersion,
    Call,
    Decision,
    Offer,
    ReferenceCounter,
    ReportAttachment,
    Review,
    VisitReport,
)
from .selectors import clusters_of_member

S = Application.Status

WRONG_STATE = _(
    "This application is now “%(status)s”: it cannot be %(action)s. "
    "Someone may have acted on it a moment ago; reload the page to see where it stands."
)
CALL_NOT_OPEN = _(
    "The call “%(call)s” is not open: it takes applications from %(opens)s to %(closes)s."
)
OFFER_CLOSED = _("This offer no longer takes applications: choose another offer.")
OFFER_OTHER_CALL = _("This offer belongs to another call.")
NO_OPEN_APPLICATIONS = _(
    "This call takes applications to offers only: choose one of the offers listed on the call."
)
NOT_YOUR_CLUSTER = _("Choose a cluster you are a member of, or none.")
NO_ORGANISATION = _(
    "Add your organisation (name, country and kind) to your profile: the rules depend on it."
)
KIND_NOT_ELIGIBLE = _("This call is not open to “%(kind)s” applicants. It accepts: %(accepted)s.")
COUNTRY_NOT_ELIGIBLE = _(
    "Your organisation's country, %(country)s, is not eligible in this call. "
    "Eligible countries: %(countries)s."
)
HOST_NOT_ELIGIBLE = _(
    "The host's country, %(country)s, is not eligible in this call: choose a host in %(countries)s."
)
OWN_CLUSTER = _(
    "You are in the team of %(host)s: an exchange is a visit to another cluster. "
    "Choose another cluster's offer."
)
SAME_COUNTRY = _(
    "The host and your organisation are both in %(country)s: an exchange goes to another "
    "country. Choose a host abroad."
)
START_IN_PAST = _("The visit must start after today: move the first day later.")
OUTSIDE_WINDOW = _(
    "The visit must take place between %(start)s and %(end)s (the call's visit window): "
    "change the dates."
)
OUTSIDE_OFFER = _("The host offers visits between %(start)s and %(end)s: change the dates to fit.")
TOO_SHORT = _(
    "The visit is %(days)s working days long; this call asks for at least %(min)s. "
    "Add working days (weekends do not count)."
)
TOO_LONG = _(
    "The visit is %(days)s working days long; this call funds at most %(max)s. Shorten it."
)
NO_CAPACITY = _(
    "This offer's %(capacity)s place(s) are all taken: choose another offer or another host."
)
OVERLAP = _(
    "You already have application %(ref)s in this call from %(start)s to %(end)s: "
    "change the dates so they do not overlap, or withdraw that application."
)
ONE_VISIT_PER_SERIES = _(
    "%(organisation)s already has a visit in the call series “%(series)s” (%(ref)s): "
    "an organisation visits once per series."
)
NO_FUNDED_PLACES = _(
    "All %(places)s funded places of this call are taken: the application cannot be "
    "approved. Reject it or free a place first."
)
HOST_DECLINED = _("The host declined this visit: it cannot be approved.")
MESSAGE_REQUIRED = _("Write a message to the applicant: they read it with the decision.")
GRANT_TOO_HIGH = _("The grant cannot exceed the %(requested)s EUR computed from the call's rules.")
VISIT_STARTED = _("The visit has started: it can no longer be withdrawn.")
WRONG_CLUSTER = _("You can only publish offers for a cluster whose team you are in.")
OFFER_OUTSIDE_WINDOW = _(
    "The offer's period must lie inside the call's visit window (%(start)s – %(end)s)."
)
TOO_MANY_FILES = _("A visit report has at most %(n)s attachments.")
OWN_APPLICATION = _(
    "You cannot decide on this application: it is yours, or it comes from a cluster whose "
    "team you are in. Another member of the secretariat decides on it."
)
HOST_TEAM_DECISION = _(
    "You cannot decide on this application: you are in the host cluster's team, which "
    "gives the host's answer. Another member of the secretariat decides on it."
)
OWN_REVIEW = _(
    "You cannot review your own application: another member of the host's team reviews it."
)

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
REPORT_ATTACHMENTS_MAX = 5
# What the host's acceptance covers: a resubmission that changes one of these goes back
# to the host for a new review, any other edit goes to the secretariat.
HOST_FIELDS = ("start_date", "end_date", "offer", "organisation", "sending_cluster")


# ------------------------------------------------------------------ offers


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
def offer_create(*, actor, call: Call, host: Cluster, data: dict[str, Any], ecosystems) -> Offer:
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
def offer_update(*, offer: Offer, actor, data: dict[str, Any], ecosystems) -> Offer:
    offer = Offer.objects.select_for_update(of=("self",)).select_related("call").get(pk=offer.pk)
    if not perms.can_edit_offer(actor, offer):
        raise PermissionDenied
    changed = []
    for field, value in data.items():
        if field in OFFER_FIELDS and getattr(offer, field) != value:
            setattr(offer, field, value)
            changed.append(field)
    _check_offer(offer)
    offer.save()
    offer.ecosystems.set(ecosystems)
    if changed:
        record(actor=actor, verb="exchange.offer_update", target=offer, changes={"fields": changed})
    return offer


# ----------------------------------------------------------- applications


def _next_reference(year: int) -> str:
    counter, _created = ReferenceCounter.objects.get_or_create(year=year)
    counter = ReferenceCounter.objects.select_for_update().get(pk=counter.pk)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"CX-{year}-{counter.last:04d}"


def _check_sending_cluster(actor, cluster: Cluster | None) -> None:
    if cluster is None:
        return
    if not clusters_of_member(user=actor).filter(pk=cluster.pk).exists():
        raise ValidationError({"sending_cluster": NOT_YOUR_CLUSTER})


@transaction.atomic
def application_create(
    *, actor, call: Call, data: dict[str, Any], offer: Offer | None = None, host=None
) -> Application:
    """A member starts an application (a draft) to an offer, or to a host directly."""
    if not perms.can_apply(actor, call):
        raise ValidationError(_call_not_open(call))
    if offer is not None:
        if offer.call_id != call.pk:
            raise ValidationError(OFFER_OTHER_CALL)
        if not offer.is_active:
            raise ValidationError(OFFER_CLOSED)
        host = offer.host
    elif not call.open_applications:
        raise ValidationError(NO_OPEN_APPLICATIONS)
    if host is None:
        raise ValidationError({"host": _("Choose the cluster you want to visit.")})
    if perms.is_cluster_team(actor, host.pk):
        raise ValidationError(OWN_CLUSTER % {"host": host.name})
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
    _set_funding(application)
    application.full_clean()
    application.save()
    record(actor=actor, verb="exchange.create", target=application, to_state=S.DRAFT)
    return application


@transaction.atomic
def application_update(*, application: Application, actor, data: dict[str, Any]) -> Application:
    application = _locked(application)
    if not perms.can_edit_application(actor, application):
        raise PermissionDenied
    _check_sending_cluster(actor, data.get("sending_cluster"))
    changed = []
    for field, value in data.items():
        if field in APPLICATION_FIELDS and getattr(application, field) != value:
            setattr(application, field, value)
            changed.append(field)
    application.organisation = actor.organisation
    _set_funding(application)
    application.full_clean()
    application.save()
    if changed:
        record(
            actor=actor,
            verb="exchange.update",
            target=application,
            changes={"fields": changed},
        )
    return application


def funding_for(application: Application) -> Funding | None:
    if not (application.start_date and application.end_date) or application.distance_km is None:
        return None
    return compute_funding(
        call=application.call,
        host_country=application.host.country.code,
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


def _country_names(codes) -> str:
    from django_countries import countries

    return ", ".join(str(countries.name(c)) for c in codes) or "—"


def eligibility_problems(
    application: Application, *, now: datetime | None = None, resubmission: bool | None = None
) -> list[tuple[str | None, str]]:
    """Every rule the application breaks, as (form field, message saying what to change).

    Funded places are not checked here: they are counted at approval. An application sent
    back for more information (``resubmission``, by default when it is in ``more_info``)
    already has its place with the host: the call may have closed, or the offer stopped
    taking new applications, since it was first submitted; the other rules still hold.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    if resubmission is None:
        resubmission = application.status == S.MORE_INFO
    call, host, org = application.call, application.host, application.organisation
    problems: list[tuple[str | None, str]] = []
    if not resubmission and call.status_at(now) != Call.Status.OPEN:
        problems.append((None, _call_not_open(call)))
    if perms.is_cluster_team(application.applicant, host.pk):
        problems.append((None, OWN_CLUSTER % {"host": host.name}))
    offer = application.offer
    if not resubmission and offer is not None and not offer.is_active:
        problems.append((None, str(OFFER_CLOSED)))
    if application.applicant_kind not in (call.eligible_kinds or []):
        from .models import ApplicantKind

        accepted = ", ".join(str(ApplicantKind(k).label) for k in call.eligible_kinds)
        problems.append(
            (
                "applicant_kind",
                KIND_NOT_ELIGIBLE
                % {"kind": application.get_applicant_kind_display(), "accepted": accepted},
            )
        )
    eligible = [c.code for c in call.eligible_countries]
    names = _country_names(eligible)
    if org is None:
        problems.append((None, str(NO_ORGANISATION)))
    elif org.country.code not in eligible:
        problems.append(
            (None, COUNTRY_NOT_ELIGIBLE % {"country": org.country.name, "countries": names})
        )
    if host.country.code not in eligible:
        problems.append(
            (None, HOST_NOT_ELIGIBLE % {"country": host.country.name, "countries": names})
        )
    if org is not None and org.country.code == host.country.code:
        problems.append((None, SAME_COUNTRY % {"country": host.country.name}))
    start, end = application.start_date, application.end_date
    if start <= today:
        problems.append(("start_date", str(START_IN_PAST)))
    if start < call.visits_from or end > call.visits_until:
        problems.append(
            ("start_date", OUTSIDE_WINDOW % {"start": call.visits_from, "end": call.visits_until})
        )
    elif offer is not None and (start < offer.available_from or end > offer.available_until):
        problems.append(
            (
                "start_date",
                OUTSIDE_OFFER % {"start": offer.available_from, "end": offer.available_until},
            )
        )
    days = working_days(start, end)
    if days < call.min_days:
        problems.append(("end_date", TOO_SHORT % {"days": days, "min": call.min_days}))
    elif days > call.max_days:
        problems.append(("end_date", TOO_LONG % {"days": days, "max": call.max_days}))
    others = Application.objects.exclude(pk=application.pk)
    if offer is not None:
        taken = others.filter(offer=offer, status__in=ACTIVE_STATES).count()
        if taken >= offer.capacity:
            problems.append((None, NO_CAPACITY % {"capacity": offer.capacity}))
    overlapping = (
        others.filter(
            applicant_id=application.applicant_id,
            call=call,
            status__in=ACTIVE_STATES,
            start_date__lte=end,
            end_date__gte=start,
        )
        .order_by("start_date")
        .first()
    )
    if overlapping is not None:
        problems.append(
            (
                "start_date",
                OVERLAP
                % {
                    "ref": overlapping.reference,
                    "start": overlapping.start_date,
                    "end": overlapping.end_date,
                },
            )
        )
    used = _series_visit(application)
    if used is not None:
        problems.append((None, _one_visit_per_series(application, used)))
    return problems


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
        "organisation": application.organisation.name,
        "series": application.call.series,
        "ref": used.reference,
    }


def _raise_problems(problems: list[tuple[str | None, str]]) -> None:
    errors: dict[str, list[str]] = {}
    for field, message in problems:
        errors.setdefault(field or "__all__", []).append(message)
    raise ValidationError(errors)


def _locked(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("call", "host", "offer", "organisation", "applicant")
        .get(pk=application.pk)
    )


def _transition(
    application: Application, *, to: str, allowed_from: set[str], action: str
) -> tuple[Application, str]:
    """Lock the application, check where it stands, move it to ``to`` (not yet saved)."""
    locked = _locked(application)
    if locked.status not in allowed_from:
        raise ValidationError(
            WRONG_STATE % {"status": locked.get_status_display(), "action": action}
        )
    before = locked.status
    locked.status = to
    return locked, before


def _record(application, actor, verb, before, comment=""):
    record(
        actor=actor,
        verb=verb,
        target=application,
        from_state=before,
        to_state=application.status,
        comment=comment,
    )


def _snapshot(application: Application) -> dict[str, Any]:
    data = {
        f: str(getattr(application, f))
        for f in APPLICATION_FIELDS
        if f not in {"sending_cluster", "travel_from_country"}
    }
    data["offer"] = str(application.offer or "")
    data["sending_cluster"] = str(application.sending_cluster or "")
    data["travel_from_country"] = str(application.travel_from_country.name)
    data["organisation"] = str(application.organisation or "")
    data["funding_requested"] = str(application.funding_requested)
    return data


def _changed_for_host(application: Application) -> list[str]:
    """The fields the host accepted (HOST_FIELDS) that differ from the last version sent."""
    last = application.versions.order_by("-number").first()
    if last is None:
        return []
    now = _snapshot(application)
    return [f for f in HOST_FIELDS if f in last.data and last.data[f] != now[f]]


@transaction.atomic
def application_submit(*, application: Application, actor) -> Application:
    """Check eligibility and send the application to the host. After a request for more
    information it goes back to the secretariat, unless the dates, the offer or the
    sending organisation changed: the host's acceptance does not cover those, so it goes
    back to the host for a new review."""
    if not perms.is_applicant(actor, application):
        raise PermissionDenied
    application, before = _transition(
        application,
        to=S.SUBMITTED,
        allowed_from={S.DRAFT, S.MORE_INFO},
        action=_("submitted"),
    )
    if application.offer_id:  # one submit at a time per offer, so capacity holds
        Offer.objects.select_for_update().filter(pk=application.offer_id).first()
    application.organisation = actor.organisation
    problems = eligibility_problems(application, resubmission=before == S.MORE_INFO)
    if problems:
        _raise_problems(problems)
    _set_funding(application)
    resubmitted = before == S.MORE_INFO
    changed = _changed_for_host(application) if resubmitted else []
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
        changes={"host_fields": changed} if changed else None,
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
def application_review(
    *, application: Application, actor, recommendation: str, comment: str = ""
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
    application, before = _transition(
        application,
        to=S.HOST_ACCEPTED if accept else S.HOST_DECLINED,
        allowed_from={S.SUBMITTED},
        action=_("reviewed"),
    )
    application.save()
    Review.objects.create(
        application=application, reviewer=actor, recommendation=recommendation, comment=comment
    )
    _record(application, actor, "exchange.review", before, comment)
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
    actor,
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
    }[outcome]
    allowed = (
        {S.HOST_ACCEPTED, S.HOST_DECLINED} if outcome == Outcome.REJECTED else {S.HOST_ACCEPTED}
    )
    locked = _locked(application)
    if outcome != Outcome.REJECTED and locked.status == S.HOST_DECLINED:
        raise ValidationError(HOST_DECLINED)
    application, before = _transition(locked, to=to, allowed_from=allowed, action=_("decided on"))
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
    application.save()
    Decision.objects.create(
        application=application,
        decided_by=actor,
        outcome=outcome,
        message=message,
        funding_granted=granted,
    )
    _record(application, actor, f"exchange.{outcome}", before, message)
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


@transaction.atomic
def application_withdraw(*, application: Application, actor, comment: str = "") -> Application:
    """The applicant withdraws, any time before the visit starts."""
    if not perms.is_applicant(actor, application):
        raise PermissionDenied
    application, before = _transition(
        application,
        to=S.WITHDRAWN,
        allowed_from=perms.WITHDRAWABLE,
        action=_("withdrawn"),
    )
    if application.start_date <= timezone.localdate():
        raise ValidationError(VISIT_STARTED)
    application.save()
    comment = (comment or "").strip()
    _record(application, actor, "exchange.withdraw", before, comment)
    if before != S.DRAFT:
        notify(
            recipients=kinds.host_people(application),
            kind=kinds.WITHDRAWN.name,
            context={"application": application, "comment": comment},
            link=application.get_absolute_url(),
        )
    return application


def applications_open_reports(*, now: datetime | None = None) -> int:
    """Approved visits that have ended now wait for their report. Run daily."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    opened = 0
    ended = Application.objects.filter(status=S.APPROVED, end_date__lt=today).values_list(
        "pk", flat=True
    )
    for pk in ended:
        with transaction.atomic():
            application = _locked(Application(pk=pk))
            if application.status != S.APPROVED:
                continue  # withdrawn or moved on meanwhile
            application.status = S.REPORT_DUE
            application.report_due_at = now
            application.save()
            _record(application, None, "exchange.report_due", S.APPROVED)
            opened += 1
    return opened


@transaction.atomic
def report_submit(
    *, application: Application, actor, data: dict[str, Any], files=()
) -> VisitReport:
    """The visitor reports on the visit; the application is then completed."""
    if not perms.is_applicant(actor, application):
        raise PermissionDenied
    application, before = _transition(
        application, to=S.COMPLETED, allowed_from={S.REPORT_DUE}, action=_("reported on")
    )
    files = list(files or [])
    if len(files) > REPORT_ATTACHMENTS_MAX:
        raise ValidationError({"attachments": TOO_MANY_FILES % {"n": REPORT_ATTACHMENTS_MAX}})
    report = VisitReport(
        application=application,
        submitted_by=actor,
        **{
            k: data[k]
            for k in ("what_happened", "results", "contacts", "follow_up", "satisfaction")
        },
    )
    report.full_clean()
    typed = []
    for uploaded in files:  # every file is checked before any is stored
        try:
            content_type = validate_upload(
                uploaded, max_bytes=settings.PRACTICE_ATTACHMENT_MAX_BYTES
            )
        except ValidationError as exc:
            raise ValidationError({"attachments": exc.messages}) from None
        typed.append((uploaded, content_type))
    report.save()
    for uploaded, content_type in typed:
        name = file_name_for(uploaded.name, content_type)
        attachment = ReportAttachment(
            report=report, name=name, content_type=content_type, size=uploaded.size
        )
        attachment.file.save(name, uploaded, save=False)
        attachment.save()
    application.save()
    _record(application, actor, "exchange.report", before)
    return report
