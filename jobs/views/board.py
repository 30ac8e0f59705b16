"""The pipeline board: a column per stage, a card per open candidacy. Each card is a form with
a stage select (works without JavaScript); with htmx a move or a close answers with the board."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from jobs import selectors, services
from jobs.forms import CandidacyCloseForm, CandidacyMoveForm
from jobs.models import Job
from jobs.permissions import can_change_job
from jobs.views.common import candidacy_or_404, job_or_404, undo_marks
from jobs.views.contact_panel import contact_panel_after


def decided_context(request: HttpRequest, job: Job, *, undo_error: str = "") -> dict:
    """The job's decisions still in their undo window, each marked with whether the user may
    undo it (the board and the job page show them)."""
    window = services.undo_window()
    decided = selectors.candidacy_recently_decided_list(job=job, since=timezone.now() - window)
    undo_marks(request, decided, window=window)
    return {
        "decided": decided,
        "undo_minutes": round(window.total_seconds() / 60),
        "undo_error": undo_error,
    }


def board_context(
    request: HttpRequest, job: Job, *, errors: dict | None = None, undo_error: str = ""
) -> dict:
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
        **decided_context(request, job, undo_error=undo_error),
    }


def board_response(
    request: HttpRequest,
    job: Job,
    *,
    errors: dict | None = None,
    status: int = 200,
    undo_error: str = "",
) -> HttpResponse:
    context = board_context(request, job, errors=errors, undo_error=undo_error)
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


@require_POST
def candidacy_undo(request: HttpRequest, pk: int) -> HttpResponse:
    """Undo the decision that closed a candidacy, within its window. `from` says where the
    button was: the board (answered with the board), the job page or the contact's candidacies
    (jobs.views.contact_panel answers those)."""
    candidacy = candidacy_or_404(pk)
    job = job_or_404(candidacy.job_id)
    where = request.POST.get("from", "board")
    error = ""
    try:
        candidacy = services.candidacy_decision_undo(candidacy=candidacy, user=request.user)
    except ValidationError as failure:
        error = " ".join(failure.messages)
    done = f"Undone: {candidacy.contact} is back at {candidacy.get_stage_display().lower()}."
    if where == "contact":
        return contact_panel_after(request, candidacy.contact, done=done, error=error)
    if request.htmx and where == "board":
        return board_response(request, job, undo_error=error)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, done)
    if where == "job":
        return redirect("jobs:job-detail", pk=job.pk)
    return redirect("jobs:job-board", pk=job.pk)


urlpatterns = [
    path("<int:pk>/board", board, name="job-board"),
    path("candidacies/<int:pk>/undo", candidacy_undo, name="candidacy-undo"),
    path("candidacies/<int:pk>/move", candidacy_move, name="candidacy-move"),
    path("candidacies/<int:pk>/close", candidacy_close, name="candidacy-close"),
]
