"""The follow-through policy (admins) and a job's overrides of it (its owner, managers, admins)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods

from accounts.permissions import admin_required
from followups import selectors, services
from followups.forms import (
    JobPolicyForm,
    PolicyForm,
)
from followups.models import Policy
from jobs.models import Job
from jobs.permissions import can_change_job


@admin_required
@require_http_methods(["GET", "POST"])
def policy_edit(request: HttpRequest) -> HttpResponse:
    policy = Policy.current()
    form = PolicyForm(request.POST) if request.method == "POST" else PolicyForm.for_policy(policy)
    if request.method == "POST" and form.is_valid():
        try:
            services.policy_update(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Policy saved.")
            return redirect("followups:policy")
    return render(
        request, "followups/policy_form.html", {"form": form}, status=400 if form.errors else 200
    )


@require_http_methods(["GET", "POST"])
def job_policy_edit(request: HttpRequest, job_pk: int) -> HttpResponse:
    """A job's overrides of the policy: its owner, managers and admins."""
    try:
        job = selectors.policy_job_get(job_id=job_pk)
    except Job.DoesNotExist as error:
        raise Http404(f"There is no job number {job_pk}.") from error
    if not can_change_job(request.user, job):
        raise PermissionDenied("Only the job's owner, a manager or an admin changes its policy.")
    if request.method == "POST":
        form = JobPolicyForm(request.POST)
    else:
        form = JobPolicyForm.for_job_policy(selectors.job_policy_get(job=job))
    if request.method == "POST" and form.is_valid():
        try:
            services.job_policy_update(job=job, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"Follow-through policy for “{job.title}” saved.")
            return redirect("jobs:job-detail", pk=job.pk)
    context = {"form": form, "job": job, "policy": Policy.current()}
    return render(
        request, "followups/job_policy_form.html", context, status=400 if form.errors else 200
    )


urlpatterns = [
    path("followups/policy/", policy_edit, name="policy"),
    path("followups/policy/jobs/<int:job_pk>/", job_policy_edit, name="job-policy"),
]
