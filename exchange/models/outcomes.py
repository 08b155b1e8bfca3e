"""What hangs off an application: the host's review, the secretariat's decision, the
visitor's report and its attachments."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.files import private_storage

from .applications import Application


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
