"""The market notes API under /api/v1/ (see crm/api_urls.py): notes the user may see (list,
read, create, change, confirm, retire; DELETE retires, keeping the note's history) and
suggestions for a contact or a job. The services check who may change what (a 403)."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from contacts.models import Contact
from core.api_support import (
    ApiViewSet,
    KeysetPagination,
    id_param,
    object_or_404,
    service_errors,
)
from jobs.models import Job
from market import selectors, services
from market.serializers import (
    MarketNoteSerializer,
    MarketNoteWriteSerializer,
    SuggestionSerializer,
)


class MarketNotePagination(KeysetPagination):
    ordering = ("-id",)


@extend_schema(tags=["market"])
class MarketNoteViewSet(ApiViewSet):
    """Market notes and salary facts, with their freshness."""

    serializer_class = MarketNoteSerializer
    pagination_class = MarketNotePagination
    lookup_value_converter = "int"

    def get_queryset(self):
        return selectors.note_queryset(user=self.request.user)

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(MarketNoteSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(MarketNoteSerializer(self.get_object()).data)

    @extend_schema(request=MarketNoteWriteSerializer, responses={201: MarketNoteSerializer})
    def create(self, request: Request) -> Response:
        given = MarketNoteWriteSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        with service_errors():
            note = services.note_create(author=request.user, **given.validated_data)
        return Response(MarketNoteSerializer(note).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=MarketNoteWriteSerializer, responses=MarketNoteSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        note = self.get_object()
        given = MarketNoteWriteSerializer(data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        with service_errors():
            note = services.note_update(note=note, user=request.user, **given.validated_data)
        return Response(MarketNoteSerializer(note).data)

    @extend_schema(request=None, responses={204: None}, description="Retire the note.")
    def destroy(self, request: Request, pk: str) -> Response:
        with service_errors():
            services.note_retire(note=self.get_object(), user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses=MarketNoteSerializer, description="Still true.")
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: str) -> Response:
        with service_errors():
            note = services.note_confirm(note=self.get_object(), user=request.user)
        return Response(MarketNoteSerializer(note).data)

    @extend_schema(
        parameters=[
            OpenApiParameter("contact", int, description="A contact's id."),
            OpenApiParameter("job", int, description="A job's id."),
        ],
        responses=SuggestionSerializer(many=True),
        description="The three most relevant fresh notes for a contact or a job, with why.",
    )
    @action(detail=False, methods=["get"])
    def suggestions(self, request: Request) -> Response:
        contact_id = id_param(request, "contact")
        job_id = id_param(request, "job")
        if contact_id is not None:
            contact = object_or_404(Contact.objects.select_related("organization"), pk=contact_id)
            found = selectors.contact_suggestions(user=request.user, contact=contact)
        elif job_id is not None:
            job = object_or_404(Job.objects.select_related("organization"), pk=job_id)
            found = selectors.job_suggestions(user=request.user, job=job)
        else:
            raise exceptions.ValidationError({"contact": ["Give a contact or a job id."]})
        return Response(SuggestionSerializer(found, many=True).data)


router = SimpleRouter(use_regex_path=False)
router.register("market-notes", MarketNoteViewSet, basename="api-market-note")
urlpatterns = router.urls

__all__ = ["urlpatterns"]
