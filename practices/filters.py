import django_filters
from django import forms
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from clusters.models import Cluster, Ecosystem

from .models import Practice, Tag


class PracticeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Words to find…")}),
    )
    category = django_filters.ChoiceFilter(
        label=_("Category"), choices=Practice.Category.choices, empty_label=_("All categories")
    )
    ecosystem = django_filters.ChoiceFilter(
        label=_("Ecosystem"),
        field_name="ecosystems__code",
        choices=Ecosystem.CODES,
        empty_label=_("All ecosystems"),
    )
    country = django_filters.ChoiceFilter(
        label=_("Country"),
        field_name="cluster__country",
        choices=[],
        empty_label=_("All countries"),
    )
    cluster = django_filters.ModelChoiceFilter(
        label=_("Cluster"),
        field_name="cluster",
        to_field_name="slug",
        queryset=Cluster.objects.none(),
        empty_label=_("All clusters"),
    )
    tag = django_filters.ModelChoiceFilter(
        label=_("Tag"),
        field_name="tags",
        to_field_name="slug",
        queryset=Tag.objects.none(),
        empty_label=_("All tags"),
    )

    class Meta:
        model = Practice
        fields = ["q", "category", "ecosystem", "country", "cluster", "tag"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        published = Practice.objects.published()
        self.filters["cluster"].queryset = Cluster.objects.filter(
            pk__in=published.values("cluster_id")
        ).only("slug", "name")
        self.filters["tag"].queryset = Tag.objects.filter(pk__in=published.values("tags")).only(
            "slug", "name"
        )
        codes = set(published.values_list("cluster__country", flat=True).distinct())
        self.filters["country"].extra["choices"] = [(c, n) for c, n in countries if c in codes]

    def search(self, queryset, name, value):
        return search_practices(queryset, value)


def search_practices(queryset, text: str):
    """Rank by relevance: PostgreSQL full-text search; elsewhere a weighted match."""
    text = " ".join((text or "").split())
    if not text:
        return queryset
    from django.db import connection

    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank
        from django.db.models import F

        query = SearchQuery(text, config="english", search_type="websearch")
        return (
            queryset.filter(search_vector=query)
            .annotate(rank=SearchRank(F("search_vector"), query))
            .order_by("-rank", "-published_at")
        )
    words = text.split()[:8]
    match = Q()
    for word in words:
        match &= (
            Q(title__icontains=word)
            | Q(summary__icontains=word)
            | Q(description__icontains=word)
            | Q(problem__icontains=word)
        )
    return (
        queryset.filter(match)
        .annotate(
            rank=Case(
                When(title__icontains=words[0], then=Value(3)),
                When(summary__icontains=words[0], then=Value(2)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("-rank", "-published_at")
    )
