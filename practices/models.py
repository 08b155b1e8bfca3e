from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from clusters.models import Cluster, Ecosystem
from core.files import private_storage

from .search import full_document, head_document, title_document

YEAR_MIN, YEAR_MAX = 1990, 2100
# The long fields written in Markdown, rendered through the sanitiser.
MARKDOWN_FIELDS = (
    "problem",
    "description",
    "resources",
    "evidence",
    "difficulties",
    "transfer_potential",
)


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=50, unique=True)
    slug = models.SlugField(max_length=60, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return self.name


class PracticeQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Practice.Status.PUBLISHED)


class Practice(models.Model):
    class Category(models.TextChoices):
        MANAGEMENT = "management", _("Cluster management")
        VALUE = "value", _("Value proposition to members")
        THEMATIC = "thematic", _("Thematic know-how")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for moderation")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        PUBLISHED = "published", _("Published")
        REJECTED = "rejected", _("Rejected")
        ARCHIVED = "archived", _("Archived")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    cluster = models.ForeignKey(
        Cluster,
        on_delete=models.PROTECT,
        related_name="practices",
        verbose_name=_("submitting cluster"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="practices",
        verbose_name=_("author"),
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    ecosystems = models.ManyToManyField(
        Ecosystem, related_name="practices", verbose_name=_("ecosystems")
    )
    summary = models.CharField(
        _("summary"), max_length=400, help_text=_("Two or three sentences: what and why.")
    )
    problem = models.TextField(_("problem addressed"))
    description = models.TextField(_("description"))
    resources = models.TextField(_("resources needed"), blank=True)
    evidence = models.TextField(_("evidence of success"), blank=True)
    difficulties = models.TextField(_("difficulties encountered"), blank=True)
    transfer_potential = models.TextField(_("potential for transfer"), blank=True)
    start_year = models.PositiveSmallIntegerField(
        _("since"), validators=[MinValueValidator(YEAR_MIN), MaxValueValidator(YEAR_MAX)]
    )
    end_year = models.PositiveSmallIntegerField(
        _("until"),
        null=True,
        blank=True,
        validators=[MinValueValidator(YEAR_MIN), MaxValueValidator(YEAR_MAX)],
        help_text=_("Leave empty while the practice is still running."),
    )
    tags = models.ManyToManyField(Tag, related_name="practices", blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    reviewer_feedback = models.TextField(_("reviewer feedback"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(_("last update"), auto_now=True)
    # PostgreSQL full-text search (practices/search.py), computed by the database from the
    # row itself whatever writes it; NULL on SQLite. GIN indexes: migration 0003.
    search_vector = models.GeneratedField(
        expression=full_document(), output_field=SearchVectorField(null=True), db_persist=True
    )
    search_title = models.GeneratedField(
        expression=title_document(), output_field=SearchVectorField(null=True), db_persist=True
    )
    search_head = models.GeneratedField(
        expression=head_document(), output_field=SearchVectorField(null=True), db_persist=True
    )

    objects = PracticeQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created"]
        verbose_name = _("practice")
        verbose_name_plural = _("practices")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__isnull=True) | Q(end_year__gte=models.F("start_year")),
                name="practice_period_ordered",
            ),
            models.CheckConstraint(
                condition=Q(start_year__gte=YEAR_MIN, start_year__lte=YEAR_MAX),
                name="practice_start_year_range",
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=[
                        "draft",
                        "submitted",
                        "changes_requested",
                        "published",
                        "rejected",
                        "archived",
                    ]
                ),
                name="practice_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="practice_published_has_date",
            ),
        ]
        # The repository's order (and each search tier's), read from the newest: a page
        # stops after its rows instead of sorting every published practice.
        indexes = [
            models.Index(
                fields=["status", "-published_at", "-created"], name="practice_published_order"
            ),
            # The moderation queue, oldest first (a few hundred of 50,000 practices).
            models.Index(
                fields=["submitted_at"],
                condition=models.Q(status="submitted"),
                name="practice_to_moderate_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("practices:detail", kwargs={"slug": self.slug})

    @property
    def is_running(self) -> bool:
        return self.end_year is None


class PracticeVersion(models.Model):
    """The practice's text as it was each time it was submitted for moderation."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    data = models.JSONField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "number"], name="practice_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.practice} v{self.number}"


def attachment_path(instance, filename: str) -> str:
    return f"practices/{instance.practice_id}/{filename}"


class Attachment(models.Model):
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, storage=private_storage)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name


class TransferInterest(models.Model):
    """A member says "we want to transfer this": one per member and practice."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="interests")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="transfer_interests"
    )
    message = models.TextField(_("message to the cluster"), blank=True, max_length=2000)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "user"], name="interest_once_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.practice}"
