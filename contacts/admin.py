from django.contrib import admin

from contacts.models import Contact, ContactImport, Employment, Fact, Organization
from core.admin import ReadOnlyAdmin


@admin.register(Organization)
class OrganizationAdmin(ReadOnlyAdmin):
    list_display = ("name", "kind", "domain", "industry", "created_at")
    list_filter = ("kind",)
    search_fields = ("name", "domain")
    exclude = ("search_vector",)


@admin.register(Contact)
class ContactAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "title", "organization", "created_at")
    list_select_related = ("organization",)
    search_fields = ("first_name", "last_name", "title")
    raw_id_fields = ("organization",)
    exclude = ("search_vector",)


@admin.register(Employment)
class EmploymentAdmin(ReadOnlyAdmin):
    list_display = ("contact", "title", "organization_name", "started_on", "ended_on")
    list_select_related = ("contact",)
    raw_id_fields = ("contact", "organization")


@admin.register(Fact)
class FactAdmin(ReadOnlyAdmin):
    list_display = ("contact", "category", "text", "learned_on", "pinned")
    list_filter = ("category", "pinned")
    list_select_related = ("contact",)
    raw_id_fields = ("contact",)


@admin.register(ContactImport)
class ContactImportAdmin(ReadOnlyAdmin):
    list_display = ("file_name", "status", "created_by", "created_at")
    list_filter = ("status",)
    list_select_related = ("created_by",)
    exclude = ("content",)
