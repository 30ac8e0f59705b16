"""The contact page's relationship actions: log a call / email / meeting / note, change the
tier, add a connection. With htmx each answers with its panel's partial (logging also swaps the
relationship panel out of band, so the last and next touch move on the page); without
JavaScript it redirects back to the contact page, or shows the page with the form's errors."""

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_POST

from contacts.models import Contact
from contacts.views.pages import contact_or_404, contact_page_response
from relationships import selectors, services
from relationships.forms.timeline import ConnectionForm, InteractionForm, RelationshipTierForm
from relationships.panels import CONNECTIONS, RELATIONSHIP, TIMELINE, panel_render_context


def _panel_response(
    request: HttpRequest,
    contact: Contact,
    name: str,
    form: forms.Form | None = None,
    *,
    also_oob: tuple[str, ...] = (),
) -> HttpResponse:
    """The answer to a panel's form: its partial (htmx), the page with the form's errors, or a
    redirect back to the page."""
    failed = form is not None and bool(form.errors)
    if failed:
        request.panel_forms = {name: form}
    if request.htmx:
        # 200 even with errors: htmx swaps only successful responses.
        contexts = [panel_render_context(name, request, contact)]
        if not failed:
            contexts += [panel_render_context(o, request, contact, oob=True) for o in also_oob]
        parts = [
            render_to_string(context["panel"]["template"], context, request=request)
            for context in contexts
        ]
        return HttpResponse("".join(parts))
    if failed:
        return contact_page_response(request, contact, status=400)
    return redirect(reverse("contacts:contact-detail", args=[contact.pk]) + f"#{name}-panel")


@require_POST
def interaction_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Quick log: the recruiter logging it is the one who touched the contact."""
    contact = contact_or_404(pk)
    form = InteractionForm(request.POST)
    if form.is_valid():
        try:
            services.interaction_log(contact=contact, recruiter=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            form = None
    return _panel_response(request, contact, TIMELINE, form, also_oob=(RELATIONSHIP,))


@require_POST
def relationship_update(request: HttpRequest, pk: int) -> HttpResponse:
    contact = contact_or_404(pk)
    relationship = selectors.relationship_get(contact=contact)
    if relationship is None:
        raise Http404("Nobody owns this contact yet: log a touch to become its owner.")
    form = RelationshipTierForm(request.POST)
    if form.is_valid():
        try:
            services.relationship_update(
                relationship=relationship, user=request.user, tier=form.cleaned_data["tier"]
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            form = None
    return _panel_response(request, contact, RELATIONSHIP, form)


@require_POST
def connection_create(request: HttpRequest, pk: int) -> HttpResponse:
    contact = contact_or_404(pk)
    form = ConnectionForm(request.POST, contact=contact)
    if form.is_valid():
        from_contact, to_contact = form.connection_ends()
        try:
            services.connection_create(
                from_contact=from_contact,
                to_contact=to_contact,
                kind=form.cleaned_data["kind"],
                note=form.cleaned_data["note"],
                user=request.user,
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            form = None
    return _panel_response(request, contact, CONNECTIONS, form)


@require_GET
def connection_matches(request: HttpRequest, pk: int) -> HttpResponse:
    """The contacts matching what is typed in the connection form (htmx, as the recruiter
    types), to pick the other contact from."""
    contact = contact_or_404(pk)
    form = ConnectionForm(contact=contact)
    query = request.GET.get(form.add_prefix("other_query"), "").strip()
    matches = form.matches_find(query) if query else []
    response = render(
        request,
        "relationships/partials/connection_matches.html",
        {"form": form, "matches": matches, "query": query},
    )
    patch_vary_headers(response, ["HX-Request"])
    return response


urlpatterns = [
    path("contacts/<int:pk>/interactions/", interaction_create, name="interaction-create"),
    path("contacts/<int:pk>/relationship/", relationship_update, name="relationship-update"),
    path("contacts/<int:pk>/connections/", connection_create, name="connection-create"),
    path("contacts/<int:pk>/connections/matches/", connection_matches, name="connection-matches"),
]
