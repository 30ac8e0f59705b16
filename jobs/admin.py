from django.contrib import admin

from core.admin import ReadOnlyAdmin
from jobs.models import Candidacy, Feedback, FeedbackScore, IntakeItem, Job, StageChange


class IntakeItemInline(admin.TabularInline):
    model = IntakeItem
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Job)
class JobAdmin(ReadOnlyAdmin):
    list_display = ("title", "organization", "owner", "status", "created_at")
    list_filter = ("status", "owner")
    list_select_related = ("organization", "owner")
    search_fields = ("title",)
    raw_id_fields = ("organization", "hiring_manager")
    inlines = [IntakeItemInline]


@admin.register(Candidacy)
class CandidacyAdmin(ReadOnlyAdmin):
    list_display = ("contact", "job", "stage", "outcome", "stage_entered_at", "decided_at")
    list_filter = ("stage", "outcome")
    list_select_related = ("contact", "job")
    raw_id_fields = ("job", "contact", "copied_from")


@admin.register(StageChange)
class StageChangeAdmin(ReadOnlyAdmin):
    list_display = ("at", "candidacy", "from_stage", "to_stage", "outcome", "by")
    list_select_related = ("by",)
    raw_id_fields = ("candidacy", "job")


@admin.register(Feedback)
class FeedbackAdmin(ReadOnlyAdmin):
    list_display = ("at", "candidacy", "interviewer", "recommendation")
    list_select_related = ("interviewer",)
    raw_id_fields = ("candidacy", "interviewer")


@admin.register(FeedbackScore)
class FeedbackScoreAdmin(ReadOnlyAdmin):
    list_display = ("feedback", "criterion", "score")
    raw_id_fields = ("feedback", "criterion")
