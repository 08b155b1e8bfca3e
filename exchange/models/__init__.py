"""ClusterXchange: calls, host offers, applications and what happens to them.

A ``Call`` is one round of the scheme with its rules (dates, countries, who may
apply, visit length, funding). Host clusters publish ``Offer``s in a call;
members send ``Application``s to an offer (or straight to a host cluster when
the call allows it). The host's ``Review``, the secretariat's ``Decision`` and
the visitor's ``VisitReport`` hang off the application. The status moves only
through ``exchange.services``.
"""

# The migrations name exchange.models.private_storage (the reports' file storage).
from core.files import private_storage

from .applications import (
    ACTIVE_STATES,
    FUNDED_STATES,
    REPORT_DUE_DAYS,
    Application,
    ApplicationVersion,
    Offer,
    ReferenceCounter,
)
from .calls import (
    ApplicantKind,
    Call,
    CallQuerySet,
    CountryCap,
    TravelBand,
    all_applicant_kinds,
    applicant_kind_for,
)
from .outcomes import Decision, ReportAttachment, Review, VisitReport, report_attachment_path
from .thread import MESSAGE_MAX_LENGTH, ApplicationMessage

__all__ = [
    "ACTIVE_STATES",
    "FUNDED_STATES",
    "MESSAGE_MAX_LENGTH",
    "REPORT_DUE_DAYS",
    "ApplicantKind",
    "Application",
    "ApplicationMessage",
    "ApplicationVersion",
    "Call",
    "CallQuerySet",
    "CountryCap",
    "Decision",
    "Offer",
    "ReferenceCounter",
    "ReportAttachment",
    "Review",
    "TravelBand",
    "VisitReport",
    "all_applicant_kinds",
    "applicant_kind_for",
    "private_storage",
    "report_attachment_path",
]
