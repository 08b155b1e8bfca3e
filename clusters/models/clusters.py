from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from accounts.models import Organisation as BaseOrganisation
from core.fields import WebsiteField

from .names import ShownNames

YEAR_FOUNDED_MIN = 1900
YEAR_FOUNDED_MAX = 2100
LABEL_YEAR_MIN = 2000


class Ecosystem(models.Model):
    """One of the four Smart City ecosystems. Fixed rows, created by a migration."""

    MOBILITY = "mobility"
    ENERGY = "energy"
    ENVIRONMENT = "environment"
    ICT = "ict"
    CODES = [
        (MOBILITY, _("Mobility")),
        (ENERGY, _("Energy")),
        (ENVIRONMENT, _("Environment")),
        (ICT, _("ICT")),
    ]

    code = models.SlugField(max_length=20, unique=True, choices=CODES)
    name = models.CharField(max_length=60)

    class Meta:
        ordering = ["id"]
        verbose_name = _("ecosystem")
        verbose_name_plural = _("ecosystems")

    def __str__(self) -> str:
        return self.name


class Organisation(BaseOrganisation):
    """The organisations, as clusters and their admin know them: a proxy of
    accounts.Organisation (the model moved down so that accounts imports no clusters).
    No foreign key points here (they point at accounts.Organisation); the proxy is kept
    so that the secretariat's admin stays under Clusters, at admin:clusters_organisation_*."""

    class Meta:
        proxy = True
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")


class ClusterQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Cluster.Status.ACTIVE)


class ClusterProfile(models.Model):
    """The descriptive fields a cluster has, shared by a Cluster and a JoinRequest."""

    class LegalForm(models.TextChoices):
        ASSOCIATION = "association", _("Association")
        FOUNDATION = "foundation", _("Foundation")
        COMPANY = "company", _("Company (non-profit or limited)")
        PUBLIC = "public", _("Public body or agency")
        INFORMAL = "informal", _("Informal network")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    country = CountryField(_("country"))
    region = models.CharField(_("region"), max_length=100, blank=True)
    city = models.CharField(_("city"), max_length=100)
    website = WebsiteField(_("website"), blank=True)
    contact_email = models.EmailField(_("contact e-mail"))
    description = models.TextField(_("description"))
    year_founded = models.PositiveSmallIntegerField(
        _("year founded"),
        null=True,
        blank=True,
        validators=[MinValueValidator(YEAR_FOUNDED_MIN), MaxValueValidator(YEAR_FOUNDED_MAX)],
    )
    legal_form = models.CharField(
        _("legal form"), max_length=20, choices=LegalForm.choices, blank=True
    )
    members_smes = models.PositiveIntegerField(_("SMEs"), default=0)
    members_large = models.PositiveIntegerField(_("large companies"), default=0)
    members_research = models.PositiveIntegerField(_("research and universities"), default=0)
    members_public = models.PositiveIntegerField(_("public bodies"), default=0)
    members_other = models.PositiveIntegerField(_("other members"), default=0)
    offers = models.TextField(_("what we can share"), blank=True)
    needs = models.TextField(_("what we look for"), blank=True)

    MEMBER_COUNT_FIELDS = (
        "members_smes",
        "members_large",
        "members_research",
        "members_public",
        "members_other",
    )

    class Meta:
        abstract = True

    @classmethod
    def profile_constraints(cls, prefix: str) -> list[models.BaseConstraint]:
        return [
            models.CheckConstraint(
                condition=Q(year_founded__isnull=True)
                | Q(year_founded__gte=YEAR_FOUNDED_MIN, year_founded__lte=YEAR_FOUNDED_MAX),
                name=f"{prefix}_year_founded_range",
            ),
            *[
                models.CheckConstraint(condition=Q(**{f"{f}__gte": 0}), name=f"{prefix}_{f}_gte_0")
                for f in cls.MEMBER_COUNT_FIELDS
            ],
        ]


class Cluster(ClusterProfile, ShownNames):
    class Label(models.TextChoices):
        NONE = "none", _("No label")
        BRONZE = "bronze", _("Bronze")
        SILVER = "silver", _("Silver")
        GOLD = "gold", _("Gold")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        INACTIVE = "inactive", _("Inactive")

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    logo = models.ImageField(_("logo"), upload_to="clusters/logos/", blank=True)
    ecosystems = models.ManyToManyField(
        Ecosystem, verbose_name=_("ecosystems"), related_name="clusters"
    )
    # Held here since Organisation moved down to accounts; the table keeps its name.
    member_organisations = models.ManyToManyField(
        "accounts.Organisation",
        verbose_name=_("member organisations"),
        related_name="clusters",
        blank=True,
        db_table="clusters_organisation_clusters",
    )
    # The current recorded label (see ClusterLabel), kept by the label services only.
    label = models.CharField(
        _("management excellence label"),
        max_length=10,
        choices=Label.choices,
        default=Label.NONE,
        editable=False,
    )
    label_year = models.PositiveSmallIntegerField(
        _("label year"),
        null=True,
        blank=True,
        editable=False,
        validators=[MinValueValidator(LABEL_YEAR_MIN), MaxValueValidator(YEAR_FOUNDED_MAX)],
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE, db_index=True
    )
    members_total = models.GeneratedField(
        expression=F("members_smes")
        + F("members_large")
        + F("members_research")
        + F("members_public")
        + F("members_other"),
        output_field=models.PositiveIntegerField(),
        db_persist=True,
        verbose_name=_("members"),
    )
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="ClusterMembership", related_name="clusters"
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = ClusterQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("cluster")
        verbose_name_plural = _("clusters")
        constraints = [
            *ClusterProfile.profile_constraints("cluster"),
            models.CheckConstraint(
                condition=Q(label_year__isnull=True) | ~Q(label="none"),
                name="cluster_label_year_only_with_label",
            ),
            models.CheckConstraint(
                condition=Q(label_year__isnull=True)
                | Q(label_year__gte=LABEL_YEAR_MIN, label_year__lte=YEAR_FOUNDED_MAX),
                name="cluster_label_year_range",
            ),
            models.CheckConstraint(
                condition=Q(label__in=["none", "bronze", "silver", "gold"]),
                name="cluster_label_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["active", "inactive"]), name="cluster_status_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["country", "status"]),
            # The directory at network scale reads these instead of the whole table: its
            # counts, size bands and sort by members (with the id for the ecosystem filter's
            # semi-join, an index-only scan), and its default sort and the newest clusters.
            models.Index(
                fields=["status", "members_total", "id"], name="cluster_status_members_idx"
            ),
            models.Index(fields=["status", "name"], name="cluster_status_name_idx"),
            models.Index(fields=["status", "created"], name="cluster_status_created_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("clusters:detail", kwargs={"slug": self.slug})

    @property
    def member_counts(self) -> list[tuple[str, int]]:
        return [
            (self._meta.get_field(f).verbose_name, getattr(self, f))
            for f in self.MEMBER_COUNT_FIELDS
        ]


class ClusterMembership(models.Model):
    class Role(models.TextChoices):
        MANAGER = "manager", _("Manager")
        STAFF = "staff", _("Staff")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cluster__name", "role", "user__name"]
        verbose_name = _("cluster membership")
        verbose_name_plural = _("cluster memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "cluster"], name="membership_unique_pair"),
            models.CheckConstraint(
                condition=Q(role__in=["manager", "staff"]), name="membership_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} of {self.cluster}"


class JoinRequest(ClusterProfile):
    """A cluster that asks to join the network. Approval creates the Cluster."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_requests"
    )
    ecosystems = models.ManyToManyField(
        Ecosystem, verbose_name=_("ecosystems"), related_name="join_requests"
    )
    motivation = models.TextField(_("why join the network"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.SUBMITTED,
        db_index=True,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    cluster = models.OneToOneField(
        Cluster, on_delete=models.SET_NULL, null=True, blank=True, related_name="join_request"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("join request")
        verbose_name_plural = _("join requests")
        constraints = [
            *ClusterProfile.profile_constraints("joinrequest"),
            models.CheckConstraint(
                condition=Q(status__in=["submitted", "approved", "rejected"]),
                name="joinrequest_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="joinrequest_rejection_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ClusterFollow(models.Model):
    """A member follows a cluster: they hear when it publishes a practice."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cluster_follows"
    )
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="follows")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cluster follower")
        verbose_name_plural = _("cluster followers")
        constraints = [
            models.UniqueConstraint(fields=["user", "cluster"], name="follow_once_per_cluster")
        ]

    def __str__(self) -> str:
        return f"{self.user} follows {self.cluster}"


def label_certificate_path(instance, filename: str) -> str:
    return f"clusters/labels/{instance.cluster_id}/{filename}"


class ClusterLabel(models.Model):
    """A management excellence label the secretariat recorded for a cluster (a fact, with
    its year and, optionally, the certificate), never self-declared. The cluster's
    current label (``Cluster.label``/``label_year``) is the latest confirmed one, kept
    by the services that record, confirm and remove labels."""

    LEVELS = [c for c in Cluster.Label.choices if c[0] != Cluster.Label.NONE]
    RANK = {"bronze": 1, "silver": 2, "gold": 3}

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="labels")
    level = models.CharField(_("label"), max_length=10, choices=LEVELS)
    year = models.PositiveSmallIntegerField(
        _("year awarded"),
        validators=[MinValueValidator(LABEL_YEAR_MIN), MaxValueValidator(YEAR_FOUNDED_MAX)],
    )
    # Public storage: a label certificate is not secret, the profile links to it.
    certificate = models.FileField(
        _("certificate"), upload_to=label_certificate_path, blank=True, max_length=255
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    # Only a confirmed label is shown. One carried over from the self-declared profiles
    # (migration 0004) waits for the secretariat to confirm it (or remove it).
    confirmed = models.BooleanField(
        _("confirmed"),
        default=False,
        help_text=_("Recorded or confirmed by the secretariat; only confirmed labels are shown."),
    )

    class Meta:
        ordering = ["-year", "-recorded_at"]
        verbose_name = _("cluster label")
        verbose_name_plural = _("cluster labels")
        constraints = [
            models.UniqueConstraint(
                fields=["cluster", "level", "year"], name="clusterlabel_once_per_year"
            ),
            models.CheckConstraint(
                condition=Q(level__in=["bronze", "silver", "gold"]),
                name="clusterlabel_level_valid",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=LABEL_YEAR_MIN, year__lte=YEAR_FOUNDED_MAX),
                name="clusterlabel_year_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cluster}: {self.get_level_display()} {self.year}"
