"""The split flow: name the two jobs (after the profiles the interviewers want) and route each
open candidacy to the first, the second or both; then on to the first new job."""

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
from jobs.views.common import job_or_404


@require_http_methods(["GET", "POST"])
def job_split(request: HttpRequest, pk: int) -> HttpResponse:
    job = job_or_404(pk)
    services.job_change_check(job=job, user=request.user)  # the form is for who may change it
    candidacies = selectors.candidacy_board_list(job=job)
    suggestion = split_suggestion_get(job=job) if job.is_active else None
    hints = split_route_hints(job=job, candidacies=candidacies)
    form = JobSplitForm(
        request.POST or None,
        job=job,
        candidacies=candidacies,
        profiles=suggestion.profiles if suggestion else None,
        hints=hints,
    )
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
            # On to the first new job: that is where the work goes on.
            return redirect("jobs:job-detail", pk=job_a.pk)
    context = {"job": job, "form": form, "suggestion": suggestion}
    status = 400 if form.errors else 200
    return render(request, "jobs/split_form.html", context, status=status)


urlpatterns = [path("<int:pk>/split", job_split, name="job-split")]
