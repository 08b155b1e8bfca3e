"""ClusterXchange: calls, host offers, applications and what happens to them.

A ``Call`` is one round of the scheme with its rules (dates, countries, who may
apply, visit length, funding). Host clusters publish ``Offer``s in a call;
members send ``Application``s to an offer (or straight to a host cluster when
the call allows it). The host's ``Review``, the secretariat's ``Decision`` and
the visitor's ``VisitReport`` hang off the application. The status moves only
through ``exchange.services``.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from clusters.models import Cluster, Ecosystem
from core.files import private_storage


class ApplicantKind(models.TextChoices):
    CLUSTER_STAFF = "cluster_staff", _("Cluster staff")
    SME = "sme", _("SME")
    STARTUP = "startup", _("Start-up")
    RESEARCH = "research", _("Research or technology organisation")
    OTHER = "other", _("Other cluster member")


def all_applicant_kinds() -> list[str]:
    return [k.value for k in ApplicantKind]


class CallQuerySet(models.QuerySet):
    def open(self, now=None):
        now = now or timezone.now()
        return self.filter(opens_at__lte=now, closes_at__gt=now)

    def upcoming(self, now=None):
        return self.filter(opens_at__gt=now or timezone.now())

    def visible(self, now=None):
        """Open and upcoming calls: what the public page lists."""
        return self.filter(closes_at__gt=now or timezone.now())


class Call(models.Model):
    class Status(models.TextChoices):
        UPCOMING = "upcoming", _("Upcoming")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    title = models.CharField(_("title"), max_length=200)
    series = models.CharField(
        _("call series"),
        max_length=100,
        help_text=_(
            "Calls of one series share the rule “an organisation visits once”, "
            "e.g. “ClusterXchange 2026–2027”."
        ),
    )
    description = models.TextField(_("description"), help_text=_("Markdown."))
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    visits_from = models.DateField(_("visits from"), help_text=_("Earliest first day of a visit."))
    visits_until = models.DateField(_("visits until"), help_text=_("Latest last day of a visit."))
    min_days = models.PositiveSmallIntegerField(
        _("minimum length (working days)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(23)],
    )
    max_days = models.PositiveSmallIntegerField(
        _("maximum length (working days)"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(23)],
        help_text=_("At most one month (23 working days)."),
    )
    eligible_countries = CountryField(_("eligible countries"), multiple=True)
    eligible_kinds = models.JSONField(
        _("who may apply"),
        default=all_applicant_kinds,
        help_text=_("Applicant kinds: " + ", ".join(all_applicant_kinds())),
    )
    open_applications = models.BooleanField(
        _("open applications"),
        default=False,
        help_text=_("Members may apply to a host cluster directly, without an offer."),
    )
    funded_places = models.PositiveIntegerField(_("funded places"))
    daily_allowance = models.DecimalField(
        _("daily allowance (EUR per working day)"), max_digits=8, decimal_places=2
    )
    visitor_cap = models.DecimalField(
        _("cap per visitor (EUR)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Leave empty for no cap, e.g. 1,100 EUR."),
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = CallQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_at"]
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")), name="exchange_call_closes_after_opens"
            ),
            models.CheckConstraint(
                condition=Q(visits_until__gte=F("visits_from")),
                name="exchange_call_window_ordered",
            ),
            models.CheckConstraint(
                condition=Q(max_days__gte=F("min_days")), name="exchange_call_length_ordered"
            ),
            models.CheckConstraint(
                condition=Q(daily_allowance__gte=0), name="exchange_call_allowance_gte_0"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("exchange:call", kwargs={"pk": self.pk})

    def status_at(self, now=None) -> str:
        now = now or timezone.now()
        if now < self.opens_at:
            return self.Status.UPCOMING
        if now < self.closes_at:
            return self.Status.OPEN
        return self.Status.CLOSED

    @property
    def status(self) -> str:
        return self.status_at()

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def get_status_display(self) -> str:
        return self.Status(self.status).label

    def eligible_kind_labels(self) -> list[str]:
        return [
            ApplicantKind(k).label for k in self.eligible_kinds or [] if k in ApplicantKind.values
        ]

    def clean(self):
        from django.core.exceptions import ValidationError

        errors = {}
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            errors["closes_at"] = _("The call must close after it opens.")
        if self.visits_from and self.visits_until and self.visits_until < self.visits_from:
            errors["visits_until"] = _("The visit window must end after it starts.")
        if self.min_days and self.max_days and self.max_days < self.min_days:
            errors["max_days"] = _("The maximum length must be at least the minimum.")
        unknown = set(self.eligible_kinds or []) - set(all_applicant_kinds())
        if unknown or not self.eligible_kinds:
            errors["eligible_kinds"] = _("Choose one or more of: %(kinds)s.") % {
                "kinds": ", ".join(all_applicant_kinds())
            }
        if errors:
            raise ValidationError(errors)


class TravelBand(models.Model):
    """The travel lump sum for a distance band, from ``from_km`` (one way) upwards."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="travel_bands")
    from_km = models.PositiveIntegerField(_("from km (one way)"))
    amount = models.DecimalField(_("travel lump sum (EUR)"), max_digits=8, decimal_places=2)

    class Meta:
        ordering = ["from_km"]
        verbose_name = _("travel band")
        verbose_name_plural = _("travel bands")
        constraints = [
            models.UniqueConstraint(fields=["call", "from_km"], name="exchange_band_unique"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="exchange_band_amount_gte_0"),
        ]

    def __str__(self) -> str:
        return f"≥ {self.from_km} km: {self.amount} EUR"


class CountryCap(models.Model):
    """The most a visit to a host in ``country`` may receive in this call."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="country_caps")
    country = CountryField(_("host country"))
    cap = models.DecimalField(_("cap (EUR)"), max_digits=8, decimal_places=2)

    class Meta:
        ordering = ["country"]
        verbose_name = _("cap per host country")
        verbose_name_plural = _("caps per host country")
        constraints = [
            models.UniqueConstraint(fields=["call", "country"], name="exchange_cap_unique"),
            models.CheckConstraint(condition=Q(cap__gte=0), name="exchange_cap_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.country}: {self.cap} EUR"


class Offer(models.Model):
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="offers")
    host = models.ForeignKey(
        Cluster, on_delete=models.PROTECT, related_name="exchange_offers", verbose_name=_("host")
    )
    topic = models.CharField(_("topic"), max_length=200)
    description = models.TextField(_("what the visitor will see and do"), help_text=_("Markdown."))
    ecosystems = models.ManyToManyField(
        Ecosystem, related_name="exchange_offers", verbose_name=_("ecosystems")
    )
    languages = models.CharField(
        _("languages"), max_length=200, help_text=_("e.g. English, German")
    )
    available_from = models.DateField(_("available from"))
    available_until = models.DateField(_("available until"))
    capacity = models.PositiveSmallIntegerField(
        _("capacity (visitors)"), default=1, validators=[MinValueValidator(1)]
    )
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="exchange_offers",
        verbose_name=_("contact person"),
    )
    is_active = models.BooleanField(
        _("taking applications"), default=True, help_text=_("Untick to close this offer.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["available_from", "topic"]
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        constraints = [
            models.CheckConstraint(
                condition=Q(available_until__gte=F("available_from")),
                name="exchange_offer_period_ordered",
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="exchange_offer_capacity"),
        ]

    def __str__(self) -> str:
        return f"{self.topic} ({self.host})"

    def get_absolute_url(self) -> str:
        return reverse("exchange:offer", kwargs={"pk": self.pk})


class Application(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Waiting for the host")
        HOST_ACCEPTED = "host_accepted", _("Accepted by the host, waiting for the decision")
        HOST_DECLINED = "host_declined", _("Declined by the host")
        MORE_INFO = "more_info", _("More information requested")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        REPORT_DUE = "report_due", _("Visit report due")
        COMPLETED = "completed", _("Completed")

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications")
    offer = models.ForeignKey(
        Offer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("offer"),
    )
    host = models.ForeignKey(
        Cluster,
        on_delete=models.PROTECT,
        related_name="hosted_applications",
        verbose_name=_("host cluster"),
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="exchange_applications",
        verbose_name=_("applicant"),
    )
    organisation = models.ForeignKey(
        "clusters.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="exchange_applications",
        verbose_name=_("organisation"),
    )
    sending_cluster = models.ForeignKey(
        Cluster,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sent_applications",
        verbose_name=_("sending cluster"),
    )
    applicant_kind = models.CharField(
        _("you apply as"), max_length=20, choices=ApplicantKind.choices
    )
    motivation = models.TextField(_("motivation"))
    learning_goals = models.TextField(_("learning goals"))
    expected_results = models.TextField(_("expected results"))
    start_date = models.DateField(_("first day on site"))
    end_date = models.DateField(_("last day on site"))
    travel_from_city = models.CharField(_("travelling from (city)"), max_length=100)
    travel_from_country = CountryField(_("travelling from (country)"))
    distance_km = models.PositiveIntegerField(
        _("distance to the host (km, one way)"),
        validators=[MaxValueValidator(20000)],
        help_text=_("As given by the EU distance calculator; the secretariat checks it."),
    )
    funding_requested = models.DecimalField(
        _("funding requested (EUR)"), max_digits=8, decimal_places=2, default=Decimal("0")
    )
    funding_rule = models.TextField(_("how the funding was computed"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    report_due_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(_("last update"), auto_now=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="exchange_app_dates_ordered"
            ),
            models.CheckConstraint(
                condition=Q(funding_requested__gte=0), name="exchange_app_funding_gte_0"
            ),
        ]
        indexes = [models.Index(fields=["call", "status"]), models.Index(fields=["host", "status"])]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("exchange:application", kwargs={"pk": self.pk})


_S = Application.Status
# Applications that hold a place on an offer, or a date in the applicant's diary.
ACTIVE_STATES = frozenset(
    {_S.SUBMITTED, _S.HOST_ACCEPTED, _S.MORE_INFO, _S.APPROVED, _S.REPORT_DUE, _S.COMPLETED}
)
# Applications that used a funded place, and the organisation's one visit in a call series.
FUNDED_STATES = frozenset({_S.APPROVED, _S.REPORT_DUE, _S.COMPLETED})


class ApplicationVersion(models.Model):
    """What the applicant submitted each time: reviewers see earlier versions."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    data = models.JSONField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "number"], name="exchange_app_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application} v{self.number}"


class Review(models.Model):
    """The host's recommendation. Not shown to the applicant."""

    class Recommendation(models.TextChoices):
        ACCEPT = "accept", _("Accept: we will host this visit")
        DECLINE = "decline", _("Decline")

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="review")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recommendation = models.CharField(
        _("recommendation"), max_length=10, choices=Recommendation.choices
    )
    comment = models.TextField(_("comment for the secretariat"), blank=True)
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.application}: {self.get_recommendation_display()}"


class Decision(models.Model):
    """The secretariat's decision, with its message to the applicant."""

    class Outcome(models.TextChoices):
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        MORE_INFO = "more_info", _("More information needed")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="decisions")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    message = models.TextField(_("message to the applicant"), blank=True)
    funding_granted = models.DecimalField(
        _("funding granted (EUR)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(funding_granted__isnull=True) | Q(funding_granted__gte=0),
                name="exchange_decision_funding_gte_0",
            )
        ]

    def __str__(self) -> str:
        return f"{self.application}: {self.get_outcome_display()}"


class VisitReport(models.Model):
    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="report")
    what_happened = models.TextField(_("what happened"))
    results = models.TextField(_("results"))
    contacts = models.TextField(_("contacts made"))
    follow_up = models.TextField(_("follow-up planned"))
    satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction (1–5)"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(satisfaction__gte=1, satisfaction__lte=5),
                name="exchange_report_satisfaction_range",
            )
        ]

    def __str__(self) -> str:
        return f"Report {self.application}"


def report_attachment_path(instance, filename: str) -> str:
    return f"exchange/{instance.report.application_id}/{filename}"


class ReportAttachment(models.Model):
    report = models.ForeignKey(VisitReport, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=report_attachment_path, storage=private_storage)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created", "id"]

    def __str__(self) -> str:
        return self.name


class ReferenceCounter(models.Model):
    """The last reference number used in a year (CX-2026-0042), taken under a row lock."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"
