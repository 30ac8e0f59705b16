from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET


@require_GET
def contact_list(request: HttpRequest) -> HttpResponse:
    return render(request, "relationships/contact_list.html")


urlpatterns = [
    path("contacts/", contact_list, name="contact-list"),
    path("contacts/new/", contact_list, name="contact-new"),
    path("contacts/export.csv", contact_list, name="contact-export"),
]
