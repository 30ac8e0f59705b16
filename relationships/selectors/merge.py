"""Reads of the merge pages: finding the other contact, and the two side by side."""

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from contacts.models import Contact, Employment, Fact
from relationships.models import Connection, Interaction

MERGE_SEARCH_LIMIT = 20


def contact_merge_candidate_list(
    *, query: str, exclude_id: int, limit: int = MERGE_SEARCH_LIMIT
) -> list[Contact]:
    """Contacts whose name starts with `query`: "smith", "smith ana", "ana smith" or "ana"."""
    words = query.lower().split()
    if not words:
        return []
    # sort_name is "last first", lowercase.
    match = Q(sort_name__startswith=" ".join(words))
    if len(words) > 1:
        match |= Q(sort_name__startswith=" ".join([words[-1], *words[:-1]]))
    else:
        match |= Q(first_name__istartswith=words[0])
    return list(
        Contact.objects.filter(match)
        .exclude(pk=exclude_id)
        .select_related("organization")
        .order_by("sort_name", "id")[:limit]
    )


def contact_exists(*, contact_id: int) -> bool:
    return Contact.objects.filter(pk=contact_id).exists()


def _count(model: type[Fact | Interaction | Employment | Connection], field: str) -> Coalesce:
    rows = (
        model.objects.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(total=Count("pk"))
        .values("total")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def contact_merge_pair_list(*, contact_ids: list[int]) -> dict[int, Contact]:
    """The contacts by id, with organization, owner and how many facts, interactions,
    employments and connections each has: one query whatever those counts."""
    contacts = (
        Contact.objects.filter(pk__in=contact_ids)
        .select_related("organization", "relationship__owner")
        .annotate(
            fact_count=_count(Fact, "contact"),
            interaction_count=_count(Interaction, "contact"),
            employment_count=_count(Employment, "contact"),
            connection_from_count=_count(Connection, "from_contact"),
            connection_to_count=_count(Connection, "to_contact"),
        )
    )
    return {contact.pk: contact for contact in contacts}
