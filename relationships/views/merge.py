"""Merging two contacts: choose the duplicate, compare them side by side, confirm."""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from contacts.models import Contact
from contacts.selectors import contact_duplicate_list
from contacts.views.pages import contact_or_404
from relationships import selectors, services
from relationships.forms.merge import MergeForm
from relationships.permissions import can_merge

NOT_ALLOWED = "Only a manager, an admin or the recruiter who owns both contacts merges them."
INTO_ITSELF = "A contact cannot be merged into itself: choose another contact."


@require_GET
def contact_merge_choose(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 1: suggested duplicates, and a search by id or name for any other contact."""
    contact = contact_or_404(pk)
    if not can_merge(request.user, contact):
        raise PermissionDenied(NOT_ALLOWED)
    query = request.GET.get("q", "").strip()
    error = ""
    results: list[Contact] = []
    if query.lstrip("#").isdigit():
        other_id = int(query.lstrip("#"))
        if other_id == contact.pk:
            error = INTO_ITSELF
        elif selectors.contact_exists(contact_id=other_id):
            return redirect("relationships:contact-merge-compare", pk=contact.pk, other_pk=other_id)
        else:
            error = f"There is no contact #{other_id}."
    elif query:
        results = selectors.contact_merge_candidate_list(query=query, exclude_id=contact.pk)
    duplicates = contact_duplicate_list(
        emails=contact.emails,
        phones=contact.phones,
        linkedin_url=contact.linkedin_url,
        exclude_id=contact.pk,
    )
    return render(
        request,
        "relationships/merge_choose.html",
        {
            "contact": contact,
            "duplicates": duplicates,
            "query": query,
            "results": results,
            "error": error,
        },
    )


@require_http_methods(["GET", "POST"])
def contact_merge_compare(request: HttpRequest, pk: int, other_pk: int) -> HttpResponse:
    """Steps 2 and 3: both contacts side by side with the choice of survivor; POST merges."""
    if pk == other_pk:
        messages.error(request, INTO_ITSELF)
        return redirect("relationships:contact-merge", pk=pk)
    pair = selectors.contact_merge_pair_list(contact_ids=[pk, other_pk])
    if len(pair) != 2:
        raise Http404("One of the two contacts does not exist.")
    contact, other = pair[pk], pair[other_pk]
    if not can_merge(request.user, contact, other):
        raise PermissionDenied(NOT_ALLOWED)
    form = MergeForm(request.POST or None, contact=contact, other=other)
    if request.method == "POST" and form.is_valid():
        survivor, duplicate = form.survivor_and_duplicate()
        try:
            result = services.contact_merge(
                survivor=survivor, duplicate=duplicate, user=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                f"Merged “{result.duplicate_name}” (#{result.duplicate_id}) into "
                f"{result.survivor.full_name}.",
            )
            return redirect("contacts:contact-detail", pk=result.survivor.pk)
    return render(
        request,
        "relationships/merge_compare.html",
        {
            "contact": contact,
            "other": other,
            "form": form,
            "rows": comparison_rows(contact, other),
        },
    )


@dataclass(frozen=True)
class ComparisonRow:
    label: str
    left: str
    right: str

    @property
    def differs(self) -> bool:
        return self.left != self.right


def comparison_rows(left: Contact, right: Contact) -> list[ComparisonRow]:
    """What each of the two contacts holds, field by field."""
    return [ComparisonRow(label, value(left), value(right)) for label, value in COMPARED_FIELDS]


def _owner(contact: Contact) -> str:
    relationship = getattr(contact, "relationship", None)
    return str(relationship.owner) if relationship else "Nobody"


def _last_touch(contact: Contact) -> str:
    relationship = getattr(contact, "relationship", None)
    if relationship is None or relationship.last_touch_at is None:
        return "Never"
    return f"{timezone.localtime(relationship.last_touch_at):%Y-%m-%d}"


ROLE_LABELS = dict(Contact.Role.choices)
COMPARED_FIELDS = [
    ("Name", lambda c: c.full_name),
    ("Emails", lambda c: ", ".join(c.emails)),
    ("Phones", lambda c: ", ".join(c.phones)),
    ("LinkedIn", lambda c: c.linkedin_url),
    ("Organization", lambda c: c.organization.name if c.organization else ""),
    ("Title", lambda c: c.title),
    ("Roles", lambda c: ", ".join(ROLE_LABELS.get(role, role) for role in c.roles)),
    ("Tags", lambda c: ", ".join(c.tags)),
    ("Owner", _owner),
    ("Last touch", _last_touch),
    ("No automatic emails", lambda c: "Yes" if c.email_opt_out else "No"),
    ("Do not contact", lambda c: "Yes" if c.do_not_contact else "No"),
    ("Facts", lambda c: str(c.fact_count)),
    ("Timeline entries", lambda c: str(c.interaction_count)),
    ("Career steps", lambda c: str(c.employment_count)),
    ("Connections", lambda c: str(c.connection_from_count + c.connection_to_count)),
]


urlpatterns = [
    path("contacts/<int:pk>/merge/", contact_merge_choose, name="contact-merge"),
    path(
        "contacts/<int:pk>/merge/<int:other_pk>/",
        contact_merge_compare,
        name="contact-merge-compare",
    ),
]
