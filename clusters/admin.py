from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django_countries.filters import CountryFilter
from import_export.admin import ImportExportModelAdmin

from accounts.admin import UserAdmin
from accounts.models import User
from core.admin_actions import ServiceActionsMixin
from core.admin_columns import country_column
from core.csv import SafeCSV

from .forms import RejectJoinRequestForm
from .models import (
    Cluster,
    ClusterLabel,
    ClusterMembership,
    Ecosystem,
    JoinRequest,
    Organisation,
)
from .resources import ClusterResource
from .services import (
    LABEL_YEAR_IN_FUTURE,
    check_certificate,
    cluster_label_confirm,
    cluster_label_record,
    cluster_label_remove,
    join_request_approve,
    join_request_reject,
)


class MembershipInline(admin.TabularInline):
    model = ClusterMembership
    extra = 0
    autocomplete_fields = ["user", "cluster"]


# A person's team memberships show on their page in the admin: clusters adds the inline
# to the accounts' user admin (accounts knows no clusters).
admin.site.unregister(User)


@admin.register(User)
class UserWithMembershipsAdmin(UserAdmin):
    inlines = [*UserAdmin.inlines, MembershipInline]


class LabelInline(admin.TabularInline):
    """The labels recorded for the cluster; recorded, confirmed and removed in "Cluster
    labels"."""

    model = ClusterLabel
    extra = 0
    fields = ["level", "year", "confirmed", "certificate", "recorded_by", "recorded_at"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Ecosystem)
class EcosystemAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Cluster)
class ClusterAdmin(ImportExportModelAdmin):
    resource_classes = [ClusterResource]
    export_formats = [SafeCSV]  # formula-safe; XLSX/ODS would run them
    list_display = [
        "name",
        "acronym",
        "city",
        "country_shown",
        "label",
        "members_total",
        "team_size",
        "status",
    ]
    country_shown = country_column()
    list_filter = ["status", ("country", CountryFilter), "label", "ecosystems", "legal_form"]
    search_fields = ["name", "acronym", "city", "description"]
    ordering = ["name", "pk"]  # the autocompletes' results page by name, in a stable order
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["ecosystems"]
    # The label is recorded in "Cluster labels" (through a service), never typed here.
    readonly_fields = ["label", "label_year", "members_total", "created", "updated"]
    inlines = [LabelInline, MembershipInline]
    fieldsets = (
        (None, {"fields": ("name", "acronym", "slug", "status", "logo")}),
        (_("Where"), {"fields": ("country", "region", "city", "website", "contact_email")}),
        (
            _("Profile"),
            {
                "fields": (
                    "description",
                    "ecosystems",
                    "year_founded",
                    "legal_form",
                    "label",
                    "label_year",
                    "offers",
                    "needs",
                )
            },
        ),
        (_("Members"), {"fields": (*Cluster.MEMBER_COUNT_FIELDS, "members_total")}),
        (_("Dates"), {"fields": ("created", "updated")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(team_count=Count("memberships"))

    @admin.display(description=_("team"), ordering="team_count")
    def team_size(self, obj):
        return obj.team_count


@admin.register(ClusterMembership)
class ClusterMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "cluster", "role", "created"]
    list_filter = ["role"]
    search_fields = ["user__email", "user__name", "cluster__name"]
    list_select_related = ["user", "cluster"]
    autocomplete_fields = ["user", "cluster"]


class OrganisationAdminForm(forms.ModelForm):
    """The clusters an organisation is a member of (reverse ``clusters`` of
    Cluster.member_organisations) as the admin's typed search, not a list of them all. A
    reverse relation has no autocomplete of its own: the search is a membership's cluster's
    (the same clusters, unfiltered, checked against the permission to view clusters)."""

    clusters = forms.ModelMultipleChoiceField(
        queryset=Cluster.objects.order_by("name"),
        required=False,
        label=_("member of clusters"),
        widget=AutocompleteSelectMultiple(ClusterMembership._meta.get_field("cluster"), admin.site),
    )

    class Meta:
        model = Organisation
        fields = ["name", "country", "kind", "size"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["clusters"].initial = self.instance.clusters.all()


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    form = OrganisationAdminForm
    list_display = ["name", "kind", "size", "country_shown", "people_count"]
    country_shown = country_column()
    list_filter = ["kind", "size", ("country", CountryFilter)]
    search_fields = ["name"]
    readonly_fields = ["created_by", "created"]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.instance.clusters.set(form.cleaned_data["clusters"])

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(people_count=Count("people"))

    @admin.display(description=_("people"), ordering="people_count")
    def people_count(self, obj):
        return obj.people_count


@admin.register(JoinRequest)
class JoinRequestAdmin(admin.ModelAdmin):
    list_display = ["name", "country_shown", "city", "requester", "status", "created", "decided_at"]
    country_shown = country_column()
    list_filter = ["status", ("country", CountryFilter), "ecosystems"]
    search_fields = ["name", "acronym", "requester__email", "motivation"]
    list_select_related = ["requester"]
    date_hierarchy = "created"
    actions = ["approve", "reject"]
    readonly_fields = [
        "requester",
        "status",
        "decided_by",
        "decided_at",
        "rejection_reason",
        "cluster",
        "created",
    ]
    filter_horizontal = ["ecosystems"]
    # Approve and Reject on the request's own page, through the same services as the
    # list's actions and the site's queue (/clusters/join-requests/).
    change_form_template = "admin/clusters/joinrequest/change_form.html"

    def has_add_permission(self, request):
        return False

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/approve/",
                view(require_POST(self.approve_one)),
                name="clusters_joinrequest_approve",
            ),
            path(
                "<int:pk>/reject/",
                view(require_POST(self.reject_one)),
                name="clusters_joinrequest_reject",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        join_request = self.get_object(request, object_id)
        extra_context = {
            **(extra_context or {}),
            "decidable": join_request is not None
            and join_request.status == JoinRequest.Status.SUBMITTED
            and join_request.requester_id != request.user.pk,
            "reject_form": RejectJoinRequestForm(),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def _decide_one(self, request, pk, decide, done):
        join_request = get_object_or_404(JoinRequest, pk=pk)
        if not self.has_change_permission(request, join_request):
            raise PermissionDenied
        try:
            decide(join_request)
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
        else:
            self.message_user(request, done, messages.SUCCESS)
        return redirect(reverse("admin:clusters_joinrequest_change", args=[pk]))

    def approve_one(self, request, pk):
        return self._decide_one(
            request,
            pk,
            lambda jr: join_request_approve(join_request=jr, actor=request.user),
            _("Join request approved; its cluster is in the directory."),
        )

    def reject_one(self, request, pk):
        form = RejectJoinRequestForm(request.POST)
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        return self._decide_one(
            request,
            pk,
            lambda jr: join_request_reject(join_request=jr, actor=request.user, reason=reason),
            _("Join request rejected; the requester is told why."),
        )

    @admin.action(description=_("Approve the selected join requests"))
    def approve(self, request, queryset):
        approved = 0
        for join_request in queryset:
            try:
                join_request_approve(join_request=join_request, actor=request.user)
            except ValidationError as exc:
                self.message_user(
                    request, f"{join_request}: {' '.join(exc.messages)}", messages.ERROR
                )
            else:
                approved += 1
        if approved:
            self.message_user(
                request,
                ngettext(
                    "%d join request approved; its cluster is in the directory.",
                    "%d join requests approved; their clusters are in the directory.",
                    approved,
                )
                % approved,
                messages.SUCCESS,
            )

    @admin.action(description=_("Reject the selected join requests…"))
    def reject(self, request, queryset):
        form = RejectJoinRequestForm(request.POST if "reason" in request.POST else None)
        if form.is_bound and form.is_valid():
            rejected = 0
            for join_request in queryset:
                try:
                    join_request_reject(
                        join_request=join_request,
                        actor=request.user,
                        reason=form.cleaned_data["reason"],
                    )
                except ValidationError as exc:
                    self.message_user(
                        request, f"{join_request}: {' '.join(exc.messages)}", messages.ERROR
                    )
                else:
                    rejected += 1
            if rejected:
                self.message_user(
                    request,
                    ngettext("%d join request rejected.", "%d join requests rejected.", rejected)
                    % rejected,
                    messages.SUCCESS,
                )
            return None
        return render(
            request,
            "admin/clusters/joinrequest/reject.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Reject join requests"),
                "form": form,
                "queryset": queryset,
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )


class ClusterLabelForm(forms.ModelForm):
    class Meta:
        model = ClusterLabel
        fields = ["cluster", "level", "year", "certificate"]

    def clean_year(self):
        year = self.cleaned_data.get("year")
        if year and year > timezone.localdate().year:
            raise ValidationError(LABEL_YEAR_IN_FUTURE)
        return year

    def clean_certificate(self):
        certificate = self.cleaned_data.get("certificate")
        if certificate:
            check_certificate(certificate)
        return certificate


@admin.register(ClusterLabel)
class ClusterLabelAdmin(ServiceActionsMixin, admin.ModelAdmin):
    """Labels are facts the secretariat records: added, confirmed (one carried over from a
    self-declared profile) and removed through the services (each recorded as an
    AuditEvent), never edited in place."""

    form = ClusterLabelForm
    list_display = ["cluster", "level", "year", "confirmed", "recorded_by", "recorded_at"]
    list_filter = ["confirmed", "level", "year"]
    search_fields = ["cluster__name"]
    list_select_related = ["cluster", "recorded_by"]
    # A lookup by id, not an autocomplete: Django renders a required autocomplete as a
    # <select required> with no option, which is invalid HTML (the page sweep checks it).
    raw_id_fields = ["cluster"]

    actions = ["confirm"]

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Confirm the selected labels (carried over from the profiles)"))
    def confirm(self, request, queryset):
        self.run_service(
            request,
            queryset,
            lambda label, actor: cluster_label_confirm(label=label, actor=actor),
            lambda n: ngettext("%d label confirmed.", "%d labels confirmed.", n) % n,
        )

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        label = cluster_label_record(
            cluster=data["cluster"],
            actor=request.user,
            level=data["level"],
            year=data["year"],
            certificate=data.get("certificate"),
        )
        obj.pk = label.pk

    def delete_model(self, request, obj):
        cluster_label_remove(label=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for label in queryset:
            cluster_label_remove(label=label, actor=request.user)
