from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .models import Cluster, ClusterMembership, ClusterProfile, Ecosystem, JoinRequest
from .services.contact import CONTACT_MESSAGE_MAX

YEAR_IN_FUTURE = _("The year cannot be in the future.")
LOGO_TOO_LARGE = _("The logo must be smaller than 1 MB.")

PROFILE_FIELDS = [
    "name",
    "acronym",
    "country",
    "region",
    "city",
    "website",
    "contact_email",
    "description",
    "ecosystems",
    "year_founded",
    "legal_form",
    "members_smes",
    "members_large",
    "members_research",
    "members_public",
    "members_other",
    "offers",
    "needs",
]


class EcosystemsField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Ecosystem.objects.all())
        kwargs.setdefault("label", _("Ecosystems"))
        kwargs.setdefault("error_messages", {"required": _("Choose at least one ecosystem.")})
        super().__init__(**kwargs)


class ClusterProfileFormMixin:
    """Shared validation, and the fields grouped into sections for the template."""

    fieldsets: tuple[tuple[str, tuple[str, ...]], ...] = (
        (_("The cluster"), ("name", "acronym", "description", "ecosystems", "logo")),
        (_("Where and how to reach it"), ("country", "region", "city", "website", "contact_email")),
        (_("Organisation"), ("year_founded", "legal_form")),
        (_("Members by type"), ClusterProfile.MEMBER_COUNT_FIELDS),
        (_("Offers and needs"), ("offers", "needs")),
        (_("Your request"), ("motivation",)),
    )

    def iter_fieldsets(self):
        for legend, names in self.fieldsets:
            fields = [self[name] for name in names if name in self.fields]
            if fields:
                yield legend, fields

    def clean_year_founded(self):
        year = self.cleaned_data.get("year_founded")
        if year and year > timezone.localdate().year:
            raise forms.ValidationError(YEAR_IN_FUTURE)
        return year


class ClusterForm(ClusterProfileFormMixin, forms.ModelForm):
    ecosystems = EcosystemsField()

    class Meta:
        model = Cluster
        # The management label is not here: the secretariat records it (ClusterLabel).
        fields = [*PROFILE_FIELDS, "logo"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "offers": forms.Textarea(attrs={"rows": 4}),
            "needs": forms.Textarea(attrs={"rows": 4}),
        }

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo and hasattr(logo, "size") and logo.size > 1_048_576:
            raise forms.ValidationError(LOGO_TOO_LARGE)
        return logo


class MembershipAddForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address of the person"),
        help_text=_("Someone without an account yet gets an invitation by e-mail."),
    )
    # Staff by default: making someone a manager (who may change the team) is a choice.
    role = forms.ChoiceField(
        label=_("Role"), choices=ClusterMembership.Role.choices, initial="staff"
    )


class MemberRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the cluster's managers (optional)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        required=False,
    )


class MemberRequestDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept as a member")), ("decline", _("Decline"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason, if you decline (the requester reads it)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )


class JoinRequestForm(ClusterProfileFormMixin, forms.ModelForm):
    ecosystems = EcosystemsField()

    class Meta:
        model = JoinRequest
        fields = [*PROFILE_FIELDS, "motivation"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "offers": forms.Textarea(attrs={"rows": 4}),
            "needs": forms.Textarea(attrs={"rows": 4}),
            "motivation": forms.Textarea(attrs={"rows": 5}),
        }


class RejectJoinRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the rejection"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("The requester reads this."),
    )


class ContactForm(forms.Form):
    """A message to a cluster's managers (clusters.services.contact)."""

    message = forms.CharField(
        label=_("Your message"),
        max_length=CONTACT_MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=format_lazy(
            _(
                "Up to {max} characters. The managers receive it with your name, organisation "
                "and e-mail address, and answer you by e-mail."
            ),
            max=CONTACT_MESSAGE_MAX,
        ),
    )
