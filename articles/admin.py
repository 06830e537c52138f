from django.contrib import admin
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Article,
    Assignment,
    Claim,
    ImportItem,
    ImportJob,
    NewsroomSettings,
    Review,
    Source,
    Verdict,
)
from .models.article import COUNT_FIELDS


class HistoryAdmin(SimpleHistoryAdmin):
    """The admin with its history for reading: reverting a record to an old version would
    bypass the claim lifecycle (statuses, open assignments and the stored counts move
    together), so the revert form only shows it (SIMPLE_HISTORY_REVERT_DISABLED hides the
    button; this refuses the POST as well)."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied("Reverting from the history is disabled: use the app's actions.")
        return super().history_form_view(request, object_id, version_id, extra_context)


@admin.register(NewsroomSettings)
class NewsroomSettingsAdmin(HistoryAdmin):
    list_display = ("name", "base_url", "claim_threshold", "two_person_rule")


@admin.register(Article)
class ArticleAdmin(HistoryAdmin):
    list_display = ("title", "site_name", "created_by", "created_at", "is_superseded")
    search_fields = ("title", "source_url", "canonical_url")
    list_select_related = ("created_by",)
    raw_id_fields = ("created_by", "supersedes")
    readonly_fields = (*COUNT_FIELDS, "progress")  # recounted with every claim change


@admin.register(ImportJob)
class ImportJobAdmin(HistoryAdmin):
    list_display = ("id", "source", "label", "status", "created_by", "created_at")
    list_filter = ("status", "source")
    list_select_related = ("created_by",)
    raw_id_fields = ("created_by",)


@admin.register(ImportItem)
class ImportItemAdmin(HistoryAdmin):
    list_display = ("id", "job", "kind", "label", "status", "attempts")
    list_filter = ("status", "kind")
    raw_id_fields = ("job", "article")


@admin.register(Claim)
class ClaimAdmin(HistoryAdmin):
    """Read and correct claims; their status moves only through the app's lifecycle, which keeps
    assignments, the article's stored counts and the desk's figures in step (see LIFECYCLE)."""

    list_display = ("id", "article", "status", "start", "text")
    readonly_fields = ("status", "status_reason")
    list_filter = ("status",)
    list_select_related = ("article",)
    raw_id_fields = ("article",)
    search_fields = ("text",)


@admin.register(Assignment)
class AssignmentAdmin(HistoryAdmin):
    """Opening, closing and moving assignments belongs to the lifecycle, as for claims."""

    list_display = ("claim", "reviewer", "assigned_by", "opened_at", "closed_at", "close_reason")
    readonly_fields = ("claim", "reviewer", "opened_at", "closed_at", "close_reason")
    list_select_related = ("claim", "reviewer", "assigned_by")
    raw_id_fields = ("claim", "reviewer", "assigned_by")


@admin.register(Verdict)
class VerdictAdmin(HistoryAdmin):
    list_display = ("name", "rating_value", "no_evidence_needed", "archived")


class SourceInline(admin.TabularInline):
    model = Source
    extra = 0


@admin.register(Review)
class ReviewAdmin(HistoryAdmin):
    list_display = ("assignment", "verdict", "confidence", "state", "submitted_at")
    list_select_related = ("assignment__reviewer", "verdict")
    raw_id_fields = ("assignment",)
    inlines = [SourceInline]


@admin.register(Source)
class SourceAdmin(HistoryAdmin):
    list_display = ("url", "title", "review")
    raw_id_fields = ("review",)
