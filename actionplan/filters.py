import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from clusters.models import Cluster
from core.typed_choice import TypedModelChoiceFilter

from .models import Action, Objective


class ActionFilter(django_filters.FilterSet):
    theme = django_filters.ChoiceFilter(
        label=_("Theme"),
        field_name="objective__theme",
        choices=Objective.Theme.choices,
        empty_label=_("All themes"),
    )
    # Thousands of clusters and people: typed, not picked (older links' ?lead=<slug> and
    # ?owner=<id> still work).
    lead = TypedModelChoiceFilter(
        label=_("Lead cluster"),
        field_name="lead_cluster",
        queryset=Cluster.objects.none(),
        exact_fields=("acronym",),
        help_text=_("Its name, its acronym or the start of its name."),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Action.Status.choices, empty_label=_("Any status")
    )
    owner = TypedModelChoiceFilter(
        label=_("Owner"),
        field_name="owner",
        queryset=get_user_model().objects.none(),
        key_fields=("pk",),
        help_text=_("The person's name or the start of it."),
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
            Exists(actions.filter(lead_cluster=OuterRef("pk")))
        ).only("slug", "name")
        self.filters["owner"].queryset = (
            get_user_model()
            .objects.filter(Exists(actions.filter(owner=OuterRef("pk"))))
            .only("name", "email")
        )

    def filter_mine(self, queryset, name, value):
        return queryset.of_person(self.user) if value else queryset
