"""The job page (intake side by side, pipeline summary, split suggestion) and its actions:
the intake form, opening, closing, and recording interviewer feedback."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jobs import selectors, services
from jobs.divergence import split_suggestion_get
from jobs.forms import FeedbackForm, IntakeForm, JobCloseForm, JobOpenForm
from jobs.models import Job
from jobs.panels import JOB_PAGE
from jobs.permissions import can_change_job
from jobs.scorecards import job_feedback_matrix
from jobs.views.board import decided_context
from jobs.views.common import job_or_404

INTERVIEWER_CHOICE_LIMIT = 200


def job_page_response(
    request: HttpRequest,
    job: Job,
    *,
    open_form: JobOpenForm | None = None,
    close_form: JobCloseForm | None = None,
    status: int = 200,
) -> HttpResponse:
    completeness, missing = selectors.job_intake_completeness(job)
    context = {
        "job": job,
        "intake": selectors.job_intake_sections(job),
        "completeness": completeness,
        "missing": missing,
        "pipeline": selectors.job_pipeline_summary(job=job),
        "matrix": job_feedback_matrix(job=job, criteria=selectors.job_criteria(job)),
        "suggestion": split_suggestion_get(job=job) if job.is_active else None,
        "siblings": selectors.job_sibling_list(job=job),
        "can_change": can_change_job(request.user, job),
        "open_form": open_form or JobOpenForm(),
        "close_form": close_form or JobCloseForm(),
        "panels": JOB_PAGE.render_list(request, job),
        **decided_context(request, job),
    }
    return render(request, "jobs/job_detail.html", context, status=status)


@require_GET
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return job_page_response(request, job_or_404(pk))


@require_http_methods(["GET", "POST"])
def job_intake(request: HttpRequest, pk: int) -> HttpResponse:
    job = job_or_404(pk)
    services.job_change_check(job=job, user=request.user)  # the form is for who may change it
    form = IntakeForm(request.POST or None, job=job)
    if request.method == "POST" and form.is_valid():
        try:
            services.job_intake_update(
                job=job,
                items=form.items(),
                user=request.user,
                signed_off_on=form.cleaned_data["signed_off_on"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Intake saved.")
            return redirect("jobs:job-detail", pk=job.pk)
    status = 400 if form.errors else 200
    return render(request, "jobs/intake_form.html", {"job": job, "form": form}, status=status)


@require_POST
def job_open(request: HttpRequest, pk: int) -> HttpResponse:
    job = job_or_404(pk)
    form = JobOpenForm(request.POST)
    if form.is_valid():
        try:
            services.job_open(
                job=job, user=request.user, override_reason=form.cleaned_data["override_reason"]
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"“{job.title}” is open.")
            return redirect("jobs:job-detail", pk=job.pk)
    return job_page_response(request, job, open_form=form, status=400)


@require_POST
def job_close(request: HttpRequest, pk: int) -> HttpResponse:
    job = job_or_404(pk)
    form = JobCloseForm(request.POST)
    if form.is_valid():
        try:
            closed = services.job_close(
                job=job,
                status=form.cleaned_data["status"],
                user=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"“{job.title}” is closed; {closed} candidacies closed.")
            return redirect("jobs:job-detail", pk=job.pk)
    return job_page_response(request, job, close_form=form, status=400)


def _feedback_form(request: HttpRequest, job: Job) -> FeedbackForm:
    return FeedbackForm(
        request.POST or None,
        candidacies=selectors.candidacy_board_list(job=job),
        interviewers=selectors.interviewer_choice_list(job=job, limit=INTERVIEWER_CHOICE_LIMIT),
        criteria=selectors.job_criteria(job),
    )


@require_http_methods(["GET", "POST"])
def job_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    """Record an interviewer's scorecard on one of the job's candidates."""
    job = job_or_404(pk)
    services.job_change_check(job=job, user=request.user)  # the form is for who may change it
    form = _feedback_form(request, job)
    if request.method == "POST" and form.is_valid():
        try:
            services.feedback_record(
                candidacy=form.cleaned_data["candidacy"],
                interviewer=form.cleaned_data["interviewer"],
                recommendation=form.cleaned_data["recommendation"],
                notes=form.cleaned_data["notes"],
                scores=form.scores(),
                user=request.user,
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Feedback recorded.")
            return redirect("jobs:job-detail", pk=job.pk)
    status = 400 if form.errors else 200
    return render(request, "jobs/feedback_form.html", {"job": job, "form": form}, status=status)


urlpatterns = [
    path("<int:pk>/", job_detail, name="job-detail"),
    path("<int:pk>/intake", job_intake, name="job-intake"),
    path("<int:pk>/open", job_open, name="job-open"),
    path("<int:pk>/close", job_close, name="job-close"),
    path("<int:pk>/feedback", job_feedback, name="job-feedback"),
]
