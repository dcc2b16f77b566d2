from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from relais.workshops.models import Merge, Participant, Participation, PersonalDataExport


@admin.register(Participant)
class ParticipantAdmin(SimpleHistoryAdmin):
    list_display = ["full_name", "sex", "organisation", "function", "country", "merged_into"]
    list_filter = ["sex", "organisation_kind", "country"]
    search_fields = ["full_name", "name_key", "organisation", "phone", "email"]
    list_select_related = ["country", "merged_into"]
    raw_id_fields = ["merged_into"]


@admin.register(Participation)
class ParticipationAdmin(SimpleHistoryAdmin):
    list_display = ["participant", "event", "pre_score", "post_score"]
    list_filter = ["event__country"]
    search_fields = ["participant__full_name", "event__title"]
    list_select_related = ["participant", "event"]
    raw_id_fields = ["participant", "event"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """A record of what was done: shown, never changed by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Merge)
class MergeAdmin(ReadOnlyAdmin):
    list_display = ["merged", "kept", "by", "at", "undone_at"]
    search_fields = ["kept__full_name", "merged__full_name"]
    list_select_related = ["kept", "merged", "by"]
    date_hierarchy = "at"


@admin.register(PersonalDataExport)
class PersonalDataExportAdmin(ReadOnlyAdmin):
    list_display = ["what", "country", "rows", "by", "at"]
    list_filter = ["country"]
    search_fields = ["what", "by__email", "by__full_name"]
    list_select_related = ["country", "by"]
    date_hierarchy = "at"
