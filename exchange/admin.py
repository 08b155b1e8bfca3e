from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin_actions import ServiceActionsMixin

from .models import (
    ApplicantKind,
    Application,
    ApplicationVersion,
    Call,
    CountryCap,
    Decision,
    Offer,
    Review,
    TravelBand,
    VisitReport,
)
from .services import application_decide, application_mark_paid


class CallAdminForm(forms.ModelForm):
    eligible_kinds = forms.MultipleChoiceField(
        label=_("Who may apply"),
        choices=ApplicantKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Call
        fields = [
            "title",
            "series",
            "description",
            "opens_at",
            "closes_at",
            "visits_from",
            "visits_until",
            "eligible_countries",
            "eligible_kinds",
            "open_applications",
            "min_days",
            "max_days",
            "funded_places",
            "daily_allowance",
            "visitor_cap",
        ]


class TravelBandInline(admin.TabularInline):
    model = TravelBand
    extra = 1


class CountryCapInline(admin.TabularInline):
    model = CountryCap
    extra = 1


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    form = CallAdminForm
    list_display = ["title", "series", "opens_at", "closes_at", "funded_places", "status_display"]
    search_fields = ["title", "series"]
    inlines = [TravelBandInline, CountryCapInline]
    fieldsets = [
        (None, {"fields": ["title", "series", "description"]}),
        (_("Dates"), {"fields": ["opens_at", "closes_at", "visits_from", "visits_until"]}),
        (
            _("Who and how long"),
            {
                "fields": [
                    "eligible_countries",
                    "eligible_kinds",
                    "open_applications",
                    "min_days",
                    "max_days",
                ]
            },
        ),
        (_("Funding"), {"fields": ["funded_places", "daily_allowance", "visitor_cap"]}),
    ]

    @admin.display(description=_("status"))
    def status_display(self, obj):
        return obj.get_status_display()


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    list_display = [
        "topic",
        "host",
        "call",
        "available_from",
        "available_until",
        "capacity",
        "is_active",
    ]
    list_filter = ["call", "is_active", "ecosystems"]
    search_fields = ["topic", "host__name"]
    list_select_related = ["host", "call"]
    autocomplete_fields = ["host", "contact"]
    filter_horizontal = ["ecosystems"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


class ReadOnlyInline(admin.StackedInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReviewInline(ReadOnlyInline):
    model = Review


class DecisionInline(ReadOnlyInline):
    model = Decision


class VersionInline(ReadOnlyInline):
    model = ApplicationVersion


class ReportInline(ReadOnlyInline):
    model = VisitReport


@admin.register(Application)
class ApplicationAdmin(ServiceActionsMixin, admin.ModelAdmin):
    """The secretariat's decision queue: filter on “Accepted by the host”, then act."""

    list_display = [
        "reference",
        "applicant",
        "host",
        "call",
        "start_date",
        "end_date",
        "funding_requested",
        "status",
        "submitted_at",
        "paid_at",
    ]
    list_filter = ["status", "call", "applicant_kind"]
    search_fields = ["reference", "applicant__email", "applicant__name", "host__name"]
    list_select_related = ["applicant", "host", "call"]
    date_hierarchy = "submitted_at"
    # The workflow's fields change only through the services (the actions, the site): the
    # change page is a read-only view (see has_change_permission).
    readonly_fields = [
        "reference",
        "call",
        "offer",
        "host",
        "applicant",
        "organisation",
        "status",
        "funding_requested",
        "funding_rule",
        "submitted_at",
        "report_due_at",
        "paid_at",
        "paid_by",
        "created",
        "updated",
    ]
    inlines = [ReviewInline, DecisionInline, VersionInline, ReportInline]
    actions = ["approve", "reject", "ask_more_info", "mark_paid"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        """Never edited here: who applies from where, for which dates and distance, is what
        the host accepted and the funding was computed from; a change in admin would get
        around the host's review and four eyes. The list, the detail and the actions stay."""
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Approve the selected applications (funding as requested)"))
    def approve(self, request, queryset):
        self.run_service(
            request,
            queryset,
            lambda a, actor: application_decide(application=a, actor=actor, outcome="approved"),
            lambda n: ngettext("%d application approved.", "%d applications approved.", n) % n,
        )

    def _with_message(self, request, queryset, *, outcome, **kwargs):
        return self.ask_comment(
            request,
            queryset,
            run=lambda a, actor, message: application_decide(
                application=a, actor=actor, outcome=outcome, message=message
            ),
            label=_("Message to the applicant"),
            **kwargs,
        )

    @admin.action(description=_("Reject the selected applications…"))
    def reject(self, request, queryset):
        return self._with_message(
            request,
            queryset,
            action="reject",
            outcome="rejected",
            intro=_("The applicants read your message with the decision."),
            submit_label=_("Reject"),
            done=lambda n: ngettext("%d application rejected.", "%d applications rejected.", n) % n,
        )

    @admin.action(description=_("Ask the selected applicants for more information…"))
    def ask_more_info(self, request, queryset):
        return self._with_message(
            request,
            queryset,
            action="ask_more_info",
            outcome="more_info",
            intro=_("The applicants read your message, edit their application and resubmit it."),
            submit_label=_("Ask for more information"),
            done=lambda n: (
                ngettext(
                    "More information asked on %d application.",
                    "More information asked on %d applications.",
                    n,
                )
                % n
            ),
        )

    @admin.action(description=_("Mark the grants of the selected completed visits paid"))
    def mark_paid(self, request, queryset):
        self.run_service(
            request,
            queryset,
            lambda a, actor: application_mark_paid(application=a, actor=actor),
            lambda n: ngettext("%d grant marked paid.", "%d grants marked paid.", n) % n,
        )
