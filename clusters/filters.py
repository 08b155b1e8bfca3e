import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from .models import Cluster, Ecosystem

SIZE_BANDS = {
    "small": (_("Up to 49 members"), 0, 49),
    "medium": (_("50 to 199 members"), 50, 199),
    "large": (_("200 to 499 members"), 200, 499),
    "xlarge": (_("500 members or more"), 500, None),
}


class ClusterFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name, acronym, topic…")}),
    )
    ecosystem = django_filters.ChoiceFilter(
        label=_("Ecosystem"),
        field_name="ecosystems__code",
        choices=Ecosystem.CODES,
        empty_label=_("All ecosystems"),
    )
    country = django_filters.ChoiceFilter(
        label=_("Country"), choices=[], empty_label=_("All countries")
    )
    label = django_filters.ChoiceFilter(
        label=_("Management label"), choices=Cluster.Label.choices, empty_label=_("Any label")
    )
    size = django_filters.ChoiceFilter(
        label=_("Members"),
        method="filter_size",
        choices=[(k, v[0]) for k, v in SIZE_BANDS.items()],
        empty_label=_("Any size"),
    )
    sort = django_filters.OrderingFilter(
        label=_("Sort by"),
        empty_label=None,
        fields=(
            ("name", "name"),
            ("members_total", "members"),
            ("country", "country"),
            ("created", "newest"),
        ),
        choices=[
            ("name", _("Name (A–Z)")),
            ("-name", _("Name (Z–A)")),
            ("-members", _("Most members")),
            ("members", _("Fewest members")),
            ("country", _("Country")),
            ("-newest", _("Newest in the network")),
        ],
    )

    class Meta:
        model = Cluster
        fields = ["q", "ecosystem", "country", "label", "size"]

    def __init__(self, *args, country_codes=None, **kwargs):
        super().__init__(*args, **kwargs)
        codes = set(country_codes) if country_codes is not None else {c for c, _n in countries}
        self.filters["country"].extra["choices"] = [
            (code, name) for code, name in countries if code in codes
        ]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value) | Q(acronym__icontains=value) | Q(description__icontains=value)
        )

    def filter_size(self, queryset, name, value):
        _label, low, high = SIZE_BANDS[value]
        queryset = queryset.filter(members_total__gte=low)
        return queryset if high is None else queryset.filter(members_total__lte=high)
