"""Organization pages: the list (keyset-paginated by name), one organization with its people,
former people and the panels higher apps register in contacts.panels.ORGANIZATION_PAGE (and,
when the people are more than it shows, the links registered in ORGANIZATION_PEOPLE), and a form
for a new one."""

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods

from contacts import selectors, services
from contacts.forms.organizations import OrganizationForm
from contacts.models import Organization
from contacts.panels import ORGANIZATION_PAGE, ORGANIZATION_PEOPLE
from core.cursors import InvalidCursor

PEOPLE_LIMIT = 50


# --- views ---------------------------------------------------------------------------------------


@require_GET
def organization_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    context = {"kind": kind, "kinds": Organization.Kind.choices, "error": ""}
    if kind and kind not in Organization.Kind.values:
        known = ", ".join(Organization.Kind.values)
        context["error"] = f"Unknown kind “{kind}”: choose one of {known}."
        return render(request, "contacts/organization_list.html", context, status=400)
    try:
        page = selectors.organization_page_list(kind=kind, after=request.GET.get("after") or None)
    except InvalidCursor as error:
        context["error"] = str(error)
        return render(request, "contacts/organization_list.html", context, status=400)
    context["page"] = page
    return render(request, "contacts/organization_list.html", context)


@require_GET
def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        organization = selectors.organization_get(organization_id=pk)
    except Organization.DoesNotExist as error:
        raise Http404(f"There is no organization number {pk}.") from error
    people = selectors.organization_people_list(organization=organization, limit=PEOPLE_LIMIT + 1)
    context = {
        "organization": organization,
        "people": people[:PEOPLE_LIMIT],
        "more_people": len(people) > PEOPLE_LIMIT,
        "people_links": ORGANIZATION_PEOPLE.render_list(organization),
        "former_people": selectors.organization_former_people_list(organization=organization),
        "panels": ORGANIZATION_PAGE.render_list(request, organization),
    }
    return render(request, "contacts/organization_detail.html", context)


@require_http_methods(["GET", "POST"])
def organization_new(request: HttpRequest) -> HttpResponse:
    form = OrganizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organization = services.organization_create(**form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            return redirect("contacts:organization-detail", pk=organization.pk)
    status = 400 if form.errors else 200
    return render(request, "contacts/organization_form.html", {"form": form}, status=status)


urlpatterns = [
    path("organizations/", organization_list, name="organization-list"),
    path("organizations/new/", organization_new, name="organization-new"),
    path("organizations/<int:pk>/", organization_detail, name="organization-detail"),
]
