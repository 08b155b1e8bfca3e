from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin_actions import ServiceActionsMixin

from .models import Attachment, Practice, PracticeVersion, Tag, TransferInterest
from .services import (
    practice_archive,
    practice_publish,
    practice_reject,
    practice_request_changes,
)


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    fields = ["name", "content_type", "size", "created"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class VersionInline(admin.TabularInline):
    model = PracticeVersion
    extra = 0
    fields = ["number", "created_by", "created"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Practice)
class PracticeAdmin(ServiceActionsMixin, admin.ModelAdmin):
    list_display = ["title", "cluster", "category", "status", "submitted_at", "published_at"]
    list_filter = ["status", "category", "ecosystems"]
    search_fields = ["title", "summary", "cluster__name"]
    list_select_related = ["cluster"]
    date_hierarchy = "created"
    autocomplete_fields = ["cluster", "author"]
    filter_horizontal = ["ecosystems", "tags"]
    # The workflow's fields change only through the services (the actions, the front end):
    # the change page is a read-only view (see has_change_permission).
    readonly_fields = [
        "status",
        "reviewer_feedback",
        "submitted_at",
        "published_at",
        "created",
        "updated",
    ]
    inlines = [AttachmentInline, VersionInline]
    actions = ["publish", "request_changes", "reject", "archive"]

    def has_add_permission(self, request):
        return False  # a practice is written on the site, by its cluster's team

    def has_change_permission(self, request, obj=None):
        """Never edited here: its cluster, author and text are what the team wrote and the
        moderation reviewed; a change in admin would get around four eyes (move it out of
        one's own cluster, then publish it) or rewrite a published practice unreviewed.
        The secretariat moderates with the actions; the team edits on the site."""
        return False

    @admin.action(description=_("Publish the selected submitted practices"))
    def publish(self, request, queryset):
        self.run_service(
            request,
            queryset,
            lambda practice, actor: practice_publish(practice=practice, actor=actor),
            lambda n: ngettext("%d practice published.", "%d practices published.", n) % n,
        )

    def _with_comment(self, request, queryset, *, service, **kwargs):
        """Ask for the comment the authors will read, then run ``service`` on each."""
        return self.ask_comment(
            request,
            queryset,
            run=lambda practice, actor, comment: service(
                practice=practice, actor=actor, comment=comment
            ),
            label=_("Comment to the authors"),
            **kwargs,
        )

    @admin.action(description=_("Ask for changes on the selected submitted practices…"))
    def request_changes(self, request, queryset):
        return self._with_comment(
            request,
            queryset,
            action="request_changes",
            service=practice_request_changes,
            intro=_("The authors read your comment, edit the practice and submit it again."),
            submit_label=_("Ask for changes"),
            done=lambda n: (
                ngettext("Changes asked on %d practice.", "Changes asked on %d practices.", n) % n
            ),
        )

    @admin.action(description=_("Reject the selected submitted practices…"))
    def reject(self, request, queryset):
        return self._with_comment(
            request,
            queryset,
            action="reject",
            service=practice_reject,
            intro=_("The authors read the reason you give."),
            submit_label=_("Reject"),
            done=lambda n: ngettext("%d practice rejected.", "%d practices rejected.", n) % n,
        )

    @admin.action(description=_("Archive the selected published practices"))
    def archive(self, request, queryset):
        self.run_service(
            request,
            queryset,
            lambda practice, actor: practice_archive(practice=practice, actor=actor),
            lambda n: ngettext("%d practice archived.", "%d practices archived.", n) % n,
        )


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(TransferInterest)
class TransferInterestAdmin(admin.ModelAdmin):
    list_display = ["practice", "user", "created"]
    search_fields = ["practice__title", "user__email"]
    list_select_related = ["practice", "user"]
    readonly_fields = ["practice", "user", "message", "created"]

    def has_add_permission(self, request):
        return False
