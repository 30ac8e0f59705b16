"""The pages of a person's data: the export (a JSON file, a readable page) and the erasure (a
confirmation with a reason, then the erasure). Thin: each calls one service or selector."""

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from contacts.models import Contact
from contacts.views.pages import contact_or_404
from core.forms import BootstrapForm
from crm.privacy.access import person_erasure_counts, person_export
from crm.privacy.erasure import REASON_MAX_LENGTH, person_erase
from crm.privacy.rules import can_erase_person, can_export_person

OWNER = ("relationship__owner",)


class ErasureForm(BootstrapForm):
    reason = forms.CharField(
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why: the person's request, a retention review… Kept on the audit trail.",
    )


@require_GET
def person_export_json(request: HttpRequest, pk: int) -> HttpResponse:
    contact = contact_or_404(pk, related=OWNER)
    export = person_export(actor=request.user, contact=contact)
    response = JsonResponse(export, json_dumps_params={"indent": 2})
    response["Content-Disposition"] = f'attachment; filename="contact-{pk}-export.json"'
    return response


@require_GET
def person_export_page(request: HttpRequest, pk: int) -> HttpResponse:
    contact = contact_or_404(pk, related=OWNER)
    export = person_export(actor=request.user, contact=contact)
    sections = [
        {"kind": kind, "title": kind.replace("_", " ").capitalize(), "rows": rows}
        for kind, rows in export["kinds"].items()
    ]
    return render(
        request,
        "crm/privacy/export.html",
        {"contact": contact, "export": export, "sections": sections},
    )


@require_http_methods(["GET", "POST"])
def person_erase_page(request: HttpRequest, pk: int) -> HttpResponse:
    contact = contact_or_404(pk, related=OWNER)
    if not can_erase_person(request.user, contact):
        raise PermissionDenied("Only the owner's manager or an admin erases a person.")
    form = ErasureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person_erase(actor=request.user, contact=contact, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "The person was erased: their data is anonymised.")
            return redirect("contacts:contact-detail", pk=pk)
    return render(
        request,
        "crm/privacy/erase.html",
        {
            "contact": contact,
            "form": form,
            "counts": [
                (kind.replace("_", " ").capitalize(), count)
                for kind, count in person_erasure_counts(contact).items()
            ],
        },
        status=400 if form.errors else 200,
    )


def contact_privacy_panel(request: HttpRequest, contact: Contact) -> dict[str, Any]:
    """The contact page's "Personal data" links, for those who may use them (nothing for
    others); the owner comes with the page's one query."""
    can_export = can_export_person(request.user, contact)
    return {
        "privacy_contact": contact,
        "export_url": reverse("privacy:export-page", args=[contact.pk]) if can_export else "",
        "export_json_url": reverse("privacy:export-json", args=[contact.pk]) if can_export else "",
        "erase_url": (
            reverse("privacy:erase", args=[contact.pk])
            if can_erase_person(request.user, contact)
            else ""
        ),
    }
