"""The dashboards' API under /api/v1/dashboards/ (see crm/api_urls.py): the overview, the weekly
trends and each figure's records, with the pages' parameters and permissions
(dashboards.permissions.scope_resolve: another recruiter's or team's figures are a 403, an
unknown team or recruiter a 404)."""

from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api_support import SelectorPagination, error_schema
from dashboards import selectors, snapshots
from dashboards.permissions import scope_resolve
from dashboards.serializers import (
    DashboardQuerySerializer,
    FigureQuerySerializer,
    FigureRecordSerializer,
    OverviewSerializer,
    TrendsSerializer,
)

ERRORS = {
    400: error_schema("DashboardBadRequest"),
    403: error_schema("DashboardForbidden"),
    404: error_schema("DashboardNotFound"),
}


def _query(request: Request, serializer_class=DashboardQuerySerializer):
    query = serializer_class(data=request.query_params)
    query.is_valid(raise_exception=True)
    return query


class FigurePagination(SelectorPagination):
    page_size = selectors.PAGE_SIZE


@extend_schema(tags=["dashboards"])
class OverviewView(APIView):
    @extend_schema(
        parameters=[DashboardQuerySerializer],
        responses={200: OverviewSerializer, **ERRORS},
        description="Every figure of the overview for the scope and period: the total, each "
        "member's value and, for per-client figures, each client's.",
    )
    def get(self, request: Request) -> Response:
        query = _query(request)
        scope = scope_resolve(user=request.user, param=query.validated_data.get("scope"))
        period = query.period_for(timezone.now())
        overview = snapshots.overview_latest(scope=scope, period=period).value
        return Response(OverviewSerializer(OverviewSerializer.shape(overview)).data)


@extend_schema(tags=["dashboards"])
class TrendsView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("scope", str, description="As the overview's.")],
        responses={200: TrendsSerializer, 403: ERRORS[403], 404: ERRORS[404]},
        description="The last 12 weeks' series: promises kept per kind, closure coverage and "
        "overdue follow-ups.",
    )
    def get(self, request: Request) -> Response:
        scope = scope_resolve(user=request.user, param=request.query_params.get("scope"))
        found = snapshots.trends_latest(scope=scope).value
        return Response(TrendsSerializer(TrendsSerializer.shape(found)).data)


@extend_schema(tags=["dashboards"])
class FigureRecordsView(APIView):
    pagination_class = FigurePagination

    @extend_schema(
        parameters=[
            OpenApiParameter("key", str, OpenApiParameter.PATH, description="A figure's key."),
            FigureQuerySerializer,
            OpenApiParameter("after", str, description="The next page: take it from `next`."),
            OpenApiParameter("limit", int, description="Rows per page, 1 to 200 (default 50)."),
        ],
        responses={200: FigureRecordSerializer(many=True), **ERRORS},
        description="The records behind one figure, in its order, one page at a time (follow "
        "`next`): for a count figure, as many as its value.",
    )
    def get(self, request: Request, key: str) -> Response:
        try:
            figure = selectors.figure_get(key)
        except selectors.UnknownFigure as error:
            raise exceptions.NotFound("No such figure.") from error
        query = _query(request, FigureQuerySerializer)
        scope = scope_resolve(user=request.user, param=query.validated_data.get("scope"))
        paginator = self.pagination_class()
        limit = paginator.limit_from(request)
        try:
            page = snapshots.figure_page_read(
                figure=figure, scope=scope, period=query.period_for(timezone.now()),
                after=request.query_params.get("after") or None, limit=limit,
                organization_id=query.validated_data.get("organization"),
            )  # fmt: skip
        except selectors.InvalidCursor as error:
            message = paginator.invalid_cursor_message
            raise exceptions.ValidationError({"after": [message]}) from error
        return paginator.page_response(
            request,
            FigureRecordSerializer(page.rows, many=True).data,
            page.next_cursor or None,
        )


urlpatterns = [
    path("dashboards/overview/", OverviewView.as_view(), name="api-dashboard-overview"),
    path("dashboards/trends/", TrendsView.as_view(), name="api-dashboard-trends"),
    path("dashboards/figures/<str:key>/", FigureRecordsView.as_view(), name="api-dashboard-figure"),
]
