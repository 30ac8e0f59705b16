"""Remember a fact, pin it, delete it: from the contact page, without leaving it.

With htmx each action answers with the facts section (contacts/partials/facts.html), which replaces
the one on the page; without JavaScript it redirects back to the contact page, or shows the page
with the form's errors.
"""

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from contacts import selectors, services
from contacts.forms.facts import FactForm
from contacts.models import Contact, Fact
from contacts.views.pages import contact_or_404, contact_page_response, facts_context


def _fact_or_404(request: HttpRequest, contact: Contact, fact_pk: int) -> Fact:
    try:
        return selectors.fact_get(contact=contact, fact_id=fact_pk, user=request.user)
    except Fact.DoesNotExist as error:
        raise Http404(f"{contact} has no fact number {fact_pk}.") from error


def _facts_response(
    request: HttpRequest, contact: Contact, form: FactForm | None = None
) -> HttpResponse:
    failed = form is not None and bool(form.errors)
    if request.htmx:
        # 200 even with errors: htmx swaps only successful responses.
        context = facts_context(request, contact, form)
        return render(request, "contacts/partials/facts.html", context)
    if failed:
        return contact_page_response(request, contact, fact_form=form, status=400)
    return redirect(reverse("contacts:contact-detail", args=[contact.pk]) + "#facts")


@require_POST
def fact_create(request: HttpRequest, pk: int) -> HttpResponse:
    contact = contact_or_404(pk)
    form = FactForm(request.POST)
    if form.is_valid():
        try:
            services.fact_create(contact=contact, author=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            form = None
    return _facts_response(request, contact, form)


@require_POST
def fact_pin(request: HttpRequest, pk: int, fact_pk: int) -> HttpResponse:
    """Pin the fact to the top of the page, or unpin it."""
    contact = contact_or_404(pk)
    fact = _fact_or_404(request, contact, fact_pk)
    services.fact_update(fact=fact, user=request.user, pinned=not fact.pinned)
    return _facts_response(request, contact)


@require_POST
def fact_delete(request: HttpRequest, pk: int, fact_pk: int) -> HttpResponse:
    contact = contact_or_404(pk)
    services.fact_delete(fact=_fact_or_404(request, contact, fact_pk), user=request.user)
    return _facts_response(request, contact)


urlpatterns = [
    path("contacts/<int:pk>/facts/", fact_create, name="fact-create"),
    path("contacts/<int:pk>/facts/<int:fact_pk>/pin/", fact_pin, name="fact-pin"),
    path("contacts/<int:pk>/facts/<int:fact_pk>/delete/", fact_delete, name="fact-delete"),
]
