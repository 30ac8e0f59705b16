"""The re-consent email's page (followups.consent): no login, the signed link is the credential.
Reading it changes nothing (mail scanners open links); the person's answer is a POST."""

from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_http_methods

from contacts.views.pages import contact_or_404
from followups.consent import (
    consent_confirm,
    consent_contact_id,
    erasure_request,
    held_list,
)

ANSWERS = {"keep", "forget"}


@login_not_required
@require_http_methods(["GET", "POST"])
def consent(request: HttpRequest, token: str) -> HttpResponse:
    try:
        contact_id = consent_contact_id(token)
    except signing.BadSignature:
        return HttpResponseBadRequest(
            "This link is not valid or has expired. Nothing was recorded: reply to the email "
            "instead, and we will take care of it.",
            content_type="text/plain",
        )
    contact = contact_or_404(contact_id)
    answer = request.POST.get("answer", "") if request.method == "POST" else ""
    if answer == "keep":
        contact = consent_confirm(contact=contact)
    elif answer == "forget":
        erasure_request(contact=contact)
    elif request.method == "POST":
        return HttpResponseBadRequest("Choose keep or forget.", content_type="text/plain")
    return render(
        request,
        "followups/consent.html",
        {"contact": contact, "token": token, "answer": answer, "held": held_list(contact)},
    )


urlpatterns = [path("consent/<str:token>/", consent, name="consent")]
