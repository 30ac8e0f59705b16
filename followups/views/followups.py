"""Follow-ups: new, complete, snooze."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods, require_POST

from contacts.views.pages import contact_or_404
from followups import selectors, services
from followups.forms import (
    FollowUpCompleteForm,
    FollowUpForm,
    FollowUpSnoozeForm,
)


@require_http_methods(["GET", "POST"])
def followup_new(request: HttpRequest, contact_pk: int) -> HttpResponse:
    contact = contact_or_404(contact_pk)
    form = FollowUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.followup_create(
                owner=request.user,
                contact=contact,
                summary=form.cleaned_data["summary"],
                kind=form.cleaned_data["kind"],
                due_at=form.cleaned_data["due_at"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"Follow-up with {contact} added.")
            return redirect(settings.LOGIN_REDIRECT_URL)
    status = 400 if form.errors else 200
    return render(
        request, "followups/followup_form.html", {"form": form, "contact": contact}, status=status
    )


@require_POST
def followup_complete(request: HttpRequest, pk: int) -> HttpResponse:
    followup = selectors.followup_get(user=request.user, pk=pk)
    if not followup.is_open:
        # Done already, say by the call logged on the contact's page: nothing is logged twice.
        messages.info(request, f"Already done: {followup.summary} ({followup.outcome}).")
        return redirect(settings.LOGIN_REDIRECT_URL)
    form = FollowUpCompleteForm(request.POST)
    if form.is_valid():
        try:
            services.followup_complete(
                followup=followup, user=request.user, outcome=form.cleaned_data["outcome"]
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"Done: {followup.summary}. The outcome is on the timeline.")
            return redirect(settings.LOGIN_REDIRECT_URL)
    messages.error(request, "Say how it went: " + " ".join(_errors(form)))
    return redirect(settings.LOGIN_REDIRECT_URL)


@require_POST
def followup_snooze(request: HttpRequest, pk: int) -> HttpResponse:
    followup = selectors.followup_get(user=request.user, pk=pk)
    form = FollowUpSnoozeForm(request.POST)
    if form.is_valid():
        try:
            services.followup_snooze(
                followup=followup, user=request.user, until=form.cleaned_data["until"]
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"Snoozed: {followup.summary}.")
            return redirect(settings.LOGIN_REDIRECT_URL)
    messages.error(request, "Not snoozed: " + " ".join(_errors(form)))
    return redirect(settings.LOGIN_REDIRECT_URL)


def _errors(form) -> list[str]:
    return [message for errors in form.errors.values() for message in errors]


urlpatterns = [
    path("followups/new/<int:contact_pk>", followup_new, name="followup-new"),
    path("followups/<int:pk>/complete", followup_complete, name="followup-complete"),
    path("followups/<int:pk>/snooze", followup_snooze, name="followup-snooze"),
]
