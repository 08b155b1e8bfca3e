import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from clusters.filters import FlatSelect
from clusters.models import Cluster, Ecosystem
from core.pagecache.values import remember
from core.typed_choice import TypedModelChoiceFilter

from .models import Practice, Tag
from .search import normalise, search_terms


class PracticeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Words to find…")}),
    )
    category = django_filters.ChoiceFilter(
        label=_("Category"),
        choices=Practice.Category.choices,
        empty_label=_("All categories"),
        widget=FlatSelect,
    )
    ecosystem = django_filters.ChoiceFilter(
        label=_("Ecosystem"),
        method="filter_ecosystem",
        choices=Ecosystem.CODES,
        empty_label=_("All ecosystems"),
        widget=FlatSelect,
    )
    country = django_filters.ChoiceFilter(
        label=_("Country"),
        field_name="cluster__country",
        choices=[],
        empty_label=_("All countries"),
        widget=FlatSelect,
    )
    # 10,000 clusters: typed, not picked (an older link's ?cluster=<slug> still works).
    cluster = TypedModelChoiceFilter(
        label=_("Cluster"),
        field_name="cluster",
        queryset=Cluster.objects.none(),
        exact_fields=("acronym",),
        help_text=_("Its name, its acronym or the start of its name."),
    )
    # The tags that have a published practice (``published_facets``), by slug.
    tag = django_filters.ChoiceFilter(
        label=_("Tag"),
        method="filter_tag",
        choices=[],
        empty_label=_("All tags"),
        widget=FlatSelect,
    )

    class Meta:
        model = Practice
        fields = ["q", "category", "ecosystem", "country", "cluster", "tag"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        published = Practice.objects.published()
        self.filters["cluster"].queryset = Cluster.objects.filter(
            Exists(published.filter(cluster=OuterRef("pk")))
        ).only("slug", "name", "acronym")
        facets = published_facets()
        self.filters["tag"].extra["choices"] = facets["tags"]
        codes = set(facets["countries"])
        self.filters["country"].extra["choices"] = [(c, n) for c, n in countries if c in codes]

    # EXISTS rather than a JOIN: a practice in two matching rows needs no DISTINCT over
    # every column (and its count no DISTINCT subquery).
    def filter_ecosystem(self, queryset, name, value):
        through = Practice.ecosystems.through.objects
        return queryset.filter(
            Exists(through.filter(practice_id=OuterRef("pk"), ecosystem__code=value))
        )

    def filter_tag(self, queryset, name, value):
        through = Practice.tags.through.objects
        return queryset.filter(Exists(through.filter(practice_id=OuterRef("pk"), tag__slug=value)))

    def search(self, queryset, name, value):
        """The practices that match; ``practice_repository`` puts them in order."""
        text = normalise(value)
        if not text:
            return queryset
        match, _tiers = search_terms(text)
        return queryset.filter(match)


FACETS_NAME = "practices:facets:v3"
FACETS_TIMEOUT = 60 * 60


def published_facets() -> dict[str, list]:
    """The countries and tags (slug, name) that have a published practice: the filter's
    choices, with no query for them on the page.

    Counting them means reading every published practice (40,000 at network scale) on each
    page; they are kept for as long as the page cache's generation, which every write to
    practices, their tags or clusters changes (a bulk ``.update()`` included)."""
    return remember(FACETS_NAME, _count_facets, timeout=FACETS_TIMEOUT)


def _count_facets() -> dict[str, list]:
    published = Practice.objects.published().order_by()
    return {
        "countries": list(published.values_list("cluster__country", flat=True).distinct()),
        "tags": list(
            Tag.objects.filter(
                Exists(
                    Practice.tags.through.objects.filter(
                        tag=OuterRef("pk"), practice__status=Practice.Status.PUBLISHED
                    )
                )
            )
            .order_by("name")
            .values_list("slug", "name")
        ),
    }
