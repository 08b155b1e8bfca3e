import tomllib
import unicodedata
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import django_filters
from django import forms
from django.db.models import Q
from django.forms.utils import flatatt
from django.utils.html import format_html_join
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from .models import Cluster, Ecosystem

SIZE_BANDS = {
    "small": (_("Up to 49 members"), 0, 49),
    "medium": (_("50 to 199 members"), 50, 199),
    "large": (_("200 to 499 members"), 200, 499),
    "xlarge": (_("500 members or more"), 500, None),
}
COUNTRY_NAMES_FILE = Path(__file__).with_name("country_names.toml")
# A search word this short matches a country's or an ecosystem's code only ("PT", "ICT"),
# not every name that starts with it.
SHORT_TERM = 3


def fold(text: str) -> str:
    """Lower case without accents: "España" and "espana" are the same to a searcher."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _words(name: str) -> list[str]:
    return [w for w in fold(name).replace("-", " ").replace(",", " ").split() if w]


@cache
def _other_country_names() -> dict[str, list[str]]:
    with COUNTRY_NAMES_FILE.open("rb") as f:
        names = tomllib.load(f)
    unknown = [code for code in names if code not in dict(countries)]
    if unknown:
        raise ValueError(f"{COUNTRY_NAMES_FILE.name}: unknown country codes {unknown}")
    return names


@cache
def _country_index(language: str) -> list[tuple[str, set[str], list[list[str]]]]:
    """Per country: its codes, and the words of each of its names (folded)."""
    other = _other_country_names()
    index = []
    for code, name in countries:
        codes = {fold(code), fold(countries.alpha3(code) or "")} - {""}
        names = [str(name), *other.get(code, [])]
        index.append((code, codes, [_words(n) for n in names]))
    return index


def _matches(term: str, codes: set[str], names: list[list[str]]) -> bool:
    """An exact code, or (for words long enough) the start of a word of one of the names:
    "port" finds Portugal, "kingdom" the United Kingdom; "gal" finds neither Portugal
    nor Senegal."""
    if term in codes:
        return True
    if len(term) < SHORT_TERM:
        return False
    return any(word.startswith(term) for words in names for word in words)


def countries_named(term: str) -> list[str]:
    """The codes of the countries ``term`` names, as people type it."""
    term = fold(term)
    return [
        code
        for code, codes, names in _country_index(get_language() or "en")
        if _matches(term, codes, names)
    ]


def ecosystems_named(term: str) -> list[str]:
    """The codes of the ecosystems ``term`` names ("energy", "mobil", "ICT")."""
    term = fold(term)
    return [code for code, label in Ecosystem.CODES if _matches(term, {code}, [_words(str(label))])]


def tagged_with(codes) -> Q:
    """Clusters tagged with any of these ecosystems, each once (a subquery, not a join)."""
    tagged = Cluster.ecosystems.through.objects.filter(ecosystem__code__in=codes)
    return Q(pk__in=tagged.values("cluster_id"))


def _options(context) -> Iterator[dict]:
    return (
        option for _group, options, _index in context["widget"]["optgroups"] for option in options
    )


class CheckboxList(forms.CheckboxSelectMultiple):
    """Django's checkboxes with the same HTML, the options joined here rather than by three
    templates each: the directory's form renders dozens on every request."""

    template_name = "clusters/widgets/checkbox_list.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["options_html"] = format_html_join(
            "",
            '<div>\n    <label for="{}"><input type="{}" name="{}" value="{}"{}>'
            "\n {}</label>\n</div>",
            (
                (
                    o["attrs"].get("id", ""),
                    o["type"],
                    o["name"],
                    o["value"],
                    flatatt(o["attrs"]),
                    o["label"],
                )
                for o in _options(context)
            ),
        )
        return context


class FlatSelect(forms.Select):
    """Django's select with the same HTML, the options joined here rather than by two
    templates each."""

    template_name = "clusters/widgets/select.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs_html"] = flatatt(context["widget"]["attrs"])
        context["widget"]["options_html"] = format_html_join(
            "",
            '\n  <option value="{}"{}>{}</option>',
            ((o["value"], flatatt(o["attrs"]), o["label"]) for o in _options(context)),
        )
        return context


class ManyChoiceField(forms.MultipleChoiceField):
    """Several values, and an empty one ("?country=", as the old single choice sent)
    means none rather than an unknown choice."""

    widget = CheckboxList

    def to_python(self, value):
        return [v for v in super().to_python(value) if v]


class ManyChoiceFilter(django_filters.MultipleChoiceFilter):
    field_class = ManyChoiceField


# Each word of a search is an AND of several ORs: a bounded search stays a cheap query
# (and under SQLite's expression depth limit).
SEARCH_MAX_LENGTH = 200
SEARCH_MAX_WORDS = 10


class ClusterFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        max_length=SEARCH_MAX_LENGTH,
        help_text=_("A name, a topic, a country or an ecosystem: e.g. Portugal energy."),
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Name, topic, country, ecosystem…")}
        ),
    )
    ecosystem = ManyChoiceFilter(
        label=_("Ecosystems"),
        method="filter_ecosystems",
        choices=Ecosystem.CODES,
        help_text=_("Any of those ticked."),
    )
    country = ManyChoiceFilter(
        label=_("Countries"), choices=[], help_text=_("Any of those ticked.")
    )
    label = django_filters.ChoiceFilter(
        label=_("Management label"),
        choices=Cluster.Label.choices,
        empty_label=_("Any label"),
        widget=FlatSelect,
    )
    size = django_filters.ChoiceFilter(
        label=_("Members"),
        method="filter_size",
        choices=[(k, v[0]) for k, v in SIZE_BANDS.items()],
        empty_label=_("Any size"),
        widget=FlatSelect,
    )
    sort = django_filters.OrderingFilter(
        label=_("Sort by"),
        empty_label=None,
        widget=FlatSelect,
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

    # The filters an empty result may suggest dropping, in the order they are offered.
    NARROWING = ("q", "country", "ecosystem", "label", "size")

    def __init__(self, *args, country_codes=None, **kwargs):
        super().__init__(*args, **kwargs)
        codes = set(country_codes) if country_codes is not None else {c for c, _n in countries}
        self.filters["country"].extra["choices"] = [
            (code, name) for code, name in countries if code in codes
        ]

    def search(self, queryset, name, value):
        """Every word must match somewhere: the name, acronym or description, the name or
        code of the cluster's country, or one of its ecosystems."""
        for term in value.split()[:SEARCH_MAX_WORDS]:
            matches = Q(name__icontains=term) | Q(acronym__icontains=term)
            matches |= Q(description__icontains=term)
            if country_codes := countries_named(term):
                matches |= Q(country__in=country_codes)
            if ecosystem_codes := ecosystems_named(term):
                matches |= tagged_with(ecosystem_codes)
            queryset = queryset.filter(matches)
        return queryset

    def filter_ecosystems(self, queryset, name, value):
        return queryset.filter(tagged_with(value)) if value else queryset

    def filter_size(self, queryset, name, value):
        _label, low, high = SIZE_BANDS[value]
        queryset = queryset.filter(members_total__gte=low)
        return queryset if high is None else queryset.filter(members_total__lte=high)
