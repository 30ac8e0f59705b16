"""The split flow: name the two jobs and route each open candidacy to the first, the second or
both."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods

from jobs import selectors, services
from jobs.divergence import split_suggestion_get
from jobs.forms import JobSplitForm
from jobs.scorecards import split_route_hints
from jobs.views.common import job_change_check, job_or_404


@require_http_methods(["GET", "POST"])
def job_split(request: HttpRequest, pk: int) -> HttpResponse:
    job = job_or_404(pk)
    job_change_check(request, job)
    candidacies = selectors.candidacy_board_list(job=job)
    hints = split_route_hints(job=job, candidacies=candidacies)
    form = JobSplitForm(request.POST or None, job=job, candidacies=candidacies, hints=hints)
    if request.method == "POST" and form.is_valid():
        try:
            job_a, job_b = services.job_split(
                job=job,
                user=request.user,
                title_a=form.cleaned_data["title_a"],
                title_b=form.cleaned_data["title_b"],
                routes=form.routes(),
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"“{job.title}” is split into “{job_a}” and “{job_b}”.")
            return redirect("jobs:job-detail", pk=job.pk)
    context = {
        "job": job,
        "form": form,
        "suggestion": split_suggestion_get(job=job) if job.is_active else None,
    }
    status = 400 if form.errors else 200
    return render(request, "jobs/split_form.html", context, status=status)


urlpatterns = [path("<int:pk>/split", job_split, name="job-split")]
