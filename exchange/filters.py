import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from clusters.models import Ecosystem

from .models import Call, Offer

DATE_INPUT = forms.DateInput(attrs={"type": "date"})


class OfferFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Topic"),
        method="search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Words to find…")}),
    )
    ecosystem = django_filters.ChoiceFilter(
        label=_("Ecosystem"),
        field_name="ecosystems__code",
        choices=Ecosystem.CODES,
        empty_label=_("All ecosystems"),
        distinct=True,
    )
    country = django_filters.ChoiceFilter(
        label=_("Host country"),
        field_name="host__country",
        choices=[],
        empty_label=_("All countries"),
    )
    available_from = django_filters.DateFilter(
        label=_("Visit from"),
        field_name="available_until",
        lookup_expr="gte",
        widget=DATE_INPUT,
        help_text=_("Offers still open on or after this day."),
    )
    available_until = django_filters.DateFilter(
        label=_("Visit until"),
        field_name="available_from",
        lookup_expr="lte",
        widget=DATE_INPUT,
        help_text=_("Offers starting on or before this day."),
    )

    class Meta:
        model = Offer
        fields = ["q", "ecosystem", "country", "available_from", "available_until"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        open_offers = Offer.objects.filter(is_active=True, call__in=Call.objects.open())
        used = set(open_offers.order_by().values_list("host__country", flat=True).distinct())
        self.filters["country"].extra["choices"] = [
            (code, name) for code, name in countries if code in used
        ]

    def search(self, queryset, name, value):
        for word in value.split()[:8]:
            queryset = queryset.filter(
                Q(topic__icontains=word)
                | Q(description__icontains=word)
                | Q(host__name__icontains=word)
            )
        return queryset
