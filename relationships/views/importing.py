"""CSV import pages: upload, then a dry-run preview with the column mapping, then the import.
The preview is read by the worker: until it is there, the page shows how far the reading has come
and, with htmx, asks again every second (a refresh does the same without JavaScript)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_http_methods
from django_htmx.http import HttpResponseClientRefresh

from contacts import importing as contacts_importing
from contacts.models import ContactImport
from contacts.selectors import contact_import_get
from relationships import importing
from relationships.forms.importing import ImportMappingForm, ImportUploadForm

# The preview lists this many issues; the counts above it are exact.
ISSUES_SHOWN = 200


@require_http_methods(["GET", "POST"])
def contact_import_upload(request: HttpRequest) -> HttpResponse:
    """Step 1: the file and what to do with rows that match an existing contact."""
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            contact_import = contacts_importing.contact_import_stage(
                file_name=upload.name,
                chunks=upload.chunks(),
                created_by=request.user,
                on_duplicate=form.cleaned_data["on_duplicate"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            return redirect("relationships:contact-import-preview", pk=contact_import.pk)
    return render(request, "relationships/import_upload.html", {"form": form})


@require_http_methods(["GET", "POST"])
def contact_import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 2: how far the reading has come, then what the import would do; change the mapping
    and preview again, or import."""
    try:
        contact_import = contact_import_get(import_id=pk, created_by=request.user)
    except ContactImport.DoesNotExist as error:
        raise Http404("You have no import with this number.") from error
    polled = bool(request.htmx) and not request.htmx.history_restore_request
    if contact_import.status == ContactImport.Status.READING:
        return _reading(request, contact_import, polled=polled)
    if polled:  # read while the page was polling: the whole page shows the preview now
        return HttpResponseClientRefresh()
    if contact_import.status == ContactImport.Status.FAILED:
        return render(
            request, "relationships/import_failed.html", {"contact_import": contact_import}
        )
    result = contact_import.result
    form = ImportMappingForm(
        request.POST or None,
        headers=result.get("headers", []),
        mapping=contact_import.mapping,
        initial={"on_duplicate": contact_import.on_duplicate},
    )
    imported = contact_import.status == ContactImport.Status.IMPORTED
    if request.method == "POST" and not imported and form.is_valid():
        try:
            return _preview_change(request, contact_import, form)
        except ValidationError as error:
            form.add_service_errors(error)
    return render(
        request,
        "relationships/import_preview.html",
        {
            "contact_import": contact_import,
            "imported": imported,
            "result": result,
            "issues": result.get("issues", [])[:ISSUES_SHOWN],
            "warnings": result.get("warning_issues", [])[:ISSUES_SHOWN],
            "merged": result.get("merged_rows", [])[:ISSUES_SHOWN],
            "form": form,
        },
    )


def _reading(request: HttpRequest, contact_import: ContactImport, *, polled: bool) -> HttpResponse:
    """The progress: the page, or (polled) its partial alone."""
    template = "partials/import_progress.html" if polled else "import_reading.html"
    response = render(request, f"relationships/{template}", {"contact_import": contact_import})
    patch_vary_headers(response, ["HX-Request"])
    return response


def _preview_change(
    request: HttpRequest, contact_import: ContactImport, form: ImportMappingForm
) -> HttpResponse:
    """Preview again with the form's mapping (read by the worker), or import with it."""
    mapping, on_duplicate = form.mapping(), form.cleaned_data["on_duplicate"]
    if request.POST.get("action") != "import":
        contacts_importing.contact_import_reread(
            contact_import=contact_import, mapping=mapping, on_duplicate=on_duplicate
        )
        return redirect("relationships:contact-import-preview", pk=contact_import.pk)
    contact_import = contacts_importing.contact_import_remap(
        contact_import=contact_import, mapping=mapping, on_duplicate=on_duplicate
    )
    return _import(request, contact_import)


def _import(request: HttpRequest, contact_import: ContactImport) -> HttpResponse:
    skip_invalid_rows = request.POST.get("skip_invalid_rows") == "on"
    contact_import = importing.contact_import_confirm(
        contact_import_id=contact_import.pk,
        owner=request.user,
        skip_invalid_rows=skip_invalid_rows,
    )
    if contact_import.status == ContactImport.Status.IMPORTED:
        result = contact_import.result
        merged = result.get("merged", 0)
        warned = result.get("warnings", 0)
        messages.success(
            request,
            f"Imported {result['new']:,} new contacts and updated {result['updated']:,}"
            + (f"; {merged:,} rows merged into an earlier row" if merged else "")
            + (f"; {warned:,} rows imported without a value (see the warnings)" if warned else "")
            + ".",
        )
    else:
        messages.error(
            request,
            "Nothing was imported: fix the rows with errors, or tick “Leave out the rows "
            "with errors”.",
        )
    return redirect("relationships:contact-import-preview", pk=contact_import.pk)


urlpatterns = [
    path("contacts/import/", contact_import_upload, name="contact-import"),
    path("contacts/import/<int:pk>/", contact_import_preview, name="contact-import-preview"),
]
