import hashlib
import secrets
from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusters.models import Cluster, ClusterMembership

DUE_SOON_DAYS = 14
# An action in one of these states is closed: never overdue, never due.
CLOSED_STATUSES = ("completed", "cancelled")


class Strategy(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ADOPTED = "adopted", _("Adopted")

    title = models.CharField(_("title"), max_length=200)
    vision = models.TextField(_("vision"))
    start_year = models.PositiveSmallIntegerField(_("from"))
    end_year = models.PositiveSmallIntegerField(_("to"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-start_year", "-id"]
        verbose_name = _("strategy")
        verbose_name_plural = _("strategies")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=F("start_year")), name="strategy_period_ordered"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "adopted"]), name="strategy_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.start_year}–{self.end_year})"


class Objective(models.Model):
    class Theme(models.TextChoices):
        MOBILITY = "mobility", _("Mobility")
        ENERGY = "energy", _("Energy")
        ENVIRONMENT = "environment", _("Environment")
        ICT = "ict", _("ICT")
        CROSS = "cross", _("Cross-cutting")

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="objectives")
    title = models.CharField(_("title"), max_length=200)
    theme = models.CharField(_("theme"), max_length=12, choices=Theme.choices)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["strategy", "order", "id"]
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")

    def __str__(self) -> str:
        return self.title


class ActionQuerySet(models.QuerySet):
    def with_due_state(self, today: date | None = None):
        """``due_state_db``: the same states as :meth:`Action.due_state`, in the database."""
        today = today or timezone.localdate()
        return self.annotate(
            due_state_db=Case(
                When(status__in=CLOSED_STATUSES, then=Value("closed")),
                When(due_date__lt=today, then=Value("overdue")),
                When(due_date__lte=today + timedelta(days=DUE_SOON_DAYS), then=Value("due_soon")),
                default=Value("on_track"),
                output_field=models.CharField(),
            )
        )

    def open(self):
        return self.exclude(status__in=CLOSED_STATUSES)

    def overdue(self, today: date | None = None):
        """The one definition of "overdue", for every page and reminder that counts them:
        an action or a sub-action (each has its own owner and due date), neither completed
        nor cancelled, whose due date is before today (due today is not overdue yet)."""
        return self.open().filter(due_date__lt=today or timezone.localdate())

    def due_soon(self, today: date | None = None):
        """Open, due today or within ``DUE_SOON_DAYS``: the actions :meth:`with_due_state`
        calls "due_soon", as a filter the open actions' index serves."""
        today = today or timezone.localdate()
        return self.open().filter(
            due_date__gte=today, due_date__lte=today + timedelta(days=DUE_SOON_DAYS)
        )

    def of_person(self, user):
        """A person's own actions ("Mine"): those they own, and those led by a cluster they
        manage: the people who report progress on an action and get its reminders
        (``permissions.can_update_action``, ``notifications.responsible_people``). Staff of
        the lead cluster are not responsible for its actions unless they own them."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        # The clusters' ids first, as a list: "owner OR lead cluster IN (subquery)" made
        # PostgreSQL read all 20,000 actions of a network-scale plan (73 ms); with the ids
        # it combines the two indexes (3.7 ms).
        managed = list(
            ClusterMembership.objects.filter(
                user=user, role=ClusterMembership.Role.MANAGER
            ).values_list("cluster_id", flat=True)
        )
        return self.filter(Q(owner=user) | Q(lead_cluster__in=managed))


class Action(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")
        DELAYED = "delayed", _("Delayed")
        CANCELLED = "cancelled", _("Cancelled")

    class DueState(models.TextChoices):
        OVERDUE = "overdue", _("Overdue")
        DUE_SOON = "due_soon", _("Due within 14 days")
        ON_TRACK = "on_track", _("On track")
        CLOSED = "closed", _("Closed")

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="actions")
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent action"),
    )
    weight = models.PositiveSmallIntegerField(
        _("weight in the parent's progress"),
        default=1,
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    lead_cluster = models.ForeignKey(
        Cluster,
        on_delete=models.PROTECT,
        related_name="led_actions",
        verbose_name=_("lead cluster"),
    )
    partners = models.ManyToManyField(
        Cluster, related_name="partner_actions", blank=True, verbose_name=_("partner clusters")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_actions",
        verbose_name=_("owner"),
    )
    start_date = models.DateField(_("start"))
    due_date = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED, db_index=True
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    budget_amount = models.DecimalField(
        _("budget"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    budget_currency = models.CharField(_("currency"), max_length=3, default="EUR")
    funding_source = models.CharField(_("funding source"), max_length=200, blank=True)
    # Optimistic locking: every save through a service bumps it; a stale form is refused.
    version = models.PositiveIntegerField(default=1, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0, progress__lte=100), name="action_progress_0_100"
            ),
            models.CheckConstraint(
                condition=Q(due_date__gte=F("start_date")), name="action_due_not_before_start"
            ),
            models.CheckConstraint(condition=Q(weight__gte=1), name="action_weight_positive"),
            models.CheckConstraint(
                condition=Q(
                    status__in=["planned", "in_progress", "completed", "delayed", "cancelled"]
                ),
                name="action_status_valid",
            ),
            models.CheckConstraint(condition=~Q(parent=F("id")), name="action_not_its_own_parent"),
        ]
        indexes = [
            models.Index(fields=["status", "due_date"]),
            # The plan's figures read these columns of every action of a strategy: an
            # index-only scan, objective by objective; each objective's first lines by
            # due date come from the same index. (Key columns, not INCLUDE: SQLite has no
            # covering indexes.)
            models.Index(
                fields=["objective", "due_date", "id", "parent", "status", "progress"],
                name="action_objective_due",
            ),
            # The open actions by due date: the overdue and due-soon lists, the timeline.
            models.Index(
                fields=["due_date", "id", "parent", "objective"],
                condition=~Q(status__in=CLOSED_STATUSES),
                name="action_open_due",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("actionplan:action", kwargs={"pk": self.pk})

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.parent_id:
            parent = self.parent
            if parent.pk == self.pk:
                raise ValidationError({"parent": _("An action cannot be its own parent.")})
            if parent.parent_id:
                raise ValidationError(
                    {"parent": _("Sub-actions go one level deep: choose a top-level action.")}
                )
            if parent.objective_id != self.objective_id:
                raise ValidationError(
                    {"parent": _("The parent action must belong to the same objective.")}
                )
            if self.pk and Action.objects.filter(parent_id=self.pk).exists():
                raise ValidationError(
                    {"parent": _("This action has sub-actions: it cannot become one.")}
                )

    def due_state(self, today: date | None = None) -> str:
        today = today or timezone.localdate()
        if self.status in CLOSED_STATUSES:
            return self.DueState.CLOSED
        if self.due_date < today:
            return self.DueState.OVERDUE
        if self.due_date <= today + timedelta(days=DUE_SOON_DAYS):
            return self.DueState.DUE_SOON
        return self.DueState.ON_TRACK

    @property
    def due_state_label(self) -> str:
        return self.DueState(self.due_state()).label


class Milestone(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"))
    done = models.BooleanField(_("done"), default=False)

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return self.title


class Indicator(models.Model):
    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, null=True, blank=True, related_name="indicators"
    )
    objective = models.ForeignKey(
        Objective, on_delete=models.CASCADE, null=True, blank=True, related_name="indicators"
    )
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=40)
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2, default=0)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    current = models.DecimalField(_("current value"), max_digits=14, decimal_places=2, default=0)

    class Meta:
        ordering = ["id"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.CheckConstraint(
                condition=(Q(action__isnull=False) & Q(objective__isnull=True))
                | (Q(action__isnull=True) & Q(objective__isnull=False)),
                name="indicator_of_action_or_objective",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.unit})"

    @property
    def achieved_percent(self) -> int:
        span = self.target - self.baseline
        if span == 0:
            return 100 if self.current >= self.target else 0
        return max(0, min(100, round((self.current - self.baseline) / span * 100)))


class IndicatorValue(models.Model):
    """Every change of an indicator's current value: when, by whom."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    value = models.DecimalField(max_digits=14, decimal_places=2)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value}"


class ProgressUpdate(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    progress = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=12, choices=Action.Status.choices)
    text = models.TextField()

    class Meta:
        ordering = ["-created", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0, progress__lte=100), name="update_progress_0_100"
            )
        ]

    def __str__(self) -> str:
        return f"{self.action}: {self.progress}%"


class ActionFollow(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="action_follows"
    )
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="follows")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "action"], name="action_follow_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} follows {self.action}"


def new_token() -> str:
    """A calendar address's secret: 256 random bits, so a plain sha256 of it is enough
    to store (nothing to guess, nothing to salt against)."""
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class CalendarFeed(models.Model):
    """A person's private calendar address: its token stands for their login to a calendar
    app. Only a hash of the token is kept: the address is shown once, when it is made or
    reset, and a reset makes the old address answer 404."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    issued = models.DateTimeField(_("address made"), default=timezone.now)

    def __str__(self) -> str:
        return f"Calendar of {self.user}"
