"""The exchange pages, by group: ``browse`` (calls, offers, the queues, the export),
``offers`` (a host team's offers), ``applications`` (the applicant's pages) and
``actions`` (the transitions taken from an application's page, and the report)."""

from .actions import (
    application_decide_view,
    application_message_view,
    application_paid_view,
    application_report,
    application_review_view,
    application_submit_view,
    application_withdraw_view,
    report_attachment,
)
from .applications import application_detail, application_edit, application_new, applications
from .browse import call_detail, call_export, decisions, index, offer_detail, review
from .offers import offer_edit, offer_new

__all__ = [
    "application_decide_view",
    "application_detail",
    "application_edit",
    "application_message_view",
    "application_new",
    "application_paid_view",
    "application_report",
    "application_review_view",
    "application_submit_view",
    "application_withdraw_view",
    "applications",
    "call_detail",
    "call_export",
    "decisions",
    "index",
    "offer_detail",
    "offer_edit",
    "offer_new",
    "report_attachment",
    "review",
]
