"""Helpers for the exchange service tests: the people around an application, the steps of
its workflow taken through the services, and what a step leaves behind."""

from core.models import AuditEvent
from core.selectors import audit_events_for
from exchange import services
from exchange.models import Application, ApplicationVersion, Decision, Review
from notifications.models import Notification
from tests.factories import ApplicationFactory, MembershipFactory

S = Application.Status


def host_member(application, role="manager", **user):
    """A member of the host cluster's team (a manager unless ``role`` says otherwise)."""
    return MembershipFactory(
        cluster=application.host, role=role, **{f"user__{k}": v for k, v in user.items()}
    ).user


def submit(application):
    return services.application_submit(application=application, actor=application.applicant)


def review(application, actor, recommendation="accept", comment="Strong profile."):
    return services.application_review(
        application=application, actor=actor, recommendation=recommendation, comment=comment
    )


def decide(application, actor, outcome="approved", message="", **kwargs):
    return services.application_decide(
        application=application, actor=actor, outcome=outcome, message=message, **kwargs
    )


def withdraw(application, comment=""):
    return services.application_withdraw(
        application=application, actor=application.applicant, comment=comment
    )


def submitted(**kwargs):
    """A draft from the factory, submitted through the service."""
    return submit(ApplicationFactory(**kwargs))


def accepted(host_manager, **kwargs):
    return review(submitted(**kwargs), host_manager)


def events(application):
    """The application's recorded transitions, oldest first."""
    return list(
        audit_events_for(application)
        .order_by("created", "id")
        .values_list("verb", "from_state", "to_state", "actor__email")
    )


def snapshot(application):
    """Everything a refused step could have written about ``application``."""
    return {
        "row": Application.objects.filter(pk=application.pk).values().get(),
        "events": AuditEvent.objects.count(),
        "notifications": Notification.objects.count(),
        "versions": ApplicationVersion.objects.count(),
        "reviews": Review.objects.count(),
        "decisions": Decision.objects.count(),
    }


def sent(kind, **filters):
    """The e-mail addresses ``kind`` went to, one entry per notification."""
    return sorted(
        Notification.objects.filter(kind=kind.name, **filters).values_list(
            "recipient__email", flat=True
        )
    )
