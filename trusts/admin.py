from django.contrib import admin

from .models import AwardEvent, ConsultationActivity, FundingAward, Instalment, ReportExport


class AwardEventInline(admin.TabularInline):
    model = AwardEvent
    extra = 0
    can_delete = False
    fields = ["created_at", "actor", "from_state", "to_state", "title", "reason"]
    readonly_fields = fields


class InstalmentInline(admin.TabularInline):
    """Read-only: instalments move only through trusts/payments.py."""

    model = Instalment
    extra = 0
    can_delete = False
    fields = ["number", "amount", "trigger", "due_on", "state", "paid_on", "payment_reference"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class ConsultationActivityInline(admin.TabularInline):
    model = ConsultationActivity
    extra = 0
    can_delete = False
    fields = ["held_on", "audience", "people_reached", "summary", "evidence_name", "recorded_by"]
    readonly_fields = fields


@admin.register(FundingAward)
class FundingAwardAdmin(admin.ModelAdmin):
    """Read-only: awards change only through trusts/awards.py, which keeps the audit trail."""

    list_display = ["bid", "state", "total", "offered_at"]
    list_filter = ["state", "bid__funding_round"]
    search_fields = ["bid__reference", "bid__authority__name"]
    list_select_related = ["bid__authority"]
    inlines = [InstalmentInline, ConsultationActivityInline, AwardEventInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReportExport)
class ReportExportAdmin(admin.ModelAdmin):
    list_display = ["format", "funding_round", "requested_by", "requested_at", "state", "rows_written"]
    list_filter = ["format", "state"]
    list_select_related = ["funding_round", "requested_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
