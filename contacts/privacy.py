"""What contacts holds about one person, for a subject-access export and an erasure
(crm.privacy): the contact, their facts and career, and the uploaded imports that mention them.

An erased contact keeps its row and its roles (counts and dashboards stay right) and loses every
free-text field, whatever a later migration adds; their facts keep their category and dates."""

from django.db import models
from django.db.models import Q, QuerySet, TextField
from django.db.models.functions import Cast

from contacts.models import Contact, ContactImport, Employment, Fact
from contacts.search_index import contact_search_refresh
from core.redaction import ERASED, Markers

ERASED_FIRST_NAME = "Erased"
ERASED_LAST_NAME = "person"
# Free-text fields an erasure keeps: what kind of contact it was, not who.
KEPT_FIELDS = frozenset({"roles", "sort_name", "search_vector"})


def subject_rows(contact: Contact) -> dict[str, QuerySet]:
    return {
        "contact": Contact.objects.filter(pk=contact.pk),
        "facts": Fact.objects.filter(contact=contact).order_by("learned_on", "id"),
        "employments": Employment.objects.filter(contact=contact).order_by("started_on", "id"),
    }


def imports_mentioning(markers: Markers) -> QuerySet[ContactImport]:
    """The kept uploads whose file, name or report mentions the person."""
    if not markers:
        return ContactImport.objects.none()
    condition = Q()
    for value in markers.values:
        condition |= (
            Q(content__icontains=value)
            | Q(file_name__icontains=value)
            | Q(result_text__icontains=value)
            | Q(mapping_text__icontains=value)
        )
    return (
        ContactImport.objects.annotate(
            result_text=Cast("result", TextField()), mapping_text=Cast("mapping", TextField())
        )
        .filter(condition)
        .order_by("created_at", "id")
    )


def _erased_values(contact: Contact) -> dict[str, object]:
    """Every free-text field of the contact blank (the names say it was erased)."""
    values: dict[str, object] = {}
    for field in Contact._meta.concrete_fields:
        if field.name in KEPT_FIELDS or field.primary_key or field.choices:
            continue
        if isinstance(field, models.CharField | models.TextField | models.URLField):
            values[field.attname] = ""
        elif field.get_internal_type() == "ArrayField":
            values[field.attname] = []
        elif isinstance(field, models.JSONField):
            values[field.attname] = field.get_default()
    return {
        **values,
        "first_name": ERASED_FIRST_NAME,
        "last_name": ERASED_LAST_NAME,
        "organization_id": None,
        "email_opt_out": True,
        "do_not_contact": True,
    }


def subject_erase(*, contact: Contact, markers: Markers) -> None:
    """Anonymise the contact, their facts and career, and the uploads that mention them, in
    place (querysets: nothing of this goes on the audit trail), and rebuild the search
    document."""
    Contact.objects.filter(pk=contact.pk).update(**_erased_values(contact))
    Fact.objects.filter(contact=contact).update(text=ERASED)
    Employment.objects.filter(contact=contact).update(
        organization_id=None, organization_name="", title=""
    )
    _imports_redact(markers)
    contact_search_refresh([contact.pk])


def _imports_redact(markers: Markers) -> None:
    """The uploads lose the rows (lines) that mention the person, and every other mention in
    their text and JSON fields, whatever a later migration adds."""
    uploads = list(imports_mentioning(markers))
    fields = [
        field
        for field in ContactImport._meta.concrete_fields
        if not field.choices
        and isinstance(field, models.CharField | models.TextField | models.JSONField)
    ]
    for upload in uploads:
        for field in fields:
            value = getattr(upload, field.attname)
            if field.name == "content":
                value = markers.lines_without(value)
            elif isinstance(field, models.JSONField):
                value = markers.redact_json(value)
            else:
                value = markers.redact_text(value)[: field.max_length]
            setattr(upload, field.attname, value)
    ContactImport.objects.bulk_update(uploads, [field.attname for field in fields])
