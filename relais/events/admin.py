from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from relais.events.models import Event


@admin.register(Event)
class EventAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "country", "starts_on", "city"]
    list_filter = ["kind", "country"]
    search_fields = ["title", "venue", "city", "chair"]
    date_hierarchy = "starts_on"
    list_select_related = ["country"]
    autocomplete_fields = ["country", "invited", "present", "participants"]
    raw_id_fields = ["plan"]
