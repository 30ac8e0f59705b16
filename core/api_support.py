"""What every app's API shares beyond core/api.py: turning the services' Django errors into DRF
errors, the error shape as a schema, and keyset pagination. It imports no app, so every app's API
can use it."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Field, Model, Q, QuerySet
from django.http import Http404
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import inline_serializer
from rest_framework import exceptions, serializers, viewsets
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.utils.urls import replace_query_param

from core.cursors import InvalidCursor, cursor_decode, cursor_encode, cursor_value_comparable

# --- errors --------------------------------------------------------------------------------------


def validation_detail(error: DjangoValidationError) -> dict[str, list[str]] | list[str]:
    """A Django ValidationError as DRF detail: field -> messages, or a list of messages."""
    if hasattr(error, "error_dict"):
        return {
            api_settings.NON_FIELD_ERRORS_KEY if name == NON_FIELD_ERRORS else name: messages
            for name, messages in error.message_dict.items()
        }
    return list(error.messages)


@contextmanager
def service_errors() -> Iterator[None]:
    """Run a service call: its ValidationError becomes a 400 naming the fields, its
    PermissionDenied a 403 that keeps the service's explanation."""
    try:
        yield
    except DjangoValidationError as error:
        raise exceptions.ValidationError(validation_detail(error)) from error
    except DjangoPermissionDenied as error:
        raise exceptions.PermissionDenied(str(error) or None) from error


def error_response(
    *, status: int, code: str, message: str, fields: dict | None = None, **extra: Any
) -> Response:
    """An answer in the API's error shape, for errors that carry more than a message (e.g. the
    duplicates a new contact would make)."""
    return Response(
        {"error": {"code": code, "message": message, "fields": fields or {}, **extra}},
        status=status,
    )


def error_schema(name: str, **extra: serializers.Field) -> serializers.Serializer:
    """The error shape for the OpenAPI schema, with `extra` keys inside `error`."""
    return inline_serializer(
        name,
        {
            "error": inline_serializer(
                f"{name}Detail",
                {
                    "code": serializers.CharField(),
                    "message": serializers.CharField(),
                    "fields": serializers.DictField(child=serializers.ListField()),
                    **extra,
                },
            )
        },
    )


def object_or_404(queryset: QuerySet, **lookup: Any) -> Model:
    """The one row, or a DRF NotFound: core/api.py gives Django's Http404 the code "error"."""
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, TypeError, ValueError, DjangoValidationError) as error:
        name = queryset.model._meta.object_name
        raise exceptions.NotFound(f"No {name} matches the given query.") from error


class ApiViewSet(viewsets.GenericViewSet):
    """A GenericViewSet whose missing objects are 404s with the code "not_found"."""

    def get_object(self) -> Model:
        try:
            return super().get_object()
        except Http404 as error:
            raise exceptions.NotFound(str(error)) from error


def id_param(request, name: str) -> int | None:
    """The id in query parameter `name` (None when absent); a 400 naming it when not an id."""
    raw = request.query_params.get(name, "")
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 18:
        raise exceptions.ValidationError({name: ["Give an id (a whole number)."]})
    return int(raw)


# --- pagination ----------------------------------------------------------------------------------


class KeysetPagination(BasePagination):
    """Forward-only keyset ("cursor") pagination over `ordering`, which must end in a unique
    non-null field (id): the cursor holds the last row's values of every ordering field, so the
    next page is `WHERE (fields) after (values)`, an index range scan. No COUNT, no OFFSET.
    Answers `{"next": <url or null>, "results": [...]}`; `?limit=` sets the page size, `?after=`
    (taken from `next`) the position: the same parameters as the contact list's."""

    ordering: tuple[str, ...] = ("-id",)
    page_size = 50
    max_page_size = 200
    cursor_query_param = "after"
    limit_query_param = "limit"
    invalid_cursor_message = "This page link is not valid; start again from the first page."

    def paginate_queryset(self, queryset: QuerySet, request: Request, view=None) -> list[Any]:
        self.request = request
        limit = self.limit_from(request)
        cursor = request.query_params.get(self.cursor_query_param)
        queryset = queryset.order_by(*self.ordering)
        if cursor:
            queryset = queryset.filter(self._after(queryset.model, self._decode(cursor)))
        rows = list(queryset[: limit + 1])
        page = rows[:limit]
        self.next_cursor = self._encode(page[-1]) if len(rows) > limit else None
        return page

    def get_paginated_response(self, data) -> Response:
        return Response({"next": self.get_next_link(), "results": data})

    def get_next_link(self) -> str | None:
        if self.next_cursor is None:
            return None
        url = self.request.build_absolute_uri()
        return replace_query_param(url, self.cursor_query_param, self.next_cursor)

    def get_paginated_response_schema(self, schema: dict) -> dict:
        return {
            "type": "object",
            "required": ["next", "results"],
            "properties": {
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view) -> list[dict]:
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "The page after this one: take it from the `next` link.",
                "schema": {"type": "string"},
            },
            {
                "name": self.limit_query_param,
                "required": False,
                "in": "query",
                "description": f"Rows per page, 1 to {self.max_page_size} "
                f"(default {self.page_size}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]

    def limit_from(self, request: Request) -> int:
        """The page size asked for with `?limit=`, or the default; 400 when out of range."""
        raw = request.query_params.get(self.limit_query_param)
        if raw is None:
            return self.page_size
        try:
            limit = int(raw)
        except ValueError:
            limit = 0
        if not 1 <= limit <= self.max_page_size:
            raise exceptions.ValidationError(
                {self.limit_query_param: [f"Give a whole number from 1 to {self.max_page_size}."]}
            )
        return limit

    # The cursor: base64 of the JSON list of the last row's ordering values.

    def _encode(self, row: Model) -> str:
        return cursor_encode([getattr(row, name) for name in self._names()])

    def _decode(self, cursor: str) -> list[Any]:
        try:
            return cursor_decode(cursor, length=len(self.ordering))
        except InvalidCursor as error:
            raise self._invalid() from error

    def _after(self, model: type[Model], values: list[Any]) -> Q:
        """Rows strictly after `values` in `ordering`: (a > x) or (a = x and b > y) or ..."""
        typed = []
        for name, value in zip(self._names(), values, strict=True):
            model_field = model._meta.get_field(name)
            if not isinstance(model_field, Field):
                raise TypeError(f"{type(self).__name__} orders by a concrete field, not {name!r}.")
            try:
                typed.append(model_field.to_python(value))
            except (DjangoValidationError, TypeError, ValueError, OverflowError) as error:
                raise self._invalid() from error
            if not cursor_value_comparable(typed[-1]):
                raise self._invalid()
        after = Q(pk__in=[])
        equal = Q()
        for field, name, value in zip(self.ordering, self._names(), typed, strict=True):
            lookup = "lt" if field.startswith("-") else "gt"
            after |= equal & Q(**{f"{name}__{lookup}": value})
            equal &= Q(**{name: value})
        # The first field's bound on its own lets PostgreSQL start an index range scan.
        first_lookup = "lte" if self.ordering[0].startswith("-") else "gte"
        return Q(**{f"{self._names()[0]}__{first_lookup}": typed[0]}) & after

    def _names(self) -> list[str]:
        return [field.lstrip("-") for field in self.ordering]

    def _invalid(self) -> exceptions.ValidationError:
        return exceptions.ValidationError({self.cursor_query_param: [self.invalid_cursor_message]})


class SelectorPagination(KeysetPagination):
    """The same page shape and parameters, for lists a selector pages itself (the contact list
    pages by its own keyset): the view reads `limit_from()` and answers with `page_response()`."""

    def paginate_queryset(self, queryset, request, view=None):  # pragma: no cover - not used
        raise NotImplementedError("This list is paged by its selector.")

    def page_response(self, request: Request, results: list, next_cursor: str | None) -> Response:
        next_link = None
        if next_cursor is not None:
            url = request.build_absolute_uri()
            next_link = replace_query_param(url, self.cursor_query_param, next_cursor)
        return Response({"next": next_link, "results": results})


class OnePagePagination(SelectorPagination):
    """Short lists (a contact's connections) and search results: every row in one page, so
    `next` is always null, and no paging parameters."""

    def get_schema_operation_parameters(self, view) -> list[dict]:
        return []


def page_response(results: list) -> Response:
    """A one-page list answer, shaped like KeysetPagination's."""
    return Response({"next": None, "results": results})


# --- strict input --------------------------------------------------------------------------------


class StrictSerializer(serializers.Serializer):
    """An input serializer that takes JSON's types as the schema states them: a string field
    refuses a number, a boolean field a string (DRF would take 0 as "0" and "true" as true),
    and in a query string an empty value of a choice is an error, not "not given"."""

    def to_internal_value(self, data: Any) -> Any:
        errors: dict[str, list[str]] = {}
        from_query = hasattr(data, "getlist")
        for name, field in self.fields.items():
            if field.read_only or not hasattr(data, "get") or name not in data:
                continue
            value = data.get(name)
            if from_query:
                if (
                    value == ""
                    and isinstance(field, serializers.ChoiceField)
                    and not getattr(field, "allow_blank", False)
                ):
                    errors[name] = [f"Choose one of: {', '.join(map(str, field.choices))}."]
            elif value is not None:
                if isinstance(field, serializers.BooleanField) and not isinstance(value, bool):
                    errors[name] = ["Must be true or false."]
                elif (
                    isinstance(field, serializers.CharField)
                    and not isinstance(field, serializers.ChoiceField)
                    and not isinstance(value, str)
                ):
                    errors[name] = ["Must be a string."]
        if errors:
            raise exceptions.ValidationError(errors)
        return super().to_internal_value(data)


# --- schema --------------------------------------------------------------------------------------


class NamedChoiceField(serializers.ChoiceField):
    """A ChoiceField whose enum has its own name in the OpenAPI schema. Several models have a
    `kind` with different choices; drf-spectacular would name those enums by a hash (and warn)."""

    def __init__(self, *, enum_name: str, **kwargs: Any) -> None:
        self.enum_name = enum_name
        super().__init__(**kwargs)


class BlankAsNullURLField(serializers.URLField):
    """A read-only URL from a model's blank-able URL or text column: null when blank, so that the
    answer is what the schema says (a URI, or null), never an empty string."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> Any:  # a str, or None when blank
        return str(value) if value else None


class NamedChoiceFieldExtension(OpenApiSerializerFieldExtension):
    target_class = NamedChoiceField

    def map_serializer_field(self, auto_schema, direction) -> dict:
        field: NamedChoiceField = self.target
        component = ResolvedComponent(
            name=f"{field.enum_name}Enum",
            type=ResolvedComponent.SCHEMA,
            object=field.enum_name,
            schema={
                "type": "string",
                "enum": list(field.choices),
                "description": "\n".join(
                    f"* `{value}` - {label}" for value, label in field.choices.items()
                ),
            },
        )
        auto_schema.registry.register_on_missing(component)
        if getattr(field, "allow_blank", False):
            # Blank is allowed beside the named enum (e.g. a salary period on a note that is
            # not a salary fact), as drf-spectacular does for a plain ChoiceField.
            return {"oneOf": [component.ref, {"type": "string", "enum": [""]}]}
        return component.ref
