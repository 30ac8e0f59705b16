"""Market notes' pages: the list (filters, keyset paging), new and edit, the note with its salary
table, the one-click review (confirm, retire), and the notes for a contact (the contact page's
panel loads them with htmx after the page; without JavaScript its link opens them as a page)."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from contacts.views.pages import contact_or_404
from core.paging import keyset_page
from market import selectors, services
from market.forms import NoteFilterForm, NoteForm
from market.models import MarketNote
from market.permissions import can_change_note

app_name = "market"


def _note_or_404(request: HttpRequest, pk: int) -> MarketNote:
    try:
        return selectors.note_get(user=request.user, note_id=pk)
    except MarketNote.DoesNotExist as error:
        raise Http404("No such note.") from error


@require_GET
def note_list_page(request: HttpRequest) -> HttpResponse:
    form = NoteFilterForm(request.GET)
    filters = form.filters()
    list_url = reverse("market:note-list")
    paged = keyset_page(
        request,
        list_url=list_url,
        fetch=lambda after: selectors.note_list(
            user=request.user, filters=filters, after=after, limit=selectors.NOTE_PAGE_SIZE
        ),
    )
    context = {"form": form, "notes": paged.page.notes, **paged.context()}
    partial = bool(request.htmx) and not request.htmx.history_restore_request
    template = "market/partials/note_table.html" if partial else "market/note_list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_GET
def note_detail_page(request: HttpRequest, pk: int) -> HttpResponse:
    note = _note_or_404(request, pk)
    return render(
        request,
        "market/note_detail.html",
        {"note": note, "can_change": can_change_note(request.user, note)},
    )


@require_http_methods(["GET", "POST"])
def note_create_page(request: HttpRequest) -> HttpResponse:
    form = NoteForm(request.POST or None)
    return _note_form_page(
        request, form, lambda: services.note_create(author=request.user, **form.cleaned_data)
    )


@require_http_methods(["GET", "POST"])
def note_edit_page(request: HttpRequest, pk: int) -> HttpResponse:
    note = _note_or_404(request, pk)
    if not can_change_note(request.user, note):
        raise PermissionDenied
    form = NoteForm(request.POST or None, initial=NoteForm.initial_from(note))
    return _note_form_page(
        request,
        form,
        lambda: services.note_update(note=note, user=request.user, **form.cleaned_data),
        note=note,
    )


def _note_form_page(
    request: HttpRequest,
    form: NoteForm,
    save: Callable[[], MarketNote],
    note: MarketNote | None = None,
) -> HttpResponse:
    """The new-note and edit pages: a valid form is saved by `save` (the service decides; its
    errors go next to the fields), then the note's page."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save()
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"“{saved.title}” saved.")
            return redirect("market:note-detail", pk=saved.pk)
    status = 400 if form.errors else 200
    return render(request, "market/note_form.html", {"form": form, "note": note}, status=status)


@require_POST
def note_confirm_page(request: HttpRequest, pk: int) -> HttpResponse:
    note = _note_or_404(request, pk)
    try:
        note = services.note_confirm(note=note, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Still true: review again by {note.review_by:%-d %b %Y}.")
    return redirect("market:note-detail", pk=note.pk)


@require_POST
def note_retire_page(request: HttpRequest, pk: int) -> HttpResponse:
    note = services.note_retire(note=_note_or_404(request, pk), user=request.user)
    messages.success(request, f"“{note.title}” retired: it is no longer suggested.")
    return redirect("market:note-detail", pk=note.pk)


@require_GET
def contact_notes_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The fresh notes most relevant to a contact, and why each matched."""
    contact = contact_or_404(pk)
    context = {
        "contact": contact,
        "suggestions": selectors.contact_suggestions(user=request.user, contact=contact),
    }
    if request.htmx:
        return render(request, "market/partials/suggestion_list.html", context)
    return render(request, "market/contact_notes.html", context)


urlpatterns = [
    path("", note_list_page, name="note-list"),
    path("contacts/<int:pk>/", contact_notes_page, name="contact-notes"),
    path("new", note_create_page, name="note-new"),
    path("<int:pk>/", note_detail_page, name="note-detail"),
    path("<int:pk>/edit", note_edit_page, name="note-edit"),
    path("<int:pk>/confirm", note_confirm_page, name="note-confirm"),
    path("<int:pk>/retire", note_retire_page, name="note-retire"),
]
