"""Remember a fact, pin it, delete it: from the contact page, without leaving it.

With htmx each action answers with the facts section (contacts/partials/facts.html), which replaces
the one on the page; without JavaScript it redirects back to the contact page, or shows the page
with the form's errors.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from accounts.models import User
from contacts import services
from contacts.forms.facts import FactForm
from contacts.models import Contact, Fact
from contacts.views.pages import contact_or_404, contact_page_response, facts_context


def can_delete_fact(user: User, fact: Fact) -> bool:
    """Whoever wrote it down, or a manager or an admin."""
    return user.is_manager or (fact.author_id is not None and fact.author_id == user.pk)


def _facts_response(
    request: HttpRequest, contact: Contact, form: FactForm | None = None
) -> HttpResponse:
    failed = form is not None and bool(form.errors)
    if request.htmx:
        # 200 even with errors: htmx swaps only successful responses.
        return render(request, "contacts/partials/facts.html", facts_context(contact, form))
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
    fact = get_object_or_404(Fact, pk=fact_pk, contact=contact)
    services.fact_update(fact=fact, pinned=not fact.pinned)
    return _facts_response(request, contact)


@require_POST
def fact_delete(request: HttpRequest, pk: int, fact_pk: int) -> HttpResponse:
    contact = contact_or_404(pk)
    fact = get_object_or_404(Fact, pk=fact_pk, contact=contact)
    if not can_delete_fact(request.user, fact):
        raise PermissionDenied("Only whoever wrote a fact down, a manager or an admin deletes it.")
    services.fact_delete(fact=fact)
    return _facts_response(request, contact)


urlpatterns = [
    path("contacts/<int:pk>/facts/", fact_create, name="fact-create"),
    path("contacts/<int:pk>/facts/<int:fact_pk>/pin/", fact_pin, name="fact-pin"),
    path("contacts/<int:pk>/facts/<int:fact_pk>/delete/", fact_delete, name="fact-delete"),
]
