from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from clusters.models import Cluster
from core.typed_choice import TypedModelChoiceField, TypedModelMultipleChoiceField, typed_help

from .models import Action, Objective, Strategy

DUE_BEFORE_START = _("The due date cannot be before the start date.")
PERIOD_REVERSED = _("The strategy cannot end before it starts.")


class ProgressUpdateForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    status = forms.ChoiceField(label=_("Status"), choices=Action.Status.choices)
    text = forms.CharField(
        label=_("What happened since the last update"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, action: Action, **kwargs):
        kwargs.setdefault(
            "initial",
            {"version": action.version, "progress": action.progress, "status": action.status},
        )
        super().__init__(*args, **kwargs)
        self.indicators = list(action.indicators.all())
        for indicator in self.indicators:
            self.fields[f"indicator_{indicator.pk}"] = forms.DecimalField(
                label=f"{indicator.name} ({indicator.unit})",
                required=False,
                max_digits=14,
                decimal_places=2,
                initial=indicator.current,
                help_text=_("Target %(target)s, baseline %(baseline)s")
                % {"target": indicator.target, "baseline": indicator.baseline},
            )

    def indicator_values(self):
        return {
            indicator.pk: self.cleaned_data.get(f"indicator_{indicator.pk}")
            for indicator in self.indicators
        }


class ActionForm(forms.ModelForm):
    """The clusters, the owner and the parent are typed, not picked from lists of thousands
    (core.typed_choice): a name, an e-mail or a title, or its unique start."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    lead_cluster = TypedModelChoiceField(
        label=_("Lead cluster"),
        queryset=Cluster.objects.all(),
        key_fields=(),
        help_text=typed_help(),
    )
    partners = TypedModelMultipleChoiceField(
        label=_("Partner clusters"), queryset=Cluster.objects.all(), key_fields=(), required=False
    )
    owner = TypedModelChoiceField(
        label=_("Owner"),
        queryset=get_user_model().objects.filter(is_active=True),
        name_field="email",
        key_fields=(),
        label_from_instance=lambda user: user.email,
        required=False,
        help_text=typed_help(_("Their e-mail address.")),
    )
    parent = TypedModelChoiceField(
        label=_("Parent action"),
        queryset=Action.objects.all(),
        name_field="title",
        key_fields=(),
        label_from_instance=lambda action: action.title,
        required=False,
        help_text=typed_help(_("Its title.")),
    )

    class Meta:
        model = Action
        fields = [
            "objective",
            "title",
            "description",
            "lead_cluster",
            "partners",
            "owner",
            "parent",
            "weight",
            "start_date",
            "due_date",
            "status",
            "budget_amount",
            "budget_currency",
            "funding_source",
        ]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "due_date": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.fields["parent"].queryset = Action.objects.exclude(pk=self.instance.pk)

    def clean(self):
        data = super().clean()
        if self.instance.pk and data.get("version") != self.instance.version:
            from .services import STALE_EDIT

            raise forms.ValidationError(STALE_EDIT)
        start, due = data.get("start_date"), data.get("due_date")
        if start and due and due < start:
            self.add_error("due_date", DUE_BEFORE_START)
        return data


class StrategyForm(forms.ModelForm):
    class Meta:
        model = Strategy
        fields = ["title", "vision", "start_year", "end_year", "status"]
        widgets = {"vision": forms.Textarea(attrs={"rows": 5})}

    def clean(self):
        data = super().clean()
        start, end = data.get("start_year"), data.get("end_year")
        if start and end and end < start:
            self.add_error("end_year", PERIOD_REVERSED)
        return data


class ObjectiveForm(forms.ModelForm):
    class Meta:
        model = Objective
        fields = ["title", "theme", "description", "order"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class CalendarFeedResetForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that my current calendar address will stop working"),
        error_messages={
            "required": _("Tick the box to confirm: calendar apps using the old address stop.")
        },
    )
