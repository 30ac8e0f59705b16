from django.contrib import admin

from core.admin import ReadOnlyAdmin
from relationships.models import Connection, Handoff, Interaction, Relationship


@admin.register(Relationship)
class RelationshipAdmin(ReadOnlyAdmin):
    list_display = ("contact", "owner", "tier", "last_touch_at", "next_touch_due")
    list_filter = ("tier", "owner")
    list_select_related = ("contact", "owner")
    raw_id_fields = ("contact",)


@admin.register(Interaction)
class InteractionAdmin(ReadOnlyAdmin):
    list_display = ("occurred_at", "contact", "kind", "direction", "summary", "recruiter")
    list_filter = ("kind", "direction")
    list_select_related = ("contact", "recruiter")
    raw_id_fields = ("contact", "organization", "handoff")


@admin.register(Connection)
class ConnectionAdmin(ReadOnlyAdmin):
    list_display = ("from_contact", "kind", "to_contact", "created_at")
    list_filter = ("kind",)
    list_select_related = ("from_contact", "to_contact")
    raw_id_fields = ("from_contact", "to_contact")


@admin.register(Handoff)
class HandoffAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "from_recruiter", "to_recruiter", "scope", "relationship_count")
    list_select_related = ("from_recruiter", "to_recruiter")
