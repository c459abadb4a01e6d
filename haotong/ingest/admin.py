"""Back office: read-only, because documents and candidates change only through
the audited services (upload, edit, accept, reject)."""

from django.contrib import admin

from haotong.ingest.models import Candidate, Document


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ("name", "published_on", "encoding", "origin", "uploaded_by", "uploaded_at")
    list_filter = ("origin", "synthetic")
    search_fields = ("name", "sha256")
    exclude = ("text",)


@admin.register(Candidate)
class CandidateAdmin(ReadOnlyAdmin):
    list_display = ("name", "document", "stage", "fact_date", "status", "project", "decided_by")
    list_filter = ("status", "stage")
    search_fields = ("name",)
    raw_id_fields = ("document", "town", "matched_project", "project", "stage_event", "decided_by")
