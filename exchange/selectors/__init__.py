"""Reads for ClusterXchange: who sees which application, queues, timelines, suggestions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Case, Count, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.permissions import is_authenticated
from clusters.models import Cluster, ClusterMembership
from clusters.selectors import clusters_of_user
from core.selectors import audit_events_for

from .. import permissions as perms
from ..filters import OfferFilter
from ..models import (
    ACTIVE_STATES,
    FUNDED_STATES,
    Application,
    ApplicationMessage,
    ApplicationVersion,
    Call,
    Decision,
    Offer,
    ReportAttachment,
)

if TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import datetime
    from typing import Any

    from django.http import QueryDict

    from accounts.models import User
    from accounts.types import AnyUser
    from core.models import AuditEvent

S = Application.Status


def calls_visible(*, now: datetime | None = None) -> QuerySet[Call]:
    """Open and upcoming calls, soonest closing first."""
    return Call.objects.visible(now).order_by("closes_at")


def call_get(*, pk: int) -> Call:
    call = Call.objects.prefetch_related("travel_bands", "country_caps").filter(pk=pk).first()
    if call is None:
        raise Http404
    return call


def _offers() -> QuerySet[Offer]:
    return (
        Offer.objects.select_related("host", "call")
        .prefetch_related("ecosystems")
        # A correlated subquery rather than a JOIN and GROUP BY: counting the list and
        # sorting it need no join, and the database counts places for the page's rows only.
        .annotate(
            taken=Coalesce(
                Subquery(
                    Application.objects.filter(offer=OuterRef("pk"), status__in=ACTIVE_STATES)
                    .order_by()
                    .values("offer")
                    .annotate(n=Count("pk"))
                    .values("n")
                ),
                0,
            )
        )
    )


def open_offers(
    *, data: QueryDict | Mapping[str, Any] | None, now: datetime | None = None
) -> tuple[OfferFilter, QuerySet[Offer]]:
    """Offers of the open calls, filtered."""
    now = now or timezone.now()
    base = (
        _offers()
        .filter(is_active=True, call__in=Call.objects.open(now))
        .order_by("available_from", "topic")
    )
    filterset = OfferFilter(data or None, queryset=base)
    if filterset.is_bound and not filterset.is_valid():
        return filterset, base.none()
    return filterset, filterset.qs


def offers_of_call(*, call: Call) -> QuerySet[Offer]:
    return _offers().filter(call=call, is_active=True).order_by("host__country", "topic")


def offer_get(*, pk: int, user: AnyUser, ecosystems: bool = True) -> Offer:
    """One offer; ``ecosystems=False`` leaves them to the offer page's shared fragment,
    which reads them only when it is not in the cache."""
    offers = _offers().select_related("contact")
    if not ecosystems:
        offers = offers.prefetch_related(None)
    offer = offers.filter(pk=pk).first()
    if offer is None:
        raise Http404
    if not offer.is_active and not perms.can_edit_offer(user, offer):
        raise Http404
    return offer


def clusters_hosting(*, user: AnyUser) -> QuerySet[Cluster]:
    """The clusters whose offers the user may publish and manage."""
    return clusters_of_user(user=user)


def offers_of_my_clusters(*, user: AnyUser) -> QuerySet[Offer]:
    return (
        _offers().filter(host__in=clusters_hosting(user=user)).order_by("-call__opens_at", "topic")
    )


def clusters_of_member(*, user: AnyUser) -> QuerySet[Cluster]:
    """The clusters a member belongs to: through a team membership or their organisation.
    Any of them may be the sending cluster of their application. (The ids of both, in a
    UNION: an OR over the two joins scanned every cluster.)"""
    if not is_authenticated(user):
        return Cluster.objects.none()
    ids = ClusterMembership.objects.filter(user=user).order_by().values("cluster_id")
    if user.organisation_id:
        organisations = Cluster.member_organisations.through.objects.filter(
            organisation_id=user.organisation_id
        )
        ids = ids.union(organisations.values("cluster_id"))
    return Cluster.objects.filter(pk__in=ids)


def _applications() -> QuerySet[Application]:
    return Application.objects.select_related(
        "call", "offer__contact", "host", "applicant", "organisation", "sending_cluster"
    )


def my_applications(*, user: User) -> QuerySet[Application]:
    return (
        _applications()
        .select_related("review__reviewer")
        .filter(applicant=user)
        .order_by("-updated")
    )


def application_get(*, pk: int, user: AnyUser) -> Application:
    """One application, or 404 for anybody it does not concern (existence stays private)."""
    application = _applications().filter(pk=pk).first()
    if application is None or not perms.can_view_application(user, application):
        raise Http404
    return application


def review_queue(*, user: User) -> QuerySet[Application]:
    """Applications to the user's clusters: waiting for review first, oldest first."""
    hosts = clusters_of_user(user=user).values("pk")
    return (
        _applications()
        .filter(host_id__in=hosts)
        .exclude(status=S.DRAFT)
        .exclude(status=S.WITHDRAWN, submitted_at__isnull=True)
        .exclude(applicant=user)
        .annotate(waiting=Case(When(status=S.SUBMITTED, then=Value(0)), default=Value(1)))
        .order_by("waiting", "submitted_at")
    )


# What a row of the secretariat's queues shows (the decisions page, the Your work block):
# the rest of the application, its call (27 countries a row) and its offer stay in the
# database; 30 rows built whole took longer than the page's queries.
QUEUE_ROW_FIELDS = (
    *("reference", "status", "submitted_at", "start_date", "end_date", "funding_requested"),
    *("host__name", "host__country", "applicant__name", "applicant__email"),
    "organisation__name",
)


def decision_queue(*, call: Call | None = None) -> QuerySet[Application]:
    """For the secretariat: accepted by the host (or declined, to close), oldest first."""
    qs = (
        Application.objects.select_related("host", "applicant", "organisation")
        .only(*QUEUE_ROW_FIELDS)
        .filter(status__in=[S.HOST_ACCEPTED, S.HOST_DECLINED])
    )
    if call is not None:
        qs = qs.filter(call=call)
    return qs.order_by("status", "submitted_at")


def applications_of_call(*, call: Call) -> QuerySet[Application]:
    return (
        _applications()
        .filter(call=call)
        .exclude(status=S.DRAFT)
        .exclude(status=S.WITHDRAWN, submitted_at__isnull=True)
        .order_by("reference")
    )


def funded_places_used(*, call: Call) -> int:
    return Application.objects.filter(call=call, status__in=FUNDED_STATES).count()


# --- what the pages look up by the ids in their URL ------------------------------------


def call_taking_offers(*, pk: int) -> Call:
    """The call a new offer is for: 404 once it is closed."""
    call = get_object_or_404(Call, pk=pk)
    if call.status == Call.Status.CLOSED:
        raise Http404
    return call


def offer_to_apply_to(*, pk: int) -> Offer:
    """An offer that takes applications, or 404."""
    offer = get_object_or_404(Offer.objects.select_related("call", "host"), pk=pk)
    if not offer.is_active:
        raise Http404
    return offer


def call_open_to_hosts(*, pk: int) -> Call:
    """A call that takes applications straight to a host cluster, or 404."""
    return get_object_or_404(Call, pk=pk, open_applications=True)


def hosts_to_apply_to(*, call: Call, user: AnyUser) -> QuerySet[Cluster] | None:
    """The clusters ``user`` may ask to visit directly, when the call allows it."""
    if call.open_applications:
        return Cluster.objects.active().exclude(memberships__user=user).order_by("name")
    return None


def host_of_offer(*, offer: Offer) -> QuerySet[Cluster]:
    return Cluster.objects.filter(pk=offer.host_id)


def my_application_to_offer(*, offer: Offer, user: AnyUser) -> Application | None:
    """The user's application to this offer that is not withdrawn, if any."""
    if not is_authenticated(user):
        return None
    return (
        Application.objects.filter(offer=offer, applicant=user).exclude(status=S.WITHDRAWN).first()
    )


def my_applications_by_offer(*, call: Call, user: AnyUser) -> dict[int, Application]:
    """The user's applications (not withdrawn) to the call's offers, by offer id."""
    if not is_authenticated(user):
        return {}
    rows = (
        Application.objects.filter(call=call, applicant=user, offer__isnull=False)
        .exclude(status=S.WITHDRAWN)
        .order_by("created")
    )
    return {a.offer_id: a for a in rows if a.offer_id is not None}


def thread_of(*, application: Application) -> list[ApplicationMessage]:
    """The application's messages, oldest first (the caller checks ``can_message``)."""
    return list(application.messages.select_related("author"))


def versions_of(*, application: Application) -> list[ApplicationVersion]:
    return list(application.versions.select_related("created_by"))


def decisions_of(*, application: Application) -> QuerySet[Decision]:
    return application.decisions.select_related("decided_by")


def report_attachment_get(*, application: Application, pk: int) -> ReportAttachment:
    """A file of the application's visit report, or 404."""
    report = getattr(application, "report", None)
    if report is None:
        raise Http404
    return get_object_or_404(report.attachments, pk=pk)


def no_applications() -> QuerySet[Application]:
    return Application.objects.none()


TIMELINE_LABELS = {
    "exchange.create": _("Draft started"),
    "exchange.update": _("Edited"),
    "exchange.submit": _("Submitted to the host"),
    "exchange.resubmit": _("Resubmitted — back to the secretariat"),
    "exchange.resubmit_to_host": _("Resubmitted with new dates — back to the host for review"),
    "exchange.review": _("Reviewed by the host"),
    "exchange.approved": _("Approved by the secretariat"),
    "exchange.rejected": _("Rejected by the secretariat"),
    "exchange.more_info": _("More information requested by the secretariat"),
    "exchange.withdraw": _("Withdrawn"),
    "exchange.report_due": _("Visit over: report due"),
    "exchange.report": _("Visit report submitted"),
    "exchange.message": _("Wrote in the message thread"),
    "exchange.paid": _("Grant paid"),
}


def _changed(event: AuditEvent) -> set[str]:
    """The fields an event changed ({field: [old, new]}; records written before that shape
    listed a resubmission's fields under "host_fields")."""
    changes = event.changes or {}
    return set(changes) | set(changes.get("host_fields", []))


def timeline(*, application: Application, user: AnyUser) -> list[dict]:
    """Who did what and when, oldest first. The host's review comment is not shown to the
    applicant; the secretariat's messages are."""
    show_review = perms.can_see_review(user, application)
    events = (
        audit_events_for(application)
        .filter(verb__in=TIMELINE_LABELS)
        .select_related("actor")
        .order_by("created", "id")
    )
    if not perms.can_message(user, application):  # the thread is private to its people
        events = events.exclude(verb="exchange.message")
    rows = []
    for e in events:
        label = TIMELINE_LABELS[e.verb]
        comment = e.comment
        if e.verb == "exchange.resubmit_to_host" and not {"start_date", "end_date"} & _changed(e):
            label = _("Resubmitted with a new offer or organisation — back to the host for review")
        if e.verb == "exchange.review":
            accepted = e.to_state == S.HOST_ACCEPTED
            label = _("Accepted by the host") if accepted else _("Declined by the host")
            if not show_review:
                comment = ""
        rows.append(
            {
                "when": e.created,
                "label": label,
                "actor": e.actor if e.actor_id else None,
                "comment": comment,
                "state": e.to_state,
            }
        )
    return rows


NEXT_STEP = {
    S.DRAFT: _("Check the rules and the funding below, then submit before the call closes."),
    S.SUBMITTED: _("The host cluster reviews your application."),
    S.HOST_ACCEPTED: _("The host accepted; the secretariat decides next."),
    S.HOST_DECLINED: _("The host declined; the secretariat will close the application."),
    S.MORE_INFO: _("Read the secretariat's message, edit your application and resubmit it."),
    S.APPROVED: _(
        "Plan your visit with the host's contact person. After it ends, write the visit report."
    ),
    S.REJECTED: _("Nothing more to do. You may apply to another offer."),
    S.WITHDRAWN: _("Nothing more to do."),
    S.REPORT_DUE: _("Write your visit report."),
    S.COMPLETED: _("Done. Thank you for your report."),
}
