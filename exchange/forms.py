from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from clusters.forms import EcosystemsField
from clusters.models import Cluster
from core.typed_choice import TypedModelChoiceField, typed_help

from .models import (
    MESSAGE_MAX_LENGTH,
    ApplicantKind,
    Application,
    Call,
    Decision,
    Offer,
    Review,
    VisitReport,
    applicant_kind_for,
)
from .selectors import clusters_of_member
from .services.messages import MESSAGE_EMPTY

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
END_BEFORE_START = _("The last day cannot be before the first day.")
MARKDOWN_HELP = _("Markdown: **bold**, *italic*, lists with -, links as [text](https://…).")


class FieldsetsMixin:
    fieldsets: tuple = ()

    def iter_fieldsets(self):
        for legend, names in self.fieldsets:
            fields = [self[n] for n in names if n in self.fields]
            if fields:
                yield legend, fields


class ApplicationForm(FieldsetsMixin, forms.ModelForm):
    # Typed, not a list of the network's thousands of clusters (core.typed_choice).
    host = TypedModelChoiceField(
        label=_("Host cluster"),
        queryset=Cluster.objects.none(),
        key_fields=(),
        label_from_instance=lambda cluster: cluster.name,
        help_text=typed_help(_("This call takes applications to a host cluster directly.")),
    )
    fieldsets = (
        (_("Who travels"), ("applicant_kind", "sending_cluster")),
        (_("The host"), ("host",)),
        (_("Why"), ("motivation", "learning_goals", "expected_results")),
        (
            _("When and from where"),
            ("start_date", "end_date", "travel_from_city", "travel_from_country", "distance_km"),
        ),
    )

    class Meta:
        model = Application
        fields = [
            "applicant_kind",
            "sending_cluster",
            "motivation",
            "learning_goals",
            "expected_results",
            "start_date",
            "end_date",
            "travel_from_city",
            "travel_from_country",
            "distance_km",
        ]
        widgets = {
            "motivation": forms.Textarea(attrs={"rows": 4}),
            "learning_goals": forms.Textarea(attrs={"rows": 4}),
            "expected_results": forms.Textarea(attrs={"rows": 4}),
            "start_date": DATE,
            "end_date": DATE,
        }
        help_texts = {
            "start_date": _("Travel days do not count: give your days on site."),
            "motivation": _("Why this host, and why now?"),
        }

    # What "Compute the funding" needs; the rest may still be empty then.
    FUNDING_FIELDS = ("start_date", "end_date", "distance_km", "host")

    def __init__(self, *args, user, call, hosts=None, for_funding=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.call = call
        self._optional_now = []
        if for_funding:
            for name, field in self.fields.items():
                if name not in self.FUNDING_FIELDS and field.required:
                    field.required = False
                    self._optional_now.append(name)
        self.fields["sending_cluster"].queryset = clusters_of_member(user=user).order_by("name")
        self.fields["sending_cluster"].empty_label = _("None")
        self.fields["applicant_kind"].choices = [
            (k.value, k.label) for k in ApplicantKind if k.value in (call.eligible_kinds or [])
        ] or ApplicantKind.choices
        if hosts is None:
            del self.fields["host"]
        else:
            self.fields["host"].queryset = hosts
        if not self.instance.pk:
            organisation = user.organisation
            if organisation is not None:
                self.initial.setdefault("applicant_kind", applicant_kind_for(organisation))
            if user.country:
                self.initial.setdefault("travel_from_country", user.country)

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", END_BEFORE_START)
        return data

    def require_all_again(self) -> None:
        """After a funding preview has been checked: the page shows the fields that a save
        requires as required again (the preview's errors are already computed)."""
        for name in self._optional_now:
            self.fields[name].required = True

    def service_kwargs(self) -> dict[str, Any]:
        """``application_create`` / ``application_update``'s arguments from the form."""
        data = {k: v for k, v in self.cleaned_data.items() if k != "host"}
        if "host" not in self.fields:
            return {"data": data}
        return {"data": data, "host": self.cleaned_data["host"]}


class OfferForm(FieldsetsMixin, forms.ModelForm):
    host = forms.ModelChoiceField(
        label=_("Host cluster"), queryset=Cluster.objects.none(), empty_label=None
    )
    ecosystems = EcosystemsField()
    fieldsets = (
        (_("The offer"), ("host", "topic", "description", "ecosystems", "languages")),
        (_("When and how many"), ("available_from", "available_until", "capacity")),
        (_("Who to ask"), ("contact", "is_active")),
    )

    class Meta:
        model = Offer
        fields = [
            "topic",
            "description",
            "languages",
            "available_from",
            "available_until",
            "capacity",
            "contact",
            "is_active",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "available_from": DATE,
            "available_until": DATE,
        }
        help_texts = {"description": MARKDOWN_HELP}

    def __init__(self, *args, hosts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host"].queryset = hosts
        if self.instance.pk:
            del self.fields["host"]
            hosts = hosts.filter(pk=self.instance.host_id)
            self.initial["ecosystems"] = list(self.instance.ecosystems.all())
        else:
            del self.fields["is_active"]  # a new offer takes applications
        # Someone in the team of a cluster the offer may be for (checked again on save).
        self.fields["contact"].queryset = (
            User.objects.filter(memberships__cluster__in=hosts).distinct().order_by("name")
        )
        self.fields["contact"].help_text = _("Someone in the host cluster's team.")

    def clean(self):
        data = super().clean()
        start, end = data.get("available_from"), data.get("available_until")
        if start and end and end < start:
            self.add_error("available_until", END_BEFORE_START)
        return data

    def service_kwargs(self) -> dict[str, Any]:
        """``offer_create`` / ``offer_update``'s arguments (the host on a new offer only)."""
        cleaned = self.cleaned_data
        kwargs = {
            "data": {k: v for k, v in cleaned.items() if k not in {"host", "ecosystems"}},
            "ecosystems": cleaned["ecosystems"],
        }
        if "host" in self.fields:
            kwargs["host"] = cleaned["host"]
        return kwargs


class ServiceKwargsMixin:
    """A form whose fields are named as its service's arguments."""

    cleaned_data: dict[str, Any]

    def service_kwargs(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class ReviewForm(ServiceKwargsMixin, forms.Form):
    recommendation = forms.ChoiceField(
        label=_("Your answer"), choices=Review.Recommendation.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment for the secretariat"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Not shown to the applicant."),
    )


class DecisionForm(ServiceKwargsMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision"), choices=Decision.Outcome.choices, widget=forms.RadioSelect
    )
    message = forms.CharField(
        label=_("Message to the applicant"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required to reject or to ask for more information."),
    )
    funding_granted = forms.DecimalField(
        label=_("Funding granted (EUR)"),
        required=False,
        min_value=0,
        max_digits=8,
        decimal_places=2,
        help_text=_("Leave empty to grant the amount computed from the call's rules."),
    )


class MessageForm(ServiceKwargsMixin, forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Read by the applicant, the host team and the secretariat."),
        error_messages={"required": MESSAGE_EMPTY},
    )


class WithdrawForm(ServiceKwargsMixin, forms.Form):
    comment = forms.CharField(
        label=_("Why (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class ReportForm(forms.ModelForm):
    attachments = MultipleFileField(
        label=_("Photos, slides or documents (optional)"),
        required=False,
        help_text=_("PDF, images or office documents; up to 10 MB each; at most 5."),
    )

    class Meta:
        model = VisitReport
        fields = ["what_happened", "results", "contacts", "follow_up", "satisfaction"]
        widgets = {
            "what_happened": forms.Textarea(attrs={"rows": 4}),
            "results": forms.Textarea(attrs={"rows": 3}),
            "contacts": forms.Textarea(attrs={"rows": 3}),
            "follow_up": forms.Textarea(attrs={"rows": 3}),
            "satisfaction": forms.RadioSelect(choices=[(n, str(n)) for n in range(1, 6)]),
        }

    def service_kwargs(self) -> dict[str, Any]:
        """``report_submit``'s arguments: the report's fields and its files."""
        data = {k: v for k, v in self.cleaned_data.items() if k != "attachments"}
        return {"data": data, "files": self.cleaned_data["attachments"]}


class CallFilterForm(forms.Form):
    """The secretariat's decision queue, for one call or all."""

    call = forms.ModelChoiceField(
        label=_("Call"),
        # The options need the titles only (a call's 27 eligible countries cost more).
        queryset=Call.objects.only("title", "opens_at").order_by("-opens_at"),
        required=False,
        empty_label=_("All calls"),
    )
