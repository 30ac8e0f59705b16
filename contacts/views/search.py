"""The search page: one box over contacts and organizations, live with htmx, plain GET without."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from contacts.panels import SEARCH_RESULTS
from contacts.search import CONTACT_LIMIT, ORGANIZATION_LIMIT, contact_search, organization_search

RESULTS_TEMPLATE = "contacts/partials/search_results.html"


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    context = {
        "query": query,
        "contacts": contact_search(query=query, limit=CONTACT_LIMIT),
        "organizations": organization_search(query=query, limit=ORGANIZATION_LIMIT),
        "contact_limit": CONTACT_LIMIT,
        # Higher apps' sections (contacts.panels.SEARCH_RESULTS), each a bounded query.
        "sections": SEARCH_RESULTS.render_list(request, query) if query else [],
    }
    # An htmx history restore needs the whole page; a live search only the results.
    partial = request.htmx and not request.htmx.history_restore_request
    response = render(request, RESULTS_TEMPLATE if partial else "contacts/search.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


urlpatterns = [
    path("search/", search, name="search"),
]
