from django import forms
from django.utils.translation import gettext_lazy as _

from . import registry
from .registry import Channel

CHANNEL_CHOICES = [
    (Channel.IMMEDIATE, _("E-mail me at once")),
    (Channel.DIGEST, _("Daily digest e-mail")),
    (Channel.IN_APP, _("Only in my inbox")),
]
HOUR_CHOICES = [(hour, f"{hour:02d}:00") for hour in range(24)]
CHOOSE_A_CHANNEL = _("Choose how every kind of message should reach you.")


class PreferencesForm(forms.Form):
    """The hour of the daily digest, and one choice per kind of notification that can
    reach the person (``registry.kinds_for``), grouped by area."""

    digest_hour = forms.TypedChoiceField(
        label=_("Send my daily digest at"),
        choices=HOUR_CHOICES,
        coerce=int,
        help_text=_("Site time (Brussels). The digest gathers the kinds set to “Daily digest”."),
    )

    def __init__(
        self,
        *args,
        kinds: list[registry.Kind],
        initial_channels: dict[str, str],
        digest_hour: int,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.fields["digest_hour"].initial = digest_hour
        self.kinds = kinds
        for kind in kinds:
            self.fields[kind.name] = forms.ChoiceField(
                label=kind.label,
                help_text=kind.description,
                choices=CHANNEL_CHOICES,
                initial=initial_channels.get(kind.name, kind.default_channel),
                widget=forms.RadioSelect,
                # Left out of a POST: the choice stays as it is.
                required=False,
            )

    def areas(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The kinds' fields under their areas' headings."""
        return [
            (area, [self[kind.name] for kind in kinds])
            for area, kinds in registry.by_area(self.kinds)
        ]

    def channels(self) -> dict[str, str]:
        """The channel chosen for each kind shown (the current one where none was sent)."""
        return {
            kind.name: self.cleaned_data[kind.name] or self.fields[kind.name].initial
            for kind in self.kinds
        }


class SetAllForm(forms.Form):
    """One channel for every kind shown to the person, in one go."""

    set_all = forms.ChoiceField(
        label=_("Send every kind of message"),
        choices=[("", _("Choose…")), *CHANNEL_CHOICES],
        error_messages={"required": CHOOSE_A_CHANNEL, "invalid_choice": CHOOSE_A_CHANNEL},
    )
