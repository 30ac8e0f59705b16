"""A contact's candidacies. The contact page loads this panel with htmx after it renders (the
page keeps its query budget); without JavaScript its link opens the same list as a page. The
form puts the contact into an active job's pipeline."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_POST

from contacts.views.pages import contact_or_404
from jobs import selectors, services
from jobs.forms import CandidacyAddForm


def _response(
    request: HttpRequest, contact, form=None, status: int = 200, *, brief: bool = False
) -> HttpResponse:
    jobs = [] if brief else selectors.job_choice_list(changeable_by=request.user)
    context = {
        "contact": contact,
        "candidacies": selectors.candidacy_contact_list(contact=contact),
        "add_form": form or CandidacyAddForm(jobs=jobs),
        "can_add": bool(jobs),
    }
    if request.htmx:
        return render(request, "jobs/partials/contact_candidacies.html", context)
    return render(request, "jobs/contact_candidacies.html", context, status=status)


@require_GET
def contact_candidacies(request: HttpRequest, pk: int) -> HttpResponse:
    return _response(request, contact_or_404(pk))


@require_GET
def contact_candidacies_brief(request: HttpRequest, pk: int) -> HttpResponse:
    """The same list, read-only, for the pre-call brief."""
    return _response(request, contact_or_404(pk), brief=True)


@require_POST
def contact_candidacy_add(request: HttpRequest, pk: int) -> HttpResponse:
    contact = contact_or_404(pk)
    jobs = selectors.job_choice_list(changeable_by=request.user)
    form = CandidacyAddForm(request.POST, jobs=jobs)
    if form.is_valid():
        try:
            services.candidacy_add(
                job=form.cleaned_data["job"],
                contact=contact,
                stage=form.cleaned_data["stage"],
                user=request.user,
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            if request.htmx:
                return _response(request, contact)
            return redirect("jobs:contact-candidacies", pk=contact.pk)
    return _response(request, contact, form, status=400)


urlpatterns = [
    path("contacts/<int:pk>/candidacies", contact_candidacies, name="contact-candidacies"),
    path(
        "contacts/<int:pk>/candidacies/brief",
        contact_candidacies_brief,
        name="contact-candidacies-brief",
    ),
    path("contacts/<int:pk>/candidacies/add", contact_candidacy_add, name="contact-candidacy-add"),
]
