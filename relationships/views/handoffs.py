"""Handoffs: the history, one handoff's page, and the new-handoff form with its confirm step."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_http_methods

from relationships import selectors, services
from relationships.forms.handoffs import SCOPE_ALL, SCOPE_SELECTION, HandoffForm
from relationships.handoff_options import (
    HandoffDraft,
    handoff_choices_read,
    handoff_options_render,
)
from relationships.models import Handoff

# Read at request time so tests can make pages small.
HISTORY_LIMIT = 100
MOVED_LIMIT = selectors.HANDOFF_MOVED_LIMIT


@require_GET
def handoff_list(request: HttpRequest) -> HttpResponse:
    handoffs = selectors.handoff_list(limit=HISTORY_LIMIT)
    return render(
        request,
        "relationships/handoff_list.html",
        {"handoffs": handoffs, "capped": len(handoffs) == HISTORY_LIMIT},
    )


@require_GET
def handoff_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        handoff = selectors.handoff_get(handoff_id=pk)
    except Handoff.DoesNotExist as error:
        raise Http404("No such handoff.") from error
    moved = selectors.handoff_moved_list(handoff=handoff, limit=MOVED_LIMIT)
    return render(
        request, "relationships/handoff_detail.html", {"handoff": handoff, "moved": moved}
    )


@require_http_methods(["GET", "POST"])
def handoff_new(request: HttpRequest) -> HttpResponse:
    """GET: the form (`?contact=<pk>` preselects that contact). POST: the confirm step showing
    what will move; POST with `confirm`: the handoff; with `edit`: back to the form."""
    if request.method == "GET":
        form = HandoffForm(user=request.user, initial=_initial(request))
        return _form_render(request, form)
    form = HandoffForm(request.POST, user=request.user)
    if not form.is_valid() or "edit" in request.POST:
        return _form_render(request, form)
    preview = form.preview()
    draft = HandoffDraft(
        from_recruiter=form.cleaned_data["from_recruiter"],
        to_recruiter=form.cleaned_data["to_recruiter"],
        contacts=preview.contacts,
        count=preview.count,
        more=preview.more,
    )
    if "confirm" not in request.POST:
        return render(
            request,
            "relationships/handoff_confirm.html",
            {
                "form": form,
                "preview": preview,
                "options": handoff_options_render(request, draft),
            },
        )
    try:
        handoff = services.relationship_handoff(
            from_recruiter=draft.from_recruiter,
            to_recruiter=draft.to_recruiter,
            performed_by=request.user,
            note=form.cleaned_data["note"],
            contacts=form.contacts_to_move(),
            options=handoff_choices_read(request.POST, draft),
        )
    except ValidationError as error:
        form.add_service_errors(error)
        return _form_render(request, form)
    count = handoff.relationship_count
    also = "".join(
        f" {sentence[:1].upper()}{sentence[1:]}." for sentence in handoff.extras.values()
    )
    messages.success(
        request,
        f"Handed off {count} relationship{'s' if count != 1 else ''} "
        f"from {handoff.from_recruiter} to {handoff.to_recruiter}.{also}",
    )
    return redirect("relationships:handoff-detail", pk=handoff.pk)


@require_GET
def handoff_contact_options(request: HttpRequest) -> HttpResponse:
    """The part of the form that depends on who hands off: the recipients and the checkboxes
    (htmx swaps it in when "From" changes)."""
    form = HandoffForm(user=request.user, initial=_initial(request))
    response = render(request, "relationships/partials/handoff_choices.html", {"form": form})
    patch_vary_headers(response, ["HX-Request"])
    return response


def _initial(request: HttpRequest) -> dict[str, Any]:
    """The form's starting values from the query string. From a contact's page (`?contact=`),
    a manager starts from the contact's owner."""
    query = request.GET
    initial: dict[str, Any] = {"from_recruiter": request.user.pk}
    contact_id = query.get("contact", "")
    if contact_id.isdigit():
        initial.update(contact=int(contact_id), contacts=[int(contact_id)])
        if request.user.is_manager:
            owner_id = selectors.relationship_owner_id(contact_id=int(contact_id))
            if owner_id is not None:
                initial["from_recruiter"] = owner_id
    for name in ("from_recruiter", "to_recruiter"):
        if query.get(name, "").isdigit():
            initial[name] = int(query[name])
    if query.get("scope") in {SCOPE_SELECTION, SCOPE_ALL}:
        initial["scope"] = query["scope"]
    if query.get("note"):
        initial["note"] = query["note"]
    return initial


def _form_render(request: HttpRequest, form: HandoffForm) -> HttpResponse:
    return render(request, "relationships/handoff_form.html", {"form": form})


urlpatterns = [
    path("handoffs/", handoff_list, name="handoff-list"),
    path("handoffs/new/", handoff_new, name="handoff-new"),
    path("handoffs/new/choices/", handoff_contact_options, name="handoff-choices"),
    path("handoffs/<int:pk>/", handoff_detail, name="handoff-detail"),
]
