"""Editing a contact: a new organization or title is recorded as a dated move."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_http_methods

from contacts import selectors, services
from contacts.forms.contact import ContactEditForm
from contacts.models import Contact
from contacts.panels import CONTACT_ACTIONS
from contacts.selectors import DuplicateMatch


@require_http_methods(["GET", "POST"])
def contact_edit(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        contact = selectors.contact_get(contact_id=pk)
    except Contact.DoesNotExist as error:
        raise Http404("No such contact.") from error
    if request.method == "GET":
        return _render(request, ContactEditForm(contact=contact))
    form = ContactEditForm(request.POST, contact=contact)
    if not form.is_valid():
        return _render(request, form)
    try:
        with transaction.atomic():
            changes = form.changes()
            if changes:
                services.contact_update(
                    contact=contact,
                    moved_on=form.cleaned_data["moved_on"],
                    user=request.user,
                    **changes,
                )
    except ValidationError as error:
        # The failed save may have half-changed the instance: show the form over a fresh copy.
        form.contact = selectors.contact_get(contact_id=pk)
        form.add_service_errors(error)
        return _render(request, form)
    if changes:
        messages.success(request, f"{contact.full_name} was updated.")
    else:
        messages.info(request, "Nothing changed.")
    duplicates = form.duplicate_matches(exclude_id=contact.pk)
    if duplicates:
        messages.warning(request, _duplicate_warning(contact, duplicates))
    return redirect("contacts:contact-detail", pk=contact.pk)


def _duplicate_warning(contact: Contact, duplicates: list[DuplicateMatch]) -> str:
    """A warning that links each other contact sharing an identity, and the merge page when an
    app registered one."""
    links = format_html_join(
        "; ",
        '<a href="{}">{}</a> ({})',
        (
            (
                reverse("contacts:contact-detail", args=[match.contact.pk]),
                match.contact.full_name,
                ", ".join(match.reasons),
            )
            for match in duplicates
        ),
    )
    warning = format_html(
        "Possible duplicate: {} shares details with {}.", contact.full_name, links
    )
    # Merging is a higher app's page: it registers the "merge" action on the contact page.
    merge_url = CONTACT_ACTIONS.url("merge", contact)
    if merge_url is None:
        return warning
    return format_html(
        '{} <a href="{}">Merge them</a> if they are the same person.', warning, merge_url
    )


def _render(request: HttpRequest, form: ContactEditForm) -> HttpResponse:
    contact = form.contact
    return render(
        request,
        "contacts/contact_form.html",
        {
            "form": form,
            "contact": contact,
            "duplicates": [],
            "heading": f"Edit {contact.full_name}",
            "submit_label": "Save changes",
            "cancel_url": reverse("contacts:contact-detail", args=[contact.pk]),
        },
    )


urlpatterns = [
    path("contacts/<int:pk>/edit/", contact_edit, name="contact-edit"),
]
