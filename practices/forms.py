from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusters.forms import EcosystemsField
from clusters.models import Cluster

from .models import Practice
from .services import parse_tags

MARKDOWN_HELP = _("Markdown: **bold**, *italic*, lists with -, links as [text](https://…).")
END_BEFORE_START = _("The end year cannot be before the start year.")
YEAR_IN_FUTURE = _("The year cannot be in the future.")


class PracticeForm(forms.ModelForm):
    cluster = forms.ModelChoiceField(
        label=_("Submitting cluster"), queryset=Cluster.objects.none(), empty_label=None
    )
    ecosystems = EcosystemsField()
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=500,
        help_text=_("Up to 10, separated by commas: e.g. living lab, open data, procurement."),
    )

    fieldsets = (
        (_("The practice"), ("cluster", "title", "category", "ecosystems", "summary", "tags")),
        (_("What it is"), ("problem", "description", "resources")),
        (
            _("How it went"),
            ("evidence", "difficulties", "transfer_potential", "start_year", "end_year"),
        ),
    )

    class Meta:
        model = Practice
        fields = [
            "title",
            "category",
            "summary",
            "problem",
            "description",
            "resources",
            "evidence",
            "difficulties",
            "transfer_potential",
            "start_year",
            "end_year",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            **{
                f: forms.Textarea(attrs={"rows": 6})
                for f in (
                    "problem",
                    "description",
                    "resources",
                    "evidence",
                    "difficulties",
                    "transfer_potential",
                )
            },
        }
        help_texts = dict.fromkeys(
            (
                "problem",
                "description",
                "resources",
                "evidence",
                "difficulties",
                "transfer_potential",
            ),
            MARKDOWN_HELP,
        )

    def __init__(self, *args, clusters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cluster"].queryset = clusters
        if self.instance.pk:
            # The cluster of an existing practice does not change.
            del self.fields["cluster"]
            self.initial["tags"] = ", ".join(t.name for t in self.instance.tags.all())
            self.initial["ecosystems"] = list(self.instance.ecosystems.all())

    def iter_fieldsets(self):
        for legend, names in self.fieldsets:
            fields = [self[n] for n in names if n in self.fields]
            if fields:
                yield legend, fields

    def clean_tags(self):
        return parse_tags(self.cleaned_data.get("tags", ""))

    def clean(self):
        data = super().clean()
        start, end = data.get("start_year"), data.get("end_year")
        this_year = timezone.localdate().year
        if start and start > this_year:
            self.add_error("start_year", YEAR_IN_FUTURE)
        if start and end and end < start:
            self.add_error("end_year", END_BEFORE_START)
        return data


# The edit form's id: the Attachments box's file input and buttons belong to that form
# (HTML's form="..."), so a file is sent together with the text typed so far.
PRACTICE_FORM_ID = "practice-form"
FILE_MISSING = _("Choose a file to attach.")


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("Add a file"),
        help_text=_("PDF, image or office document; up to 10 MB; at most 5 per practice."),
        required=False,
        widget=forms.FileInput(attrs={"form": PRACTICE_FORM_ID}),
    )

    def __init__(self, *args, attaching: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.attaching = attaching

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if self.attaching and not uploaded:
            raise forms.ValidationError(FILE_MISSING)
        return uploaded or None


class ModerationForm(forms.Form):
    DECISIONS = [
        ("publish", _("Publish")),
        ("request_changes", _("Ask for changes")),
        ("reject", _("Reject")),
    ]
    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Comment to the authors"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when you ask for changes or reject."),
    )


class InterestForm(forms.Form):
    message = forms.CharField(
        label=_("A word to the cluster (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
