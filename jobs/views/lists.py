"""The job list with its filters, and the new-job page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_http_methods

from core.paging import keyset_page
from jobs import selectors, services
from jobs.forms import JobFilterForm, JobForm

# Read at request time so tests can make pages small.
PAGE_SIZE = selectors.JOB_PAGE_SIZE


@require_GET
def job_list_page(request: HttpRequest) -> HttpResponse:
    form = JobFilterForm(request.GET, user=request.user)
    filters = form.filters()
    list_url = reverse("jobs:index")
    paged = keyset_page(
        request,
        list_url=list_url,
        fetch=lambda after: selectors.job_list(filters=filters, after=after, limit=PAGE_SIZE),
    )
    partial = bool(request.htmx) and not request.htmx.history_restore_request
    context = {
        "form": form,
        "jobs": paged.page.jobs,
        **paged.context(),
        "list_url": list_url,
    }
    template = "jobs/partials/job_table.html" if partial else "jobs/job_list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_http_methods(["GET", "POST"])
def job_create_page(request: HttpRequest) -> HttpResponse:
    form = JobForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.job_create(owner=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"“{job.title}” created: now write its intake.")
            return redirect("jobs:job-intake", pk=job.pk)
    status = 400 if form.errors else 200
    return render(request, "jobs/job_form.html", {"form": form}, status=status)


urlpatterns = [
    path("", job_list_page, name="index"),
    path("new", job_create_page, name="job-new"),
]
