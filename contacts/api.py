"""The API of this app under /api/v1/ (see crm/api_urls.py): organizations and facts.

Contacts themselves are served one layer up (relationships.api), where a contact comes with its
relationship. Every recruiter sees every organization and every contact's facts.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from contacts import selectors, services
from contacts.search import organization_search
from contacts.serializers import (
    ContactQuerySerializer,
    FactCreateSerializer,
    FactSerializer,
    FactUpdateSerializer,
    OrganizationInputSerializer,
    OrganizationListQuerySerializer,
    OrganizationSerializer,
)
from core.api_support import ApiViewSet, KeysetPagination, page_response, service_errors


class OrganizationPagination(KeysetPagination):
    ordering = ("name", "id")


class FactPagination(KeysetPagination):
    # The order of contacts.selectors.fact_list: pinned first, then the most recently learned.
    ordering = ("-pinned", "-learned_on", "-id")


@extend_schema(tags=["organizations"])
class OrganizationViewSet(ApiViewSet):
    """Client, prospect and other companies."""

    queryset = selectors.organization_queryset()
    serializer_class = OrganizationSerializer
    pagination_class = OrganizationPagination
    lookup_value_converter = "int"

    @extend_schema(
        parameters=[OrganizationListQuerySerializer],
        description="Organizations by name; with `q`, one page of the best matches by name, "
        "domain or industry (`next` is then null).",
    )
    def list(self, request: Request) -> Response:
        query = OrganizationListQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        text = query.validated_data.get("q", "").strip()
        if text:
            limit = self.paginator.limit_from(request)
            found = organization_search(query=text, limit=limit)
            return page_response(OrganizationSerializer(found, many=True).data)
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(OrganizationSerializer(page, many=True).data)

    @extend_schema(request=OrganizationInputSerializer, responses={201: OrganizationSerializer})
    def create(self, request: Request) -> Response:
        given = OrganizationInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        with service_errors():
            organization = services.organization_create(**given.validated_data)
        return Response(OrganizationSerializer(organization).data, status=status.HTTP_201_CREATED)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(OrganizationSerializer(self.get_object()).data)

    @extend_schema(request=OrganizationInputSerializer, responses=OrganizationSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        organization = self.get_object()
        given = OrganizationInputSerializer(data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        with service_errors():
            organization = services.organization_update(
                organization=organization, **given.validated_data
            )
        return Response(OrganizationSerializer(organization).data)


@extend_schema(tags=["facts"])
class FactViewSet(ApiViewSet):
    """Remembered personal details of a contact: family, interests, constraints, goals..."""

    serializer_class = FactSerializer
    pagination_class = FactPagination
    lookup_value_converter = "int"

    def get_queryset(self):
        # The facts the user may see: a sensitive one is its author's, the contact's owner's,
        # their manager's and admins' (contacts.permissions); anyone else gets 404.
        return selectors.fact_queryset(user=self.request.user)

    @extend_schema(
        parameters=[ContactQuerySerializer],
        description="One contact's facts: pinned first, then the most recently learned.",
    )
    def list(self, request: Request) -> Response:
        query = ContactQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        facts = selectors.fact_list(contact=query.validated_data["contact"], user=request.user)
        page = self.paginate_queryset(facts)
        return self.get_paginated_response(FactSerializer(page, many=True).data)

    @extend_schema(request=FactCreateSerializer, responses={201: FactSerializer})
    def create(self, request: Request) -> Response:
        given = FactCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        with service_errors():
            fact = services.fact_create(author=request.user, **given.validated_data)
        return Response(FactSerializer(fact).data, status=status.HTTP_201_CREATED)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(FactSerializer(self.get_object()).data)

    @extend_schema(request=FactUpdateSerializer, responses=FactSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        fact = self.get_object()
        given = FactUpdateSerializer(data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        with service_errors():
            fact = services.fact_update(fact=fact, user=request.user, **given.validated_data)
        return Response(FactSerializer(fact).data)

    @extend_schema(responses={204: None})
    def destroy(self, request: Request, pk: str) -> Response:
        fact = self.get_object()
        with service_errors():
            services.fact_delete(fact=fact, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


router = SimpleRouter(use_regex_path=False)
router.register("organizations", OrganizationViewSet, basename="api-organization")
router.register("facts", FactViewSet, basename="api-fact")

urlpatterns = router.urls
