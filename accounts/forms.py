from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField

from .models import Organisation

ORGANISATION_NEEDS_KIND = _("Say what kind of organisation this is.")
ORGANISATION_NEEDS_COUNTRY = _("Give the country your organisation is based in.")


class SignupForm(forms.Form):
    """Extra fields on allauth's signup form (``ACCOUNT_SIGNUP_FORM_CLASS``)."""

    name = forms.CharField(label=_("Your name"), max_length=150)

    def signup(self, request, user) -> None:
        user.name = self.cleaned_data["name"]
        user.save(update_fields=["name"])


class ProfileForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    country = LazyTypedChoiceField(
        label=_("Country"), choices=[("", "---------"), *countries], required=False
    )
    organisation_name = forms.CharField(
        label=_("Organisation"),
        max_length=200,
        required=False,
        help_text=_(
            "The company or body you work for. If it is already registered in the same "
            "country you are linked to it; leave empty for none."
        ),
    )
    organisation_kind = forms.ChoiceField(
        label=_("Kind of organisation"),
        choices=[("", "---------"), *Organisation.Kind.choices],
        required=False,
    )
    organisation_size = forms.ChoiceField(
        label=_("Size of organisation"),
        choices=[("", "---------"), *Organisation.Size.choices],
        required=False,
    )

    def clean(self):
        data = super().clean()
        if data.get("organisation_name") and not data.get("organisation_kind"):
            self.add_error("organisation_kind", _("Say what kind of organisation this is."))
        if data.get("organisation_name") and not data.get("country"):
            self.add_error("country", ORGANISATION_NEEDS_COUNTRY)
        return data
