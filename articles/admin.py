from django.contrib import admin
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


@admin.register(NewsroomSettings)
class NewsroomSettingsAdmin(SimpleHistoryAdmin):
    list_display = ("name", "base_url", "claim_threshold", "two_person_rule")


@admin.register(Article)
class ArticleAdmin(SimpleHistoryAdmin):
    list_display = ("title", "site_name", "created_by", "created_at", "is_superseded")
    search_fields = ("title", "source_url", "canonical_url")
    list_select_related = ("created_by",)
    raw_id_fields = ("created_by", "supersedes")


@admin.register(ImportJob)
class ImportJobAdmin(SimpleHistoryAdmin):
    list_display = ("id", "source", "label", "status", "created_by", "created_at")
    list_filter = ("status", "source")
    list_select_related = ("created_by",)
    raw_id_fields = ("created_by",)


@admin.register(ImportItem)
class ImportItemAdmin(SimpleHistoryAdmin):
    list_display = ("id", "job", "kind", "label", "status", "attempts")
    list_filter = ("status", "kind")
    raw_id_fields = ("job", "article")


@admin.register(Claim)
class ClaimAdmin(SimpleHistoryAdmin):
    list_display = ("id", "article", "status", "start", "text")
    list_filter = ("status",)
    list_select_related = ("article",)
    raw_id_fields = ("article",)
    search_fields = ("text",)


@admin.register(Assignment)
class AssignmentAdmin(SimpleHistoryAdmin):
    list_display = ("claim", "reviewer", "assigned_by", "opened_at", "closed_at", "close_reason")
    list_select_related = ("claim", "reviewer", "assigned_by")
    raw_id_fields = ("claim", "reviewer", "assigned_by")


@admin.register(Verdict)
class VerdictAdmin(SimpleHistoryAdmin):
    list_display = ("name", "rating_value", "no_evidence_needed", "archived")


class SourceInline(admin.TabularInline):
    model = Source
    extra = 0


@admin.register(Review)
class ReviewAdmin(SimpleHistoryAdmin):
    list_display = ("assignment", "verdict", "confidence", "state", "submitted_at")
    list_select_related = ("assignment__reviewer", "verdict")
    raw_id_fields = ("assignment",)
    inlines = [SourceInline]


@admin.register(Source)
class SourceAdmin(SimpleHistoryAdmin):
    list_display = ("url", "title", "review")
    raw_id_fields = ("review",)
