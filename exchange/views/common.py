"""What the exchange pages share: the success messages and reading an id from a query."""

from django.http import Http404
from django.utils.translation import gettext as _

from ..models import Application

S = Application.Status
DRAFT_SAVED = _("Your draft is saved. Check the rules and the funding below, then submit it.")
SUBMITTED = _("Submitted: the host cluster has been told and will review it.")
RESUBMITTED = _("Resubmitted: the secretariat has been told.")
RESUBMITTED_TO_HOST = _(
    "Resubmitted: you changed the dates, the offer or your organisation, so the host "
    "reviews it again. The host has been told."
)
WITHDRAWN = _("Your application is withdrawn.")
REVIEWED = _("Thank you: the applicant and the secretariat have been told.")
DECIDED = _("Decision recorded: the applicant has been told.")
REPORTED = _("Thank you for your report: the exchange is completed.")
MESSAGE_SENT = _("Your message is in the thread: the others have been told.")
PAID = _("Marked paid: the applicant has been told.")
OFFER_SAVED = _("The offer is saved.")
NOT_HOST = _("Only the team of a cluster in the network can publish offers.")


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None
