from django.contrib import admin

from .models import LocalAuthority, ServiceScope


@admin.register(LocalAuthority)
class LocalAuthorityAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "lae_code", "gss_code", "kind", "region"]
    list_filter = ["kind", "region"]
    search_fields = ["name", "short_name", "code"]

    # Reference data: loaded by migration, corrected by migration.
    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ServiceScope)
class ServiceScopeAdmin(admin.ModelAdmin):
    list_display = ["name", "allowed", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}
