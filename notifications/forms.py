from django import forms
from django.utils.translation import gettext_lazy as _

from . import registry
from .registry import Channel

CHANNEL_CHOICES = [
    (Channel.IMMEDIATE, _("E-mail me at once")),
    (Channel.DIGEST, _("Daily digest e-mail")),
    (Channel.IN_APP, _("Only in my inbox")),
]


class PreferencesForm(forms.Form):
    """One choice per registered kind of notification."""

    def __init__(self, *args, initial_channels: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind in registry.all_kinds():
            self.fields[kind.name] = forms.ChoiceField(
                label=kind.label,
                help_text=kind.description,
                choices=CHANNEL_CHOICES,
                initial=initial_channels.get(kind.name, kind.default_channel),
                widget=forms.RadioSelect,
            )
