"""Funding rounds in the Django admin (superusers only): to read, with their history.
Rounds and criteria are set up and changed on the service's own pages (bids/views/setup.py),
where the rules that keep a live round safe are; the admin would step round them."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Criterion, FundingRound


class ReadOnly:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CriterionInline(ReadOnly, admin.TabularInline):
    model = Criterion
    fields = ["position", "name", "weight", "guidance"]


@admin.register(FundingRound)
class FundingRoundAdmin(ReadOnly, SimpleHistoryAdmin):
    list_display = ["name", "code", "opens_at", "closes_at", "published_at", "base_award", "max_supplement"]
    inlines = [CriterionInline]
