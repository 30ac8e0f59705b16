"""Ratings: no login, the signed link is the credential. A bad link is a plain 400 page."""

from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_http_methods

from followups.ratings import rating_answer, rating_from_token


@login_not_required
@require_http_methods(["GET", "POST"])
def rate(request: HttpRequest, token: str) -> HttpResponse:
    try:
        rating, answer = rating_from_token(token)
    except signing.BadSignature:
        return HttpResponseBadRequest(
            "This rating link is not valid or has expired. Nothing was recorded.",
            content_type="text/plain",
        )
    comment = request.POST.get("comment", "") if request.method == "POST" else None
    rating = rating_answer(rating=rating, answer=answer, comment=comment)
    return render(
        request,
        "followups/rated.html",
        {"rating": rating, "token": token, "commented": comment is not None},
    )


urlpatterns = [path("rate/<str:token>/", rate, name="rate")]
