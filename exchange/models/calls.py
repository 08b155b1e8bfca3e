"""Calls: one round of the scheme with its rules, its travel bands and country caps."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


class ApplicantKind(models.TextChoices):
    CLUSTER_STAFF = "cluster_staff", _("Cluster staff")
    SME = "sme", _("SME")
    STARTUP = "startup", _("Start-up")
    RESEARCH = "research", _("Research or technology organisation")
    OTHER = "other", _("Other cluster member")


def all_applicant_kinds() -> list[str]:
    return [k.value for k in ApplicantKind]


# The applicant kind an organisation's people apply as (accounts.Organisation.Kind values);
# any other organisation's people apply as "other cluster member".
KIND_FOR_ORGANISATION = {
    "cluster": ApplicantKind.CLUSTER_STAFF,
    "sme": ApplicantKind.SME,
    "startup": ApplicantKind.STARTUP,
    "research": ApplicantKind.RESEARCH,
}


def applicant_kind_for(organisation) -> str:
    """The kind of applicant the people of ``organisation`` are (None: other)."""
    kind = getattr(organisation, "kind", None)
    return str(KIND_FOR_ORGANISATION.get(kind, ApplicantKind.OTHER))


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
