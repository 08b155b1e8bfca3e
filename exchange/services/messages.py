"""The messages the exchange services raise (tests assert on them)."""

from django.utils.translation import gettext_lazy as _

WRONG_STATE = _(
    "This application is now “%(status)s”: it cannot be %(action)s. "
    "Someone may have acted on it a moment ago; reload the page to see where it stands."
)
CALL_NOT_OPEN = _(
    "The call “%(call)s” is not open: it takes applications from %(opens)s to %(closes)s."
)
SIGN_IN_TO_APPLY = _("Sign in to apply: the rules depend on your organisation.")
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
MESSAGE_EMPTY = _("Write a message: it is empty.")
MESSAGE_TOO_LONG = _(
    "A message has at most %(max)s characters; this one has %(length)s. Shorten it, or "
    "send it in two."
)
REPORT_NOT_OPEN = _(
    "The visit report opens on %(opens)s, the day after your visit ends; it is due by %(due)s."
)
ALREADY_PAID = _("This grant was already marked paid on %(date)s.")
NOT_PAYABLE = _("A grant is paid once the visit report is in: this application is “%(status)s”.")
