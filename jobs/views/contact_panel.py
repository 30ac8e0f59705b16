"""A contact's candidacies. The contact page loads this panel with htmx after it renders (the
page keeps its query budget); without JavaScript its link opens the same list as a page. The
form puts the contact into an active job's pipeline; when they had a candidacy for that job,
closed, it says so and offers to reopen it (or to add a new one on purpose). A decision still
in its undo window can be undone from here (jobs.views.board.candidacy_undo)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_POST

from contacts.views.pages import contact_or_404
from jobs import selectors, services
from jobs.forms import CandidacyAddForm
from jobs.models import Candidacy
from jobs.scorecards import candidacy_scorecards
from jobs.views.common import candidacy_or_404, undo_marks


def _response(
    request: HttpRequest,
    contact,
    form=None,
    status: int = 200,
    *,
    brief: bool = False,
    closed: Candidacy | None = None,
    notice: str = "",
    error: str = "",
) -> HttpResponse:
    jobs = [] if brief else selectors.job_choice_list(changeable_by=request.user)
    candidacies = selectors.candidacy_contact_list(contact=contact)
    if not brief:
        undo_marks(request, candidacies)
    scorecards = candidacy_scorecards(candidacy_ids=[candidacy.pk for candidacy in candidacies])
    for candidacy in candidacies:
        candidacy.scorecards = scorecards.get(candidacy.pk, [])
    context = {
        "contact": contact,
        "candidacies": candidacies,
        "add_form": form or CandidacyAddForm(jobs=jobs),
        "can_add": bool(jobs),
        "closed": closed,
        "notice": notice,
        "error": error,
    }
    if request.htmx:
        return render(request, "jobs/partials/contact_candidacies.html", context)
    return render(request, "jobs/contact_candidacies.html", context, status=status)


def contact_panel_after(
    request: HttpRequest, contact, *, done: str, error: str = ""
) -> HttpResponse:
    """The answer to an action taken from the panel: the panel (htmx), or back to the list."""
    if request.htmx:
        return _response(request, contact, notice="" if error else done, error=error)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, done)
    return redirect("jobs:contact-candidacies", pk=contact.pk)


@require_GET
def contact_candidacies(request: HttpRequest, pk: int) -> HttpResponse:
    return _response(request, contact_or_404(pk))


@require_GET
def contact_candidacies_brief(request: HttpRequest, pk: int) -> HttpResponse:
    """The same list, read-only, for the pre-call brief."""
    return _response(request, contact_or_404(pk), brief=True)


def _closed_candidacy(error: ValidationError) -> int | None:
    """The closed candidacy candidacy_add refused to duplicate, if that was its answer."""
    for item in getattr(error, "error_dict", {}).get("contact", []):
        if item.code == services.CLOSED_CANDIDACY:
            return item.params["candidacy_id"]
    return None


@require_POST
def contact_candidacy_add(request: HttpRequest, pk: int) -> HttpResponse:
    contact = contact_or_404(pk)
    jobs = selectors.job_choice_list(changeable_by=request.user)
    form = CandidacyAddForm(request.POST, jobs=jobs)
    closed = None
    if form.is_valid():
        try:
            services.candidacy_add(
                job=form.cleaned_data["job"],
                contact=contact,
                stage=form.cleaned_data["stage"],
                user=request.user,
                again=form.cleaned_data["again"],
            )
        except ValidationError as error:
            closed_id = _closed_candidacy(error)
            if closed_id is None:
                form.add_service_errors(error)
            else:
                closed = candidacy_or_404(closed_id)
                closed.offer = error.message_dict["contact"][0]
                closed.reopen_stage = form.cleaned_data["stage"]
                closed.reopen_label = Candidacy.Stage(closed.reopen_stage).label.lower()
        else:
            if request.htmx:
                return _response(request, contact)
            return redirect("jobs:contact-candidacies", pk=contact.pk)
    return _response(request, contact, form, status=200 if closed else 400, closed=closed)


@require_POST
def candidacy_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    """Reopen a closed candidacy at the stage chosen in the add form."""
    candidacy = candidacy_or_404(pk)
    stage = request.POST.get("stage", "")
    error = ""
    try:
        candidacy = services.candidacy_reopen(candidacy=candidacy, user=request.user, stage=stage)
    except ValidationError as failure:
        error = " ".join(failure.messages)
    done = f"Reopened: {candidacy.job.title} at {candidacy.get_stage_display().lower()}."
    return contact_panel_after(request, candidacy.contact, done=done, error=error)


urlpatterns = [
    path("contacts/<int:pk>/candidacies", contact_candidacies, name="contact-candidacies"),
    path(
        "contacts/<int:pk>/candidacies/brief",
        contact_candidacies_brief,
        name="contact-candidacies-brief",
    ),
    path("contacts/<int:pk>/candidacies/add", contact_candidacy_add, name="contact-candidacy-add"),
    path("candidacies/<int:pk>/reopen", candidacy_reopen, name="candidacy-reopen"),
]
