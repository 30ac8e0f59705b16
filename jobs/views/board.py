"""The pipeline board: a column per stage, a card per open candidacy. Each card is a form with
a stage select (works without JavaScript); with htmx a move or a close answers with the board."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_POST

from jobs import selectors, services
from jobs.forms import CandidacyCloseForm, CandidacyMoveForm
from jobs.models import Job
from jobs.permissions import can_change_job
from jobs.views.common import candidacy_or_404, job_or_404


def board_context(request: HttpRequest, job: Job, *, errors: dict | None = None) -> dict:
    """`errors`: candidacy id -> the messages of the form that failed on its card."""
    candidacies = selectors.candidacy_board_list(job=job, placed=True)
    for candidacy in candidacies:
        candidacy.card_errors = (errors or {}).get(candidacy.pk, [])
    return {
        "job": job,
        "columns": selectors.candidacy_board_columns(candidacies),
        "can_change": can_change_job(request.user, job) and job.is_active,
        "move_choices": CandidacyMoveForm.base_fields["stage"].choices,
        "close_choices": CandidacyCloseForm.base_fields["outcome"].choices,
    }


def board_response(
    request: HttpRequest, job: Job, *, errors: dict | None = None, status: int = 200
) -> HttpResponse:
    context = board_context(request, job, errors=errors)
    if request.htmx:
        # 200 even with errors: htmx swaps only successful responses.
        return render(request, "jobs/partials/board.html", context)
    return render(request, "jobs/board.html", context, status=status)


@require_GET
def board(request: HttpRequest, pk: int) -> HttpResponse:
    return board_response(request, job_or_404(pk))


def _answer(request: HttpRequest, job: Job, candidacy_id: int, form, done: str) -> HttpResponse:
    if form.errors:
        errors = {candidacy_id: [m for messages_ in form.errors.values() for m in messages_]}
        return board_response(request, job, errors=errors, status=400)
    if request.htmx:
        return board_response(request, job)
    messages.success(request, done)
    return redirect("jobs:job-board", pk=job.pk)


@require_POST
def candidacy_move(request: HttpRequest, pk: int) -> HttpResponse:
    candidacy = candidacy_or_404(pk)
    job = job_or_404(candidacy.job_id)
    form = CandidacyMoveForm(request.POST)
    if form.is_valid():
        try:
            candidacy = services.candidacy_move(
                candidacy=candidacy, to_stage=form.cleaned_data["stage"], user=request.user
            )
        except ValidationError as error:
            form.add_service_errors(error)
    done = f"{candidacy.contact} moved to {candidacy.get_stage_display().lower()}."
    return _answer(request, job, candidacy.pk, form, done)


@require_POST
def candidacy_close(request: HttpRequest, pk: int) -> HttpResponse:
    candidacy = candidacy_or_404(pk)
    job = job_or_404(candidacy.job_id)
    form = CandidacyCloseForm(request.POST)
    if form.is_valid():
        try:
            candidacy = services.candidacy_close(
                candidacy=candidacy,
                outcome=form.cleaned_data["outcome"],
                reason=form.cleaned_data["reason"],
                user=request.user,
            )
        except ValidationError as error:
            form.add_service_errors(error)
    done = f"{candidacy.contact}'s candidacy is closed."
    return _answer(request, job, candidacy.pk, form, done)


urlpatterns = [
    path("<int:pk>/board", board, name="job-board"),
    path("candidacies/<int:pk>/move", candidacy_move, name="candidacy-move"),
    path("candidacies/<int:pk>/close", candidacy_close, name="candidacy-close"),
]
