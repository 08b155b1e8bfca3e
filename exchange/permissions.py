"""Who may see and do what with exchange offers and applications.

Object-level: a role on cluster A gives nothing on cluster B. Applicants see
their own applications, the host cluster's team those sent to it (once
submitted), the secretariat everything.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone

from accounts.permissions import is_authenticated, is_secretariat
from clusters.permissions import is_cluster_manager_of, is_cluster_team

from .models import Application, Review

if TYPE_CHECKING:
    from datetime import date

    from accounts.types import AnyUser
    from clusters.models import Cluster

    from .models import Offer

S = Application.Status
EDITABLE = {S.DRAFT, S.MORE_INFO}
WITHDRAWABLE = {S.DRAFT, S.SUBMITTED, S.HOST_ACCEPTED, S.HOST_DECLINED, S.MORE_INFO, S.APPROVED}
DECIDABLE = {S.HOST_ACCEPTED, S.HOST_DECLINED}


def can_manage_offers(user: AnyUser, cluster: Cluster) -> bool:
    return is_cluster_team(user, cluster.pk)


def can_edit_offer(user: AnyUser, offer: Offer) -> bool:
    return is_cluster_team(user, offer.host_id) or is_secretariat(user)


# Whether a person may apply to an offer, and why not, is exchange.services.apply_refusal:
# the eligibility rules that need nothing typed, the same ones application_create runs.


def is_applicant(user: AnyUser, application: Application) -> bool:
    return is_authenticated(user) and application.applicant_id == user.pk


def was_sent(application: Application) -> bool:
    """Submitted at some point: a draft, or a draft withdrawn unsent, is the applicant's only."""
    if application.status == S.DRAFT:
        return False
    return not (application.status == S.WITHDRAWN and application.submitted_at is None)


def is_host_team(user: AnyUser, application: Application) -> bool:
    return was_sent(application) and is_cluster_team(user, application.host_id)


def can_view_application(user: AnyUser, application: Application) -> bool:
    return (
        is_applicant(user, application) or is_secretariat(user) or is_host_team(user, application)
    )


def can_see_review(user: AnyUser, application: Application) -> bool:
    """Reviews are for the host and the secretariat, never the applicant."""
    if is_secretariat(user):
        return True
    return is_host_team(user, application) and not is_applicant(user, application)


def can_edit_application(user: AnyUser, application: Application) -> bool:
    return application.status in EDITABLE and is_applicant(user, application)


def can_withdraw(user: AnyUser, application: Application, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return (
        application.status in WITHDRAWABLE
        and application.start_date > today
        and is_applicant(user, application)
    )


def is_reviewer(user: AnyUser, application: Application) -> bool:
    """The host cluster's team, except the applicant themself."""
    return is_cluster_team(user, application.host_id) and not is_applicant(user, application)


def can_review(user: AnyUser, application: Application) -> bool:
    return application.status == S.SUBMITTED and is_reviewer(user, application)


def is_party(user: AnyUser, application: Application) -> bool:
    """The applicant, or a member of the team of the cluster they apply from: the
    application is theirs (their colleague's visit, their cluster's funding), so they
    never decide on it (four eyes)."""
    if is_applicant(user, application):
        return True
    return bool(application.sending_cluster_id) and is_cluster_team(
        user, application.sending_cluster_id
    )


def is_host_party(user: AnyUser, application: Application) -> bool:
    """A member of the host cluster's team, or whoever reviewed it as host: the host's
    check is theirs, so they never make the secretariat's as well (four eyes)."""
    if not is_authenticated(user):
        return False
    if is_cluster_team(user, application.host_id):
        return True
    return Review.objects.filter(application_id=application.pk, reviewer=user).exists()


def can_decide(user: AnyUser, application: Application | None = None) -> bool:
    if application is not None and (
        application.status not in DECIDABLE
        or is_party(user, application)
        or is_host_party(user, application)
    ):
        return False
    return is_secretariat(user)


def can_report(user: AnyUser, application: Application) -> bool:
    return application.status == S.REPORT_DUE and is_applicant(user, application)


def is_host_contact(user: AnyUser, application: Application) -> bool:
    """The offer's contact person, while in the host cluster's team."""
    offer = application.offer
    return (
        is_authenticated(user)
        and offer is not None
        and offer.contact_id == user.pk
        and is_cluster_team(user, application.host_id)
    )


def is_host_person(user: AnyUser, application: Application) -> bool:
    """The host's people for an application: the host cluster's managers and the offer's
    contact person while in the host cluster's team. ``exchange.notifications.host_people``
    lists exactly these; the person the applicant is told to plan with is one of them."""
    return is_cluster_manager_of(user, application.host_id) or is_host_contact(user, application)


def can_message(user: AnyUser, application: Application) -> bool:
    """The thread is the applicant's, the host's people (``is_host_person``) and the
    secretariat's, once the application was sent to the host; nobody else reads it, and
    nobody else is told of its messages (``exchange.services.thread_people``)."""
    if not was_sent(application) or not is_authenticated(user):
        return False
    return (
        is_applicant(user, application) or is_secretariat(user) or is_host_person(user, application)
    )


# Once the host has accepted, applicant and host see each other's contact person.
CONTACTS_SHOWN = {S.HOST_ACCEPTED, S.MORE_INFO, S.APPROVED, S.REPORT_DUE, S.COMPLETED}


def can_see_contacts(user: AnyUser, application: Application) -> bool:
    return application.status in CONTACTS_SHOWN and can_view_application(user, application)


def can_mark_paid(user: AnyUser, application: Application) -> bool:
    """The secretariat, after the report, once; never on an application it is a party to."""
    return (
        application.status == S.COMPLETED
        and application.paid_at is None
        and is_secretariat(user)
        and not is_party(user, application)
    )
