from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from import_export.admin import ImportExportModelAdmin

from core.csv import SafeCSV

from .forms import ActionForm
from .models import (
    Action,
    ActionFollow,
    CalendarFeed,
    Indicator,
    IndicatorValue,
    Milestone,
    Objective,
    ProgressUpdate,
    Strategy,
)
from .resources import ActionResource
from .services import ACTION_FIELDS, STALE_EDIT, action_create, action_edit


class ObjectiveInline(admin.TabularInline):
    model = Objective
    extra = 0
    fields = ["order", "title", "theme"]


@admin.register(Strategy)
class StrategyAdmin(admin.ModelAdmin):
    list_display = ["title", "start_year", "end_year", "status"]
    list_filter = ["status"]
    inlines = [ObjectiveInline]


@admin.register(Objective)
class ObjectiveAdmin(admin.ModelAdmin):
    list_display = ["title", "strategy", "theme", "order"]
    list_filter = ["strategy", "theme"]
    search_fields = ["title"]


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0
    fk_name = "action"
    fields = ["name", "unit", "baseline", "target", "current"]
    readonly_fields = ["current"]  # changes through progress updates, with their history


class ActionAdminForm(forms.ModelForm):
    # Not named "version": the admin lists the form's fields for the model form, and a
    # non-editable model field of that name there raises FieldError.
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Action
        fields = ActionForm.Meta.fields  # progress moves only through updates and roll-up

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["expected_version"].initial = self.instance.version

    def clean(self):
        data = super().clean()
        if self.instance.pk and data.get("expected_version") != self.instance.version:
            raise forms.ValidationError(STALE_EDIT)
        return data


@admin.register(Action)
class ActionAdmin(ImportExportModelAdmin):
    """Saves go through the same services as the site (recorded, optimistic locking)."""

    form = ActionAdminForm
    resource_classes = [ActionResource]
    export_formats = [SafeCSV]  # formula-safe; XLSX/ODS would run them
    list_display = ["title", "objective", "lead_cluster", "owner", "due_date", "status", "progress"]
    list_filter = ["status", "objective__strategy", "objective__theme"]
    search_fields = ["title", "description", "lead_cluster__name"]
    list_select_related = ["objective", "lead_cluster", "owner"]
    # Typed searches, not lists: the network has thousands of clusters, people and actions.
    autocomplete_fields = ["lead_cluster", "partners", "owner", "parent"]
    date_hierarchy = "due_date"
    readonly_fields = ["created", "updated"]
    inlines = [MilestoneInline, IndicatorInline]

    def save_model(self, request, obj, form, change):
        data = {k: v for k, v in form.cleaned_data.items() if k in ACTION_FIELDS}
        try:
            if change:
                saved = action_edit(
                    action=Action.objects.get(pk=obj.pk),
                    actor=request.user,
                    expected_version=form.cleaned_data.get("expected_version") or 0,
                    data=data,
                )
            else:
                saved = action_create(actor=request.user, data=data)
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
            raise
        obj.pk, obj.version = saved.pk, saved.version


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(admin.ModelAdmin):
    list_display = ["action", "author", "created", "progress", "status"]
    list_select_related = ["action", "author"]
    search_fields = ["action__title", "text"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(IndicatorValue)
class IndicatorValueAdmin(admin.ModelAdmin):
    list_display = ["indicator", "value", "recorded_by", "recorded_at"]
    list_select_related = ["indicator", "recorded_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ActionFollow)
class ActionFollowAdmin(admin.ModelAdmin):
    list_display = ["action", "user"]
    list_select_related = ["action", "user"]
    autocomplete_fields = ["action", "user"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    """Who has a private calendar address, read only: only a hash of each token is kept,
    and only its owner resets it (on the plan page, through the service)."""

    list_display = ["user", "issued", "created"]
    fields = ["user", "issued", "created"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["name", "action", "objective", "current", "target"]
    list_select_related = ["action", "objective"]
    autocomplete_fields = ["action", "objective"]
