from django.contrib import admin

from .models import Milestone, MonitoringReturn, ReturnEvent


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0
    can_delete = False
    fields = ["position", "name", "status", "comment"]
    readonly_fields = fields


class ReturnEventInline(admin.TabularInline):
    model = ReturnEvent
    extra = 0
    can_delete = False
    fields = ["created_at", "actor", "from_state", "to_state", "reason"]
    readonly_fields = fields


@admin.register(MonitoringReturn)
class MonitoringReturnAdmin(admin.ModelAdmin):
    """Read-only: returns change only through monitoring/returns.py, which keeps the audit trail."""

    list_display = ["award", "period", "due_on", "state", "submitted_at"]
    list_filter = ["state", "award__bid__funding_round"]
    search_fields = ["award__bid__reference", "award__bid__authority__name"]
    list_select_related = ["award__bid__authority"]
    inlines = [MilestoneInline, ReturnEventInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
