"""The contact list with its filters, its CSV export, and the new-contact page."""

import datetime as dt
from html import escape
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.safestring import SafeString
from django.views.decorators.http import require_GET, require_http_methods

from contacts.models import Contact, Organization
from contacts.selectors import organization_get
from contacts.services import CONTACT_DETAILS, organization_get_or_create
from core.exports import csv_response
from core.links import pk_link
from core.paging import keyset_page
from relationships import selectors, services
from relationships.forms.contact import ContactFilterForm, ContactNewForm
from relationships.models import Relationship

# Read at request time so tests can make pages small.
PAGE_SIZE = selectors.CONTACT_PAGE_SIZE
EXPORT_CHUNK_SIZE = 2000
ROLE_LABELS = dict(Contact.Role.choices)
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
EXPORT_COLUMNS = [*CONTACT_DETAILS, "owner", "tier", "last_touch_at", "next_touch_due"]
# One <tr> of the table (templates/relationships/partials/contact_table.html loops over them),
# the markup the template had, byte for byte: its twenty-odd template nodes a row were most of the
# page's time; a format string costs a small fraction of that.
ROW_HTML = (
    "\n      <tr>\n"
    '        <td><a href="{url}">{name}</a>{do_not_contact}</td>\n'
    "        <td>{title}</td>\n"
    "        <td>{organization}</td>\n"
    "        <td>{roles}</td>\n"
    "        <td>{tags}</td>\n"
    "        <td>{owner}</td>\n"
    "        <td>{tier}</td>\n"
    "        <td>{last_touch}</td>\n"
    "        <td>{next_touch_due}{overdue}</td>\n"
    "      </tr>\n      "
)
DO_NOT_CONTACT_BADGE = SafeString(' <span class="badge text-bg-secondary">Do not contact</span>')
OVERDUE_BADGE = SafeString(' <span class="badge text-bg-danger">Overdue</span>')
NOBODY = SafeString('<span class="text-body-secondary">Nobody</span>')
NEVER = SafeString('<span class="text-body-secondary">Never</span>')


# --- the list ------------------------------------------------------------------------------------


@require_GET
def contact_list_page(request: HttpRequest) -> HttpResponse:
    form = ContactFilterForm(request.GET, user=request.user)
    form.is_valid()
    filters = form.filters()
    list_url = reverse("relationships:contact-list")
    paged = keyset_page(
        request,
        list_url=list_url,
        fetch=lambda after: selectors.contact_list(
            filters=filters, after=after, limit=PAGE_SIZE, columns=selectors.CONTACT_ROW_COLUMNS
        ),
    )
    links = _RowLinks()
    context = {
        "form": form,
        "rows": [_row(contact, links) for contact in paged.page.contacts],
        **paged.context(),
        "export_url": f"{reverse('relationships:contact-export')}?{paged.filter_query}".rstrip("?"),
        "organization": _organization(filters.organization),
        "list_url": list_url,
    }
    partial = bool(request.htmx) and not request.htmx.history_restore_request
    context["partial"] = partial
    template = (
        "relationships/partials/contact_table.html"
        if partial
        else "relationships/contact_list.html"
    )
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


class _RowLinks:
    """Per request: the URLs of a page of rows, each reversed once."""

    def __init__(self) -> None:
        self.contact = pk_link("contacts:contact-detail")
        self.organization = pk_link("contacts:organization-detail")


def _row(contact: Contact, links: _RowLinks) -> dict[str, Any]:
    """The cells of one row, ready to print, and the row's HTML: a page has 50 of them."""
    relationship: Relationship | None = getattr(contact, "relationship", None)
    organization = contact.organization
    row: dict[str, Any] = {
        "name": contact.full_name,
        "url": links.contact(contact.pk),
        "do_not_contact": contact.do_not_contact,
        "title": contact.title,
        "organization": organization.name if organization else "",
        "organization_url": links.organization(organization.pk) if organization else "",
        "roles": ", ".join(ROLE_LABELS.get(role, role) for role in contact.roles),
        "tags": contact.tags,
        "owner": str(relationship.owner) if relationship else "",
        "has_owner": relationship is not None,
        "tier": relationship.tier if relationship else "",
        "last_touch": _day(relationship.last_touch_at) if relationship else "",
        "next_touch_due": _day(relationship.next_touch_due) if relationship else "",
        "overdue": relationship is not None and relationship.is_overdue,
    }
    row["html"] = _row_html(row)
    return row


def _row_html(row: dict[str, Any]) -> SafeString:
    """The row's <tr>: every value escaped as `{{ value }}` escapes it, the badges as they are.
    html.escape rather than format_html, whose escaping of each value costs more than the rest of
    the row (all of them are plain str: pk_link's URLs, names, dates)."""
    organization = ""
    if row["organization_url"]:
        organization = (
            f'<a href="{escape(row["organization_url"])}">{escape(row["organization"])}</a>'
        )
    last_touch = escape(row["last_touch"]) or (NEVER if row["has_owner"] else "")
    return SafeString(
        ROW_HTML.format(
            url=escape(row["url"]),
            name=escape(row["name"]),
            do_not_contact=DO_NOT_CONTACT_BADGE if row["do_not_contact"] else "",
            title=escape(row["title"]),
            organization=organization,
            roles=escape(row["roles"]),
            tags="".join(
                f'<span class="badge text-bg-light border">{escape(tag)}</span> '
                for tag in row["tags"]
            ),
            owner=escape(row["owner"]) if row["has_owner"] else NOBODY,
            tier=escape(row["tier"]),
            last_touch=last_touch,
            next_touch_due=escape(row["next_touch_due"]),
            overdue=OVERDUE_BADGE if row["overdue"] else "",
        )
    )


def _day(moment: dt.datetime | None) -> str:
    """ "7 Mar 2026", as the `date:"j M Y"` filter prints it."""
    if moment is None:
        return ""
    day = timezone.localtime(moment)
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _organization(organization_id: int | None) -> Organization | None:
    if organization_id is None:
        return None
    try:
        return organization_get(organization_id=organization_id)
    except Organization.DoesNotExist:
        return None


# --- the export ----------------------------------------------------------------------------------


@require_GET
def contact_export(request: HttpRequest) -> StreamingHttpResponse:
    """Every contact of the filtered list as CSV, streamed from a server-side cursor."""
    form = ContactFilterForm(request.GET, user=request.user)
    form.is_valid()
    contacts = selectors.contact_queryset(form.filters()).iterator(chunk_size=EXPORT_CHUNK_SIZE)
    return csv_response(
        filename=f"contacts-{timezone.localdate():%Y-%m-%d}.csv",
        header=EXPORT_COLUMNS,
        rows=(_export_row(contact) for contact in contacts),
    )


def _export_row(contact: Contact) -> list[str]:
    relationship: Relationship | None = getattr(contact, "relationship", None)
    return [
        contact.first_name,
        contact.last_name,
        "; ".join(contact.emails),
        "; ".join(contact.phones),
        contact.linkedin_url,
        contact.title,
        contact.organization.name if contact.organization else "",
        "; ".join(contact.roles),
        "; ".join(contact.tags),
        contact.source,
        contact.location,
        relationship.owner.username if relationship else "",
        relationship.tier if relationship else "",
        _moment(relationship.last_touch_at) if relationship else "",
        _moment(relationship.next_touch_due) if relationship else "",
    ]


def _moment(value: Any) -> str:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else ""


# --- a new contact -------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def contact_new(request: HttpRequest) -> HttpResponse:
    """Create a contact owned by the user. Existing contacts with the same email, phone or
    LinkedIn profile are offered first; "create anyway" goes ahead."""
    if request.method == "GET":
        return _contact_new_render(request, ContactNewForm())
    form = ContactNewForm(request.POST)
    if not form.is_valid():
        return _contact_new_render(request, form)
    duplicates = form.duplicate_matches()
    if duplicates and not form.cleaned_data["create_anyway"]:
        return _contact_new_render(request, form, duplicates=duplicates)
    try:
        with transaction.atomic():
            name = form.cleaned_data["organization_name"].strip()
            contact = services.contact_onboard(
                owner=request.user,
                user=request.user,
                tier=form.cleaned_data["tier"],
                organization=organization_get_or_create(name=name) if name else None,
                **form.contact_fields(),
            )
    except ValidationError as error:
        form.add_service_errors(error)
        return _contact_new_render(request, form, duplicates=duplicates)
    messages.success(request, f"{contact.full_name} was added to your contacts.")
    return redirect("contacts:contact-detail", pk=contact.pk)


def _contact_new_render(
    request: HttpRequest, form: ContactNewForm, duplicates: list | None = None
) -> HttpResponse:
    return render(
        request,
        "contacts/contact_form.html",
        {
            "form": form,
            "duplicates": duplicates or [],
            "heading": "New contact",
            "submit_label": "Create contact",
            "cancel_url": reverse("relationships:contact-list"),
        },
    )


urlpatterns = [
    path("contacts/", contact_list_page, name="contact-list"),
    path("contacts/new/", contact_new, name="contact-new"),
    path("contacts/export.csv", contact_export, name="contact-export"),
]
