"""Unsubscribe: no login, the signed link is the credential."""

from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from contacts.models import Contact
from contacts.views.pages import contact_or_404
from followups import services
from followups.content import unsubscribe_contact_id


def _contact_from_token(token: str) -> Contact:
    try:
        contact_id = unsubscribe_contact_id(token)
    except signing.BadSignature as error:
        raise Http404("This unsubscribe link is not valid.") from error
    return contact_or_404(contact_id)


@login_not_required
@csrf_exempt  # RFC 8058: mail clients POST "List-Unsubscribe=One-Click" without a CSRF token.
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    contact = _contact_from_token(token)
    if request.method == "POST":
        services.contact_unsubscribe(contact=contact)
        return render(request, "followups/unsubscribed.html", {"contact": contact})
    return render(
        request,
        "followups/unsubscribe.html",
        {"contact": contact, "token": token, "done": contact.email_opt_out},
    )


urlpatterns = [
    path("unsubscribe/<str:token>/", unsubscribe, name="unsubscribe"),
]
