from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    return render(request, "contacts/search.html", {"query": request.GET.get("q", "").strip()})


urlpatterns = [
    path("search/", search, name="search"),
]
