"""Every app's API under /api/v1/. Each app adds its routes to `urlpatterns` here."""

from django.urls import include, path
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.response import Response
from rest_framework.reverse import reverse


@extend_schema(
    responses=inline_serializer(
        "ApiRoot",
        {
            "user": serializers.CharField(),
            "schema": serializers.URLField(),
            "docs": serializers.URLField(),
        },
    )
)
@api_view(["GET"])
def api_root(request, format=None):  # noqa: A002 - DRF's name for the format suffix
    """The API's entry point: who you are, and where the schema and docs live."""
    return Response(
        {
            "user": request.user.username,
            "schema": reverse("api-schema", request=request, format=format),
            "docs": reverse("api-docs", request=request, format=format),
        }
    )


urlpatterns = [
    path("", api_root, name="api-root"),
    path("", include("contacts.api")),
    path("", include("relationships.api")),
    path("", include("jobs.api")),
    path("", include("market.api")),
    path("", include("followups.api")),
    path("", include("dashboards.api")),
]
