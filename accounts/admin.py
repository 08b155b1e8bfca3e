from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from django_countries.filters import CountryFilter

from core.admin_columns import country_column

from .models import Organisation, User


@admin.register(Organisation)
class OrganisationSearchAdmin(admin.ModelAdmin):
    """The search behind the user's organisation field (autocomplete). The secretariat
    curates organisations under Clusters (clusters.admin), so this one stays off the index."""

    search_fields = ["name"]
    autocomplete_fields = ["created_by"]

    def get_model_perms(self, request):
        return {}


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "name", "country_shown", "organisation", "is_staff", "is_active"]
    country_shown = country_column()
    list_filter = ["is_staff", "is_active", ("country", CountryFilter)]
    search_fields = ["email", "name", "organisation__name"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Profile"), {"fields": ("name", "country", "organisation")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "name", "password1", "password2")}),
    )
