"""API conventions shared by every app: one error shape,
`{"error": {"code": ..., "message": ..., "fields": {...}}}`."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    # DRF converts these itself, but only inside its handler: convert first to keep their codes.
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(*exc.args)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    fields = {}
    if isinstance(exc, exceptions.ValidationError) and isinstance(response.data, dict):
        fields = {name: _messages(detail) for name, detail in response.data.items()}
        message = "Some fields are not valid."
        if set(fields) == {"non_field_errors"}:
            message = " ".join(fields.pop("non_field_errors"))
    elif isinstance(response.data, dict) and "detail" in response.data:
        message = str(response.data["detail"])
    else:
        message = " ".join(_messages(response.data))
    code = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
    if not isinstance(code, str):
        code = getattr(exc, "default_code", "invalid")
    response.data = {"error": {"code": code, "message": message, "fields": fields}}
    return response


def _messages(detail) -> list[str]:
    if isinstance(detail, list):
        return [message for item in detail for message in _messages(item)]
    if isinstance(detail, dict):
        return [f"{key}: {m}" for key, value in detail.items() for m in _messages(value)]
    return [str(detail)]
