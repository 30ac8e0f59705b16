"""The API of this app under /api/v1/ (see crm/api_urls.py): contacts with their relationship
(list, search, onboard, change, merge), the timeline, relationships, connections and handoffs.

Every recruiter sees every contact; what belongs to an owner (tier and cadence, merging, handing
off) is checked by the services (relationships.permissions), whose PermissionDenied is a 403.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from accounts.models import User
from contacts import selectors as contact_selectors
from contacts import services as contact_services
from contacts.models import Contact
from contacts.selectors import DuplicateMatch, contact_duplicate_match_list
from contacts.serializers import ContactQuerySerializer
from core.api_support import (
    ApiViewSet,
    KeysetPagination,
    OnePagePagination,
    SelectorPagination,
    error_response,
    error_schema,
    object_or_404,
    page_response,
    service_errors,
)
from relationships import selectors, services
from relationships.serializers import (
    ConnectionCreateSerializer,
    ConnectionSerializer,
    ContactCreateSerializer,
    ContactDetailSerializer,
    ContactListItemSerializer,
    ContactListQuerySerializer,
    ContactUpdateSerializer,
    HandoffCreateSerializer,
    HandoffSerializer,
    InteractionCreateSerializer,
    InteractionSerializer,
    MergeInputSerializer,
    MergeResultSerializer,
    RelationshipSerializer,
    RelationshipUpdateSerializer,
)

DuplicateErrorSerializer = error_schema(
    "DuplicateContactError",
    duplicates=serializers.ListField(
        child=serializers.IntegerField(), help_text="Ids of the existing contacts."
    ),
)


def _contact_detail_get(contact_id: int, user: User) -> Contact:
    return object_or_404(selectors.contact_detail_queryset(user=user), pk=contact_id)


def _contact_or_404(pk: str) -> Contact:
    try:
        return contact_selectors.contact_get(contact_id=int(pk))
    except (ValueError, Contact.DoesNotExist) as error:
        raise exceptions.NotFound("No Contact matches the given query.") from error


def _owner_filter(owner: str | None, user: User) -> int | str | None:
    """`?owner=` as ContactFilters wants it: "me" is the user's id, "none" stays "none"."""
    if owner == "me":
        return user.pk
    if owner == "none" or owner is None:
        return owner
    return int(owner)


def _duplicate_fields(matches: list[DuplicateMatch]) -> dict[str, list[str]]:
    """Which of the given identities each duplicate shares, by field."""
    fields: dict[str, list[str]] = {}
    for match in matches:
        who = f"{match.contact.full_name} (#{match.contact.pk})"
        for email in sorted(match.emails):
            fields.setdefault("emails", []).append(f"{who} already has {email}.")
        if match.phones:
            fields.setdefault("phones", []).append(f"{who} already has this phone number.")
        if match.linkedin:
            fields.setdefault("linkedin_url", []).append(f"{who} has this LinkedIn profile.")
    return fields


# --- contacts ------------------------------------------------------------------------------------


@extend_schema(tags=["contacts"])
class ContactViewSet(ApiViewSet):
    """Contacts with their owner's relationship, career and pinned facts."""

    serializer_class = ContactDetailSerializer
    # relationships.selectors.contact_list pages by its own keyset (sort name, id).
    pagination_class = SelectorPagination
    lookup_value_converter = "int"

    def get_queryset(self):
        return selectors.contact_detail_queryset(user=self.request.user)

    @extend_schema(
        parameters=[ContactListQuerySerializer],
        responses=ContactListItemSerializer,
        description="Contacts in name order, filtered, one page at a time (follow `next`).",
    )
    def list(self, request: Request) -> Response:
        query = ContactListQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        given = query.validated_data
        limit = self.paginator.limit_from(request)
        text = given.get("q", "").strip()
        if text:
            found = selectors.contact_search_list(query=text, limit=limit)
            return page_response(ContactListItemSerializer(found, many=True).data)
        filters = selectors.ContactFilters(
            owner=_owner_filter(given.get("owner"), request.user),
            role=given.get("role", ""),
            tag=given.get("tag", ""),
            tier=given.get("tier", ""),
            overdue=given["overdue"],
            organization=given.get("organization"),
        )
        try:
            page = selectors.contact_list(
                filters=filters, after=request.query_params.get("after"), limit=limit
            )
        except selectors.InvalidCursor as error:
            raise exceptions.ValidationError({"after": [str(error)]}) from error
        return self.paginator.page_response(
            request, ContactListItemSerializer(page.contacts, many=True).data, page.next_cursor
        )

    @extend_schema(
        request=ContactCreateSerializer,
        responses={201: ContactDetailSerializer, 409: DuplicateErrorSerializer},
        description="A new contact and its relationship. When existing contacts share an email, "
        'phone or LinkedIn profile, 409 lists them, unless `"allow_duplicate": true`.',
    )
    def create(self, request: Request) -> Response:
        given = ContactCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        fields = dict(given.validated_data)
        owner: User = fields.pop("owner", request.user)
        tier = fields.pop("tier")
        if not fields.pop("allow_duplicate"):
            matches = contact_duplicate_match_list(
                emails=fields.get("emails", ()),
                phones=fields.get("phones", ()),
                linkedin_url=fields.get("linkedin_url", ""),
            )
            if matches:
                names = ", ".join(f"{m.contact.full_name} (#{m.contact.pk})" for m in matches)
                return error_response(
                    status=status.HTTP_409_CONFLICT,
                    code="duplicate",
                    message=f"This may be {names}: merge or update that contact, or send "
                    '"allow_duplicate": true to create a new one anyway.',
                    fields=_duplicate_fields(matches),
                    duplicates=[match.contact.pk for match in matches],
                )
        with service_errors():
            contact = services.contact_onboard(owner=owner, user=request.user, tier=tier, **fields)
        return Response(
            ContactDetailSerializer(_contact_detail_get(contact.pk, request.user)).data,
            status=status.HTTP_201_CREATED,
        )

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(ContactDetailSerializer(self.get_object()).data)

    @extend_schema(request=ContactUpdateSerializer, responses=ContactDetailSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        contact = _contact_or_404(pk)
        given = ContactUpdateSerializer(data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        changes = dict(given.validated_data)
        moved_on = changes.pop("moved_on", None)
        with service_errors():
            contact_services.contact_update(
                contact=contact, moved_on=moved_on, user=request.user, **changes
            )
        return Response(ContactDetailSerializer(_contact_detail_get(contact.pk, request.user)).data)

    @extend_schema(
        request=MergeInputSerializer,
        responses=MergeResultSerializer,
        description="Fold `duplicate` into this contact (its emails, phones, timeline, facts, "
        "connections...) and delete it. Managers, admins, or the recruiter owning both.",
    )
    @action(detail=True, methods=["post"], url_path="merge")
    def merge(self, request: Request, pk: str) -> Response:
        survivor = _contact_or_404(pk)
        given = MergeInputSerializer(data=request.data, context={"survivor": survivor})
        given.is_valid(raise_exception=True)
        with service_errors():
            result = services.contact_merge(
                survivor=survivor, duplicate=given.validated_data["duplicate"], user=request.user
            )
        return Response(
            MergeResultSerializer(
                {
                    "survivor": _contact_detail_get(result.survivor.pk, request.user),
                    "duplicate_id": result.duplicate_id,
                    "duplicate_name": result.duplicate_name,
                    "moved": result.moved,
                }
            ).data
        )


# --- the timeline --------------------------------------------------------------------------------


class InteractionPagination(KeysetPagination):
    ordering = ("-occurred_at", "-id")


@extend_schema(tags=["interactions"])
class InteractionViewSet(ApiViewSet):
    """The timeline: every call, email, meeting, note, message, stage change, handoff, merge."""

    queryset = selectors.interaction_queryset()
    serializer_class = InteractionSerializer
    pagination_class = InteractionPagination
    lookup_value_converter = "int"

    @extend_schema(
        parameters=[ContactQuerySerializer], description="A contact's timeline, newest first."
    )
    def list(self, request: Request) -> Response:
        query = ContactQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        page = self.paginate_queryset(
            selectors.interaction_queryset(contact=query.validated_data["contact"])
        )
        return self.get_paginated_response(InteractionSerializer(page, many=True).data)

    @extend_schema(
        request=InteractionCreateSerializer,
        responses={201: InteractionSerializer},
        description="Log a touch or a note as you. A call, email or meeting moves the "
        "relationship's last and next touch; an unowned contact becomes yours.",
    )
    def create(self, request: Request) -> Response:
        given = InteractionCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        with service_errors():
            interaction = services.interaction_log(recruiter=request.user, **given.validated_data)
        return Response(InteractionSerializer(interaction).data, status=status.HTTP_201_CREATED)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(InteractionSerializer(self.get_object()).data)


# --- relationships -------------------------------------------------------------------------------


@extend_schema(tags=["relationships"])
class RelationshipViewSet(ApiViewSet):
    """A contact's relationship with its owner, addressed by the contact's id."""

    queryset = selectors.relationship_queryset()
    serializer_class = RelationshipSerializer
    pagination_class = None
    lookup_field = "contact_id"
    lookup_value_converter = "int"

    def retrieve(self, request: Request, contact_id: str) -> Response:
        return Response(RelationshipSerializer(self.get_object()).data)

    @extend_schema(
        request=RelationshipUpdateSerializer,
        responses=RelationshipSerializer,
        description="Change tier and/or cadence: the owner, a manager or an admin.",
    )
    def partial_update(self, request: Request, contact_id: str) -> Response:
        relationship = self.get_object()
        given = RelationshipUpdateSerializer(data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        with service_errors():
            relationship = services.relationship_update(
                relationship=relationship, user=request.user, **given.validated_data
            )
        return Response(RelationshipSerializer(relationship).data)


# --- connections ---------------------------------------------------------------------------------


@extend_schema(tags=["connections"])
class ConnectionViewSet(ApiViewSet):
    """How two contacts know each other."""

    queryset = selectors.connection_queryset()
    serializer_class = ConnectionSerializer
    pagination_class = OnePagePagination
    lookup_value_converter = "int"

    @extend_schema(
        parameters=[ContactQuerySerializer],
        description="Every connection from or to a contact, in one page (`next` is null).",
    )
    def list(self, request: Request) -> Response:
        query = ContactQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        connections = selectors.connection_list(contact=query.validated_data["contact"])
        return page_response(ConnectionSerializer(connections, many=True).data)

    @extend_schema(request=ConnectionCreateSerializer, responses={201: ConnectionSerializer})
    def create(self, request: Request) -> Response:
        given = ConnectionCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        with service_errors():
            connection = services.connection_create(user=request.user, **given.validated_data)
        return Response(ConnectionSerializer(connection).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={204: None})
    def destroy(self, request: Request, pk: str) -> Response:
        connection = self.get_object()
        with service_errors():
            services.connection_delete(connection=connection)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- handoffs ------------------------------------------------------------------------------------


class HandoffPagination(KeysetPagination):
    ordering = ("-created_at", "-id")


@extend_schema(tags=["handoffs"])
class HandoffViewSet(ApiViewSet):
    """Relationships moved from one recruiter to another, newest first."""

    queryset = selectors.handoff_queryset()
    serializer_class = HandoffSerializer
    pagination_class = HandoffPagination
    lookup_value_converter = "int"

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(HandoffSerializer(page, many=True).data)

    @extend_schema(
        request=HandoffCreateSerializer,
        responses={201: HandoffSerializer},
        description="Move the listed contacts' relationships (or all of them) to another "
        "recruiter, with a note on every moved contact's timeline. Recruiters hand off their own "
        "relationships; managers and admins anyone's.",
    )
    def create(self, request: Request) -> Response:
        given = HandoffCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        fields = given.validated_data
        with service_errors():
            handoff = services.relationship_handoff(
                from_recruiter=fields.get("from_recruiter", request.user),
                to_recruiter=fields["to_recruiter"],
                performed_by=request.user,
                note=fields.get("note", ""),
                contacts=fields.get("contacts"),
            )
        return Response(HandoffSerializer(handoff).data, status=status.HTTP_201_CREATED)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(HandoffSerializer(self.get_object()).data)


router = SimpleRouter(use_regex_path=False)
router.register("contacts", ContactViewSet, basename="api-contact")
router.register("interactions", InteractionViewSet, basename="api-interaction")
router.register("relationships", RelationshipViewSet, basename="api-relationship")
router.register("connections", ConnectionViewSet, basename="api-connection")
router.register("handoffs", HandoffViewSet, basename="api-handoff")

urlpatterns = router.urls
