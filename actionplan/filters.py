import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from clusters.models import Cluster

from .models import Action, Objective


class ActionFilter(django_filters.FilterSet):
    theme = django_filters.ChoiceFilter(
        label=_("Theme"),
        field_name="objective__theme",
        choices=Objective.Theme.choices,
        empty_label=_("All themes"),
    )
    lead = django_filters.ModelChoiceFilter(
        label=_("Lead cluster"),
        field_name="lead_cluster",
        to_field_name="slug",
        queryset=Cluster.objects.none(),
        empty_label=_("All clusters"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Action.Status.choices, empty_label=_("Any status")
    )
    owner = django_filters.ModelChoiceFilter(
        label=_("Owner"), queryset=get_user_model().objects.none(), empty_label=_("Anyone")
    )
    mine = django_filters.BooleanFilter(
        label=_("Only mine"),
        method="filter_mine",
        widget=forms.CheckboxInput,
        help_text=_("The actions you own and those led by a cluster you manage."),
    )
    due = django_filters.ChoiceFilter(
        label=_("Due"),
        field_name="due_state_db",
        choices=Action.DueState.choices,
        empty_label=_("Any"),
    )

    class Meta:
        model = Action
        fields = ["mine", "theme", "lead", "status", "owner", "due"]

    def __init__(self, *args, strategy=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if not getattr(user, "is_authenticated", False):
            del self.filters["mine"]  # a visitor owns nothing
        actions = Action.objects.filter(objective__strategy=strategy)
        self.filters["lead"].queryset = Cluster.objects.filter(
            pk__in=actions.values("lead_cluster")
        ).only("slug", "name")
        self.filters["owner"].queryset = (
            get_user_model().objects.filter(pk__in=actions.values("owner")).only("name", "email")
        )

    def filter_mine(self, queryset, name, value):
        return queryset.of_person(self.user) if value else queryset
