"""Back office views of attraction records: read-only, because every change goes
through the audited services."""

from django.contrib import admin

from haotong.attraction.models import Chain, ChainLink, Lead, LeadConflict
from haotong.ledger.admin import ReadOnlyAdmin


@admin.register(Lead)
class LeadAdmin(ReadOnlyAdmin):
    list_display = ("project_name", "investor_name", "team", "stage", "stage_on", "synthetic")
    list_filter = ("stage", "source", "synthetic")
    search_fields = ("project_name", "investor_name")


@admin.register(LeadConflict)
class LeadConflictAdmin(ReadOnlyAdmin):
    list_display = ("lead_a", "lead_b", "matched_on", "score", "status")
    list_filter = ("status",)


@admin.register(Chain)
class ChainAdmin(ReadOnlyAdmin):
    list_display = ("name", "synthetic")


@admin.register(ChainLink)
class ChainLinkAdmin(ReadOnlyAdmin):
    list_display = ("chain", "position", "name", "synthetic")
