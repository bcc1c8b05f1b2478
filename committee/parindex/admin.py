"""Read-only admin of the PAR index: every write goes through the pages and their services,
which validate the tree and the scores and write the audit trail."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from .models import Assessment, Criterion, Evidence, Framework, Score


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class CriterionInline(ReadOnlyInline):
    model = Criterion
    fields = ("code", "name", "max_points", "method", "is_leaf")
    ordering = ("sort_key",)


@admin.register(Framework)
class FrameworkAdmin(ReadOnlyAdmin):
    list_display = ("name", "version", "year_from", "year_to", "level", "status", "created_at")
    list_filter = ("status", "level")
    search_fields = ("name",)
    inlines = [CriterionInline]


class ScoreInline(ReadOnlyInline):
    model = Score
    fields = ("criterion", "self_score", "explanation", "appraised_score", "appraisal_note")
    ordering = ("criterion__sort_key",)


class EvidenceInline(ReadOnlyInline):
    model = Evidence
    fields = ("criterion", "filename", "size", "uploaded_by", "uploaded_at")


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    list_display = ("unit", "year", "framework", "status", "submitted_at", "appraised_at")
    list_filter = ("status", "year", "framework")
    search_fields = ("unit__name", "unit__code")
    list_select_related = ("unit", "framework")
    inlines = [ScoreInline, EvidenceInline]
