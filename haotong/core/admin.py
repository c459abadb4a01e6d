"""Back office. The audit trail is read-only here as everywhere."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from haotong.core.models import AuditEntry, DistrictSetting, OrgUnit, Team, User


@admin.register(User)
class HaotongUserAdmin(UserAdmin):
    list_display = ("username", "first_name", "role", "org_unit", "is_active")
    list_filter = ("role", "is_active")
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        (_("好通"), {"fields": ("role", "org_unit", "enterprise")}),
    )
    raw_id_fields = ("enterprise",)


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "parent", "synthetic")
    list_filter = ("kind", "synthetic")
    search_fields = ("name",)
    readonly_fields = ("path",)

    def has_add_permission(self, request):  # paths are maintained by core.services
        return False


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "org_unit", "staff", "synthetic")
    list_filter = ("kind",)


@admin.register(DistrictSetting)
class DistrictSettingAdmin(admin.ModelAdmin):
    list_display = ("key", "value", "description")


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("at", "actor", "action", "model", "object_repr", "source")
    list_filter = ("source", "model", "action")
    search_fields = ("object_repr", "source_detail")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
