from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import OutboundEmail, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "role", "local_authority", "is_active"]
    list_filter = ["role", "is_active", "region"]
    search_fields = ["email", "full_name", "local_authority__name"]
    autocomplete_fields = ["local_authority"]
    fieldsets = [
        (None, {"fields": ["email", "full_name", "job_title", "role", "local_authority", "region"]}),
        ("Status", {"fields": ["is_active", "is_staff", "last_login", "date_joined", "invited_by"]}),
    ]
    add_fieldsets = [(None, {"fields": ["email", "full_name", "role", "local_authority", "region"]})]
    readonly_fields = ["last_login", "date_joined", "invited_by"]
    filter_horizontal = []

    def save_model(self, request, obj, form, change):
        if not change:
            obj.set_unusable_password()
        obj.is_staff = obj.role == "admin"
        super().save_model(request, obj, form, change)


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    list_display = ["subject", "created_at", "sent_at", "attempts"]
    list_filter = ["sent_at"]
    readonly_fields = [f.name for f in OutboundEmail._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
