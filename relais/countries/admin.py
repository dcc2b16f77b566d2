from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from relais.accounts.models import User
from relais.countries.models import Contact, Country, Invitation, Organisation, Role


class RoleInline(admin.TabularInline):
    model = Role
    extra = 0
    autocomplete_fields = ["country", "organisation"]


@admin.register(Country)
class CountryAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "currency", "national_body"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["national_body"]


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "acronym", "kind", "country"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "acronym"]


@admin.register(Contact)
class ContactAdmin(SimpleHistoryAdmin):
    list_display = ["full_name", "function", "organisation", "country", "is_focal_point"]
    list_filter = ["country", "is_focal_point"]
    search_fields = ["full_name", "email"]
    autocomplete_fields = ["organisation"]


@admin.register(Role)
class RoleAdmin(SimpleHistoryAdmin):
    list_display = ["user", "kind", "country", "organisation"]
    list_filter = ["kind", "country"]
    search_fields = ["user__email", "user__full_name"]
    autocomplete_fields = ["user", "country", "organisation"]


@admin.register(Invitation)
class InvitationAdmin(SimpleHistoryAdmin):
    list_display = ["email", "country", "kind", "created_at", "accepted_at", "revoked_at"]
    list_filter = ["country", "kind"]
    search_fields = ["email"]
    readonly_fields = ["token"]


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, DjangoUserAdmin):
    ordering = ["full_name", "email"]
    list_display = ["email", "full_name", "language", "is_active", "is_superuser"]
    list_filter = ["is_active", "is_superuser", "language"]
    search_fields = ["email", "full_name"]
    inlines = [RoleInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["full_name", "phone", "language"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]})
    ]
