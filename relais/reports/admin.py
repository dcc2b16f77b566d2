from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from relais.reports.models import Acknowledgement, Report, ReportTemplate


class AcknowledgementInline(admin.TabularInline):
    model = Acknowledgement
    fields = ["by", "organisation", "at", "comment"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Report)
class ReportAdmin(SimpleHistoryAdmin):
    list_display = ["title", "plan", "kind", "period_start", "period_end", "status", "submitted_at"]
    list_filter = ["kind", "status", "language", "plan__country"]
    search_fields = ["title", "plan__title", "summary"]
    list_select_related = ["plan"]
    raw_id_fields = ["plan", "created_by", "submitted_by"]
    filter_horizontal = ["addressees"]
    date_hierarchy = "period_end"
    # The figures and their checksum are what was sent: never changed by hand.
    readonly_fields = ["figures", "checksum", "submitted_by", "submitted_at"]
    inlines = [AcknowledgementInline]


@admin.register(Acknowledgement)
class AcknowledgementAdmin(admin.ModelAdmin):
    list_display = ["report", "by", "organisation", "at"]
    list_select_related = ["report", "by", "organisation"]
    raw_id_fields = ["report", "by", "organisation"]
    date_hierarchy = "at"


@admin.register(ReportTemplate)
class ReportTemplateAdmin(SimpleHistoryAdmin):
    list_display = ["country", "uploaded_by", "uploaded_at"]
    raw_id_fields = ["country", "uploaded_by"]
