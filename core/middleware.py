"""Request checks shared by every page and the API."""

from urllib.parse import unquote_to_bytes

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse

NUL_MESSAGE = "The request contains a NUL character, which no field accepts."


def _has_nul_urlencoded(data: bytes) -> bool:
    return b"\x00" in unquote_to_bytes(data.replace(b"+", b" "))


def request_has_nul(request: HttpRequest) -> bool:
    """Whether the path, the query string or a text body carries a NUL character. PostgreSQL
    cannot store one in a text column and psycopg refuses it as a query parameter, so a NUL that
    reaches a query is a 500: it is refused here, before any view, instead."""
    if "\x00" in request.path_info:
        return True
    if _has_nul_urlencoded(request.META.get("QUERY_STRING", "").encode("latin-1", "replace")):
        return True
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return False
    content_type = request.content_type or ""
    if content_type == "application/x-www-form-urlencoded":
        return _has_nul_urlencoded(request.body)
    if content_type == "application/json" or content_type.endswith("+json"):
        return b"\x00" in request.body or b"\\u0000" in request.body
    if content_type == "multipart/form-data":
        # Files may hold any bytes (the importers check theirs); the text fields may not.
        return any("\x00" in value for value in request.POST.values())
    return False


class RejectNulMiddleware:
    """400 for a request with a NUL character anywhere a field could read it: in the API's
    error shape under /api/, plain text elsewhere."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request_has_nul(request):
            if request.path_info.startswith("/api/"):
                error = {"code": "invalid", "message": NUL_MESSAGE, "fields": {}}
                return JsonResponse({"error": error}, status=400)
            return HttpResponseBadRequest(NUL_MESSAGE)
        return self.get_response(request)
