"""The messages people read when a practice's service refuses, and the fields it edits."""

from django.utils.translation import gettext_lazy as _

from ..models import MARKDOWN_FIELDS, Practice

S = Practice.Status
NOT_YOUR_CLUSTER = _("You can only write practices for a cluster whose team you are in.")
WRONG_STATE = _("This practice is “%(status)s”: it cannot be %(action)s now.")
COMMENT_REQUIRED = _("Say what should change: the authors read this comment.")
OWN_PRACTICE = _(
    "You cannot moderate this practice: you wrote it or you are in its cluster's team. "
    "Another member of the secretariat moderates it."
)
ALREADY_INTERESTED = _("You have already told this cluster you want to transfer this practice.")
TOO_MANY_FILES = _("A practice has at most 5 attachments: remove one first.")
NO_LONGER_EDITABLE = _(
    "This practice is “%(status)s” now: its attachments can no longer be changed."
)
TEXT_NO_LONGER_EDITABLE = _(
    "This practice is “%(status)s” now: it can no longer be edited, so nothing was saved. "
    "What you typed is still below, to copy."
)

TEXT_FIELDS = ("title", "summary", *MARKDOWN_FIELDS)
EDITABLE_FIELDS = (*TEXT_FIELDS, "category", "start_year", "end_year")
