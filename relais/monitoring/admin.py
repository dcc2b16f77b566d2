from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from relais.monitoring.models import (
    ActivityUpdate,
    Evidence,
    Expenditure,
    IndicatorValue,
    Milestone,
)


class EvidenceInline(admin.TabularInline):
    model = Evidence
    fields = ["original_name", "kind", "size", "by", "at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True


@admin.register(ActivityUpdate)
class ActivityUpdateAdmin(SimpleHistoryAdmin):
    list_display = ["activity", "status", "percent_done", "on", "by", "at"]
    list_filter = ["status", "activity__objective__plan__country"]
    search_fields = ["activity__title", "narrative", "by__email", "by__full_name"]
    list_select_related = ["activity__objective", "by"]
    raw_id_fields = ["activity", "by"]
    date_hierarchy = "on"
    inlines = [EvidenceInline]


@admin.register(Evidence)
class EvidenceAdmin(SimpleHistoryAdmin):
    list_display = ["original_name", "kind", "size", "update", "expenditure", "milestone", "by"]
    list_filter = ["kind"]
    search_fields = ["original_name", "by__email", "by__full_name"]
    list_select_related = ["update__activity__objective", "expenditure", "milestone", "by"]
    raw_id_fields = ["update", "expenditure", "milestone", "by"]
    date_hierarchy = "at"


@admin.register(Expenditure)
class ExpenditureAdmin(SimpleHistoryAdmin):
    list_display = ["spent_on", "activity", "amount", "currency", "status", "entered_by"]
    list_filter = ["status", "currency", "activity__objective__plan__country"]
    search_fields = ["description", "activity__title"]
    list_select_related = ["activity__objective", "entered_by"]
    raw_id_fields = [
        "activity",
        "contribution",
        "corrects",
        "overrun_confirmed_by",
        "entered_by",
        "validated_by",
    ]
    date_hierarchy = "spent_on"


@admin.register(IndicatorValue)
class IndicatorValueAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "period_start", "period_end", "value", "from_workshops", "by"]
    list_filter = ["from_workshops"]
    search_fields = ["indicator__name", "comment"]
    list_select_related = ["indicator", "by"]
    raw_id_fields = ["indicator", "by"]


@admin.register(Milestone)
class MilestoneAdmin(SimpleHistoryAdmin):
    list_display = ["objective", "step", "reached_on", "by"]
    list_filter = ["step", "objective__plan__country"]
    search_fields = ["description", "objective__statement"]
    list_select_related = ["objective__plan", "by"]
    raw_id_fields = ["objective", "by"]
    date_hierarchy = "reached_on"
