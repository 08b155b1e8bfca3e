"""Offers, applications, their submitted versions and the reference counter."""

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from clusters.models import Cluster, Ecosystem

from .calls import ApplicantKind, Call

# The visit report is due this many days after the visit ends. One place: the application
# page shows it, the reminders (exchange.notifications) are timed by it.
REPORT_DUE_DAYS = 30


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
        "accounts.Organisation",
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
    report_due_at = models.DateTimeField(null=True, blank=True)  # when the report opened
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("marked paid by"),
    )
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
        indexes = [
            models.Index(fields=["call", "status"]),
            models.Index(fields=["host", "status"]),
            # The secretariat's queues, oldest first, read off an index rather than sorting
            # every waiting application joined to its clusters and people: the decisions
            # page (by status, then date) and "Your work" (by date).
            models.Index(fields=["status", "submitted_at"], name="application_status_sub_idx"),
            models.Index(
                fields=["submitted_at", "id"],
                condition=Q(status__in=["host_accepted", "host_declined"]),
                name="application_to_decide_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("exchange:application", kwargs={"pk": self.pk})

    @property
    def report_opens_on(self) -> date:
        """The visit report opens the day after the visit ends (the daily job moves the
        application to "report due" then, and the first reminder goes out)."""
        return self.end_date + timedelta(days=1)

    @property
    def report_due_on(self) -> date:
        """The last day to send the visit report: REPORT_DUE_DAYS after the visit ends."""
        return self.end_date + timedelta(days=REPORT_DUE_DAYS)


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


class ReferenceCounter(models.Model):
    """The last reference number used in a year (CX-2026-0042), taken under a row lock."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"
