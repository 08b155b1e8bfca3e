from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .registry import Channel


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        """New to the person: neither read nor done (an ask whose action is done is not new)."""
        return self.filter(read_at__isnull=True, done_at__isnull=True)

    def for_user(self, user):
        return self.filter(recipient=user)


class Notification(models.Model):
    """One message to one person: a row in their inbox and, maybe, an e-mail.

    Rows are written in the same transaction as the change they tell about (an
    outbox); e-mail delivery happens after commit and is tracked in ``email_state``.
    """

    class EmailState(models.TextChoices):
        PENDING = "pending", _("Waiting to be e-mailed")
        SENT = "sent", _("E-mailed")
        FAILED = "failed", _("E-mail failed")
        DIGEST = "digest", _("Waiting for the daily digest")
        NOT_EMAILED = "not_emailed", _("In the inbox only")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=64, db_index=True)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"))
    link = models.CharField(_("link"), max_length=500, blank=True)
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    email_state = models.CharField(
        _("e-mail state"),
        max_length=12,
        choices=EmailState.choices,
        default=EmailState.PENDING,
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When a failed e-mail is due to be tried again.")
    )
    dedupe_key = models.CharField(max_length=200, null=True, blank=True)
    # What the notification is about ("exchange.application:42"), and when the action it
    # asks for was done (its kind's done rule, notifications.registry.done_when).
    target_key = models.CharField(max_length=100, blank=True, default="")
    done_at = models.DateTimeField(_("done"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"],
                condition=Q(dedupe_key__isnull=False),
                name="notification_dedupe_per_recipient",
            ),
            models.CheckConstraint(
                condition=Q(email_state__in=["pending", "sent", "failed", "digest", "not_emailed"]),
                name="notification_email_state_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_inbox_idx"),
            # The inbox's page, newest first, read straight off the index (not by walking
            # every person's notifications by date), and the header's count of new ones
            # from a small partial index.
            models.Index(
                fields=["recipient", "-created", "-id"], name="notification_inbox_order_idx"
            ),
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True, done_at__isnull=True),
                name="notification_unread_idx",
            ),
            models.Index(fields=["email_state", "created"], name="notification_outbox_idx"),
            models.Index(
                fields=["target_key"],
                condition=Q(done_at__isnull=True) & ~Q(target_key=""),
                name="notification_open_target_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    @property
    def is_new(self) -> bool:
        return self.read_at is None and self.done_at is None


class Preference(models.Model):
    """How one person wants one kind of notification delivered."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=64)
    channel = models.CharField(max_length=12, choices=Channel.CHOICES)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="preference_unique_per_kind"),
            models.CheckConstraint(
                condition=Q(channel__in=["immediate", "digest", "in_app"]),
                name="preference_channel_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.kind} → {self.channel}"


class DigestSchedule(models.Model):
    """The hour of the day (site time) a person's daily digest goes out, when they chose one
    other than ``NOTIFICATIONS_DIGEST_HOUR`` (the default needs no row)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_schedule"
    )
    hour = models.PositiveSmallIntegerField(_("digest hour"))

    class Meta:
        verbose_name = _("digest hour")
        verbose_name_plural = _("digest hours")
        constraints = [
            models.CheckConstraint(
                condition=Q(hour__gte=0, hour__lte=23), name="digest_hour_of_the_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: digest at {self.hour:02d}:00"


class DigestSent(models.Model):
    """The day (site time) a person's last daily digest went out: one a day, whatever the
    beat does (a late run catches up, a second run the same day, or 02:00 twice on the
    night the clocks go back, sends nothing)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="last_digest",
    )
    sent_on = models.DateField(_("last digest sent on"))

    class Meta:
        verbose_name = _("last digest")
        verbose_name_plural = _("last digests")

    def __str__(self) -> str:
        return f"{self.user}: last digest on {self.sent_on:%Y-%m-%d}"
