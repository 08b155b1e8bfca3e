"""Writes for ClusterXchange: offers, the application workflow, reports.

Split by sub-domain: ``offers``, ``applications`` (draft, edit, submit, withdraw),
``eligibility`` (one function per rule), ``decisions`` (the host's review and the
secretariat's decision) and ``reports``. Every transition goes through
``core.services.transition``: it locks the application row, checks the state it starts
from (so of two people acting at once, one wins and the other is told), records who,
when and why (an AuditEvent, shown as the application's timeline) and the caller tells
the people concerned. ``from exchange import services`` reaches every public name here.
"""

from .applications import (
    application_create,
    application_submit,
    application_update,
    application_withdraw,
)
from .common import APPLICATION_FIELDS, HOST_FIELDS, S, funding_for
from .decisions import application_decide, application_review
from .eligibility import RULES, eligibility_problems
from .messages import (
    CALL_NOT_OPEN,
    COUNTRY_NOT_ELIGIBLE,
    GRANT_TOO_HIGH,
    HOST_DECLINED,
    HOST_NOT_ELIGIBLE,
    HOST_TEAM_DECISION,
    KIND_NOT_ELIGIBLE,
    MESSAGE_REQUIRED,
    NO_CAPACITY,
    NO_FUNDED_PLACES,
    NO_OPEN_APPLICATIONS,
    NO_ORGANISATION,
    NOT_YOUR_CLUSTER,
    OFFER_CLOSED,
    OFFER_OTHER_CALL,
    OFFER_OUTSIDE_WINDOW,
    ONE_VISIT_PER_SERIES,
    OUTSIDE_OFFER,
    OUTSIDE_WINDOW,
    OVERLAP,
    OWN_APPLICATION,
    OWN_CLUSTER,
    OWN_REVIEW,
    SAME_COUNTRY,
    START_IN_PAST,
    TOO_LONG,
    TOO_MANY_FILES,
    TOO_SHORT,
    VISIT_STARTED,
    WRONG_CLUSTER,
    WRONG_STATE,
)
from .offers import OFFER_FIELDS, offer_create, offer_update
from .reports import REPORT_ATTACHMENTS_MAX, applications_open_reports, report_submit

__all__ = [
    "APPLICATION_FIELDS",
    "CALL_NOT_OPEN",
    "COUNTRY_NOT_ELIGIBLE",
    "GRANT_TOO_HIGH",
    "HOST_DECLINED",
    "HOST_FIELDS",
    "HOST_NOT_ELIGIBLE",
    "HOST_TEAM_DECISION",
    "KIND_NOT_ELIGIBLE",
    "MESSAGE_REQUIRED",
    "NOT_YOUR_CLUSTER",
    "NO_CAPACITY",
    "NO_FUNDED_PLACES",
    "NO_OPEN_APPLICATIONS",
    "NO_ORGANISATION",
    "OFFER_CLOSED",
    "OFFER_FIELDS",
    "OFFER_OTHER_CALL",
    "OFFER_OUTSIDE_WINDOW",
    "ONE_VISIT_PER_SERIES",
    "OUTSIDE_OFFER",
    "OUTSIDE_WINDOW",
    "OVERLAP",
    "OWN_APPLICATION",
    "OWN_CLUSTER",
    "OWN_REVIEW",
    "REPORT_ATTACHMENTS_MAX",
    "RULES",
    "SAME_COUNTRY",
    "START_IN_PAST",
    "TOO_LONG",
    "TOO_MANY_FILES",
    "TOO_SHORT",
    "VISIT_STARTED",
    "WRONG_CLUSTER",
    "WRONG_STATE",
    "S",
    "application_create",
    "application_decide",
    "application_review",
    "application_submit",
    "application_update",
    "application_withdraw",
    "applications_open_reports",
    "eligibility_problems",
    "funding_for",
    "offer_create",
    "offer_update",
    "report_submit",
]
