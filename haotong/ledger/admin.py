"""Back office views of the ledger: read-only, because every change to a
project or enterprise must go through the audited services (the web pages,
the import and the API)."""

from django.contrib import admin

from haotong.ledger.models import Enterprise, Groundbreaking, InvestmentReport, Project, StageEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Enterprise)
class EnterpriseAdmin(ReadOnlyAdmin):
    list_display = ("name", "credit_code", "industry_code", "town", "synthetic")
    list_filter = ("synthetic", "size_class")
    search_fields = ("name", "credit_code")


class StageEventInline(admin.TabularInline):
    model = StageEvent
    extra = 0
    can_delete = False
    fields = ("date", "stage", "date_precision", "source", "source_detail", "recorded_by")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Project)
class ProjectAdmin(ReadOnlyAdmin):
    list_display = ("name", "town", "investment_yuan", "stage", "stage_date", "synthetic")
    list_filter = ("stage", "synthetic", "tag_major_attraction", "tag_tech", "tag_talent")
    search_fields = ("name", "aliases")
    inlines = [StageEventInline]


@admin.register(InvestmentReport)
class InvestmentReportAdmin(ReadOnlyAdmin):
    list_display = ("project", "month", "completed_yuan", "source")


@admin.register(Groundbreaking)
class GroundbreakingAdmin(ReadOnlyAdmin):
    list_display = ("date", "name", "reported_count", "reported_total_yuan")
