"""The notifications and reminders of ClusterXchange."""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.permissions import is_secretariat
from clusters.models import ClusterMembership
from clusters.notifications import in_a_cluster_team
from notifications.registry import Kind, done_when, register
from notifications.reminders import Due, Reminder, in_batches
from notifications.reminders import register as register_reminder

AREA = _("ClusterXchange")

NEW_APPLICATION = register(
    Kind(
        "exchange.new_application",
        _("A new exchange application to your cluster (host)"),
        area=AREA,
        audience=in_a_cluster_team,
    )
)
HOST_REVIEWED = register(
    Kind("exchange.host_reviewed", _("The host reviewed your exchange application"), area=AREA)
)
HOST_ACCEPTED = register(
    Kind(
        "exchange.host_accepted",
        _("A host accepted an exchange application: decide on it (secretariat)"),
        area=AREA,
        audience=is_secretariat,
    )
)
RESUBMITTED = register(
    Kind(
        "exchange.resubmitted",
        _("An applicant sent the information asked for (secretariat)"),
        area=AREA,
        audience=is_secretariat,
    )
)
DECIDED = register(
    Kind("exchange.decided", _("The decision on your exchange application"), area=AREA)
)
MORE_INFO = register(
    Kind(
        "exchange.more_info",
        _("More information is needed on your exchange application"),
        area=AREA,
    )
)
WITHDRAWN = register(
    Kind(
        "exchange.withdrawn",
        _("An applicant withdrew an exchange application (host)"),
        area=AREA,
        audience=in_a_cluster_team,
    )
)
REVIEW_WAITING = register(
    Kind(
        "exchange.review_waiting",
        _("Reminder: exchange applications waiting for your review"),
        area=AREA,
        audience=in_a_cluster_team,
    )
)
REPORT_DUE = register(
    Kind("exchange.report_due", _("Reminder: your visit report is due"), area=AREA)
)
CALL_CLOSING = register(
    Kind(
        "exchange.call_closing",
        _("Reminder: a call closes in 3 days and you have a draft"),
        area=AREA,
    )
)
MESSAGE = register(
    Kind(
        "exchange.message",
        _("A new message on an exchange application you take part in"),
        area=AREA,
    )
)
PAID = register(Kind("exchange.paid", _("Your exchange grant has been paid"), area=AREA))

REVIEW_WAITING_DAYS = 7
REPORT_AGAIN_DAYS = 14
CALL_CLOSING_DAYS = 3


def host_people(application) -> list:
    """The host's people (``exchange.permissions.is_host_person``): the offer's contact
    person while in the host cluster's team, then the host cluster's managers; never the
    applicant. A contact removed from the team is no longer told anything."""
    return host_people_of([application])[application.pk]


def host_people_of(applications) -> dict:
    """``host_people`` of each application, by its id, in one query for them all."""
    applications = list(applications)
    contacts = {
        a.offer.contact_id for a in applications if a.offer is not None and a.offer.contact_id
    }
    memberships = list(
        ClusterMembership.objects.filter(
            Q(role=ClusterMembership.Role.MANAGER) | Q(user_id__in=contacts),
            cluster_id__in={a.host_id for a in applications},
            user__is_active=True,
        )
        .select_related("user")
        .order_by("pk")
    )
    in_team = {(m.cluster_id, m.user_id) for m in memberships}
    result = {}
    for application in applications:
        people = {}
        offer = application.offer
        if offer is not None and (application.host_id, offer.contact_id) in in_team:
            people[offer.contact_id] = offer.contact
        for m in memberships:
            if m.cluster_id == application.host_id and m.role == ClusterMembership.Role.MANAGER:
                people.setdefault(m.user_id, m.user)
        people.pop(application.applicant_id, None)
        result[application.pk] = list(people.values())
    return result


def _applications():
    from .models import Application

    return Application.objects.select_related("call", "offer__contact", "host", "applicant")


def _waiting_for_host(now):
    from .models import Application

    waiting = _applications().filter(
        status=Application.Status.SUBMITTED,
        submitted_at__lt=now - timedelta(days=REVIEW_WAITING_DAYS),
    )
    for batch in in_batches(waiting):
        people = host_people_of(batch)
        for application in batch:
            yield Due(
                obj=application,
                recipients=people[application.pk],
                context={
                    "application": application,
                    "days": (now - application.submitted_at).days,
                },
                link=application.get_absolute_url(),
            )


def _reports_due(now):
    """On the day after the visit ends, and again 14 days later, while no report is in."""
    from .models import Application

    today = timezone.localdate(now)
    due = _applications().filter(
        status__in=[Application.Status.APPROVED, Application.Status.REPORT_DUE],
        end_date__lt=today,
    )
    for application in due.iterator(chunk_size=500):
        again = today > application.end_date + timedelta(days=REPORT_AGAIN_DAYS)
        yield Due(
            obj=application,
            recipients=[application.applicant],
            context={"application": application, "again": again},
            link=application.get_absolute_url(),
            key="again" if again else "first",
        )


def _calls_closing(now):
    from .models import Application

    drafts = _applications().filter(
        status=Application.Status.DRAFT,
        call__closes_at__gt=now,
        call__closes_at__lte=now + timedelta(days=CALL_CLOSING_DAYS),
    )
    for application in drafts.iterator(chunk_size=500):
        yield Due(
            obj=application,
            recipients=[application.applicant],
            context={"application": application, "call": application.call},
            link=application.get_absolute_url(),
            key=f"closing-{application.call.closes_at.date().isoformat()}",
        )


register_reminder(Reminder(name=REVIEW_WAITING.name, due=_waiting_for_host, period="week"))
register_reminder(Reminder(name=REPORT_DUE.name, due=_reports_due))
register_reminder(Reminder(name=CALL_CLOSING.name, due=_calls_closing))


# --- when an ask is done (notifications.registry.done_when) ------------------------------
# The host's "review this application", the secretariat's "to decide", the applicant's
# "more information" and "write your report": done once the application has moved on.
APPLICATION = "exchange.application"


def _reviewed(application) -> bool:
    return application.status != "submitted"


def _decided(application) -> bool:
    return application.status != "host_accepted"


def _resubmitted(application) -> bool:
    return application.status != "more_info"


def _reported(application) -> bool:
    return application.status not in {"approved", "report_due"}


def _sent(application) -> bool:
    return application.status != "draft"


for _kind, _when in [
    (NEW_APPLICATION, _reviewed),
    (REVIEW_WAITING, _reviewed),
    (HOST_ACCEPTED, _decided),
    (RESUBMITTED, _decided),
    (MORE_INFO, _resubmitted),
    (REPORT_DUE, _reported),
    (CALL_CLOSING, _sent),
]:
    done_when(_kind, model=APPLICATION, about="application", when=_when)
