from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import OutboundEmail, User

# Second factors are set up by their owners and reset by administrators through the
# service's own audited pages (accounts/second_factor_pages.py), not edited here.
admin.site.unregister(TOTPDevice)
admin.site.unregister(StaticDevice)


class AuthorityAutocomplete(AutocompleteSelect):
    """Django's autocomplete looks up the posted value to show it again when the form has
    errors; a value that is not an id ("abc", " ") would crash that page, so it is left out."""

    def optgroups(self, name, value, attr=None):
        ids = [v for v in value if str(v).isascii() and str(v).isdigit() and len(str(v)) <= 18]
        return super().optgroups(name, ids, attr)


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

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "local_authority":
            kwargs["widget"] = AuthorityAutocomplete(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.set_unusable_password()
        obj.is_staff = obj.is_superuser  # the Django admin is for superusers alone
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
