from django.contrib import admin

from core.admin import ReadOnlyAdmin
from followups import services
from followups.models import (
    FollowUp,
    JobPolicy,
    Message,
    MessageTemplate,
    Policy,
    Suppression,
    TrackingEvent,
)


@admin.register(FollowUp)
class FollowUpAdmin(ReadOnlyAdmin):
    list_display = ("due_at", "owner", "contact", "kind", "summary", "completed_at")
    list_filter = ("kind", "reason")
    list_select_related = ("owner", "contact")
    raw_id_fields = ("contact", "job", "candidacy", "message")


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = ("send_after", "kind", "recipient", "status", "owner")
    list_filter = ("kind", "status")
    list_select_related = ("owner",)
    search_fields = ("recipient",)
    raw_id_fields = ("contact", "job", "candidacy")


@admin.register(MessageTemplate)
class MessageTemplateAdmin(ReadOnlyAdmin):
    """Edited at /followups/templates/ (live preview, merge fields checked)."""

    list_display = ("kind", "subject", "updated_at")


@admin.register(Policy)
class PolicyAdmin(ReadOnlyAdmin):
    """Edited at /followups/policy/."""

    list_display = ("update_cadence_days", "digest_cadence_days", "chase_client_days")


@admin.register(JobPolicy)
class JobPolicyAdmin(ReadOnlyAdmin):
    list_display = ("job", "update_cadence_days", "digest_cadence_days", "chase_client_days")
    list_select_related = ("job",)


@admin.register(Suppression)
class SuppressionAdmin(admin.ModelAdmin):
    """Addresses no mail goes to (bounces, complaints, unsubscribes). An admin may lift one (a
    bounce that was the mailbox's fault) or add one by hand."""

    list_display = ("email", "reason", "created_at")
    list_filter = ("reason",)
    search_fields = ("email",)
    fields = ("email", "reason")

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        saved = services.suppression_add(email=obj.email, reason=obj.reason)
        obj.pk, obj.email = saved.pk, saved.email


@admin.register(TrackingEvent)
class TrackingEventAdmin(ReadOnlyAdmin):
    list_display = ("occurred_at", "event_type", "recipient", "message")
    list_filter = ("event_type",)
    raw_id_fields = ("message",)
