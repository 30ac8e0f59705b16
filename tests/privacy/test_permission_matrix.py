"""Every page, endpoint and export that shows or changes a contact, a fact, a job, a candidacy
or a message, requested as each persona (tests/privacy/permission_matrix.py): the exact status,
and nothing changed when a change was refused. The URL conf is walked so that a new URL without
a row (or a reason to have none) fails here."""

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.privacy.permission_matrix import (
    API_PERSONAS,
    LOGIN,
    MATRIX,
    OUT_OF_SCOPE,
    OUT_OF_SCOPE_NAMESPACES,
    PAGE_PERSONAS,
    Call,
    Refused,
)
from tests.privacy.permission_world import PERSONA_USERS, world_build

# --- the URL conf, walked --------------------------------------------------------------------


def url_names(resolver: URLResolver | None = None, namespace: str = "") -> list[str]:
    """The name of every named pattern, `namespace:name` inside a namespace, the API router's
    included; None for unnamed patterns outside the namespaces left out as a whole."""
    names = []
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            names += url_names(pattern, inner)
        elif isinstance(pattern, URLPattern):
            if namespace.split(":")[0] in OUT_OF_SCOPE_NAMESPACES:
                continue
            names.append(f"{namespace}:{pattern.name}" if namespace else pattern.name)
    return names


def test_every_url_has_a_row_or_a_reason():
    names = url_names()

    unnamed = [name for name in names if name is None or name.endswith(":None")]
    missing = sorted(set(names) - set(MATRIX) - set(OUT_OF_SCOPE) - {None})
    both = sorted(set(MATRIX) & set(OUT_OF_SCOPE))
    gone = sorted((set(MATRIX) | set(OUT_OF_SCOPE)) - set(names))

    assert unnamed == [], "unnamed URL patterns cannot be accounted for: name them"
    assert missing == [], (
        f"URLs with neither a row in tests/privacy/permission_matrix.py MATRIX nor a reason in "
        f"OUT_OF_SCOPE: {missing}"
    )
    assert both == [], f"in MATRIX and in OUT_OF_SCOPE: {both}"
    assert gone == [], f"rows for URLs the URL conf no longer has: {gone}"


def test_the_walk_sees_the_api_router_and_the_namespaces():
    names = set(url_names())

    assert {"api-fact-detail", "contacts:contact-edit", "jobs:candidacy-move"} <= names
    assert not any(name.startswith(("admin:", "webhooks:")) for name in names)


# --- the cells -------------------------------------------------------------------------------


def cells():
    for name, row in MATRIX.items():
        is_api = name.startswith("api-")
        for call in row.calls:
            for persona in API_PERSONAS if is_api else PAGE_PERSONAS:
                label = f"{call.method}{'-' + call.label if call.label else ''}"
                yield pytest.param(name, call, persona, id=f"{name}-{label}-{persona}")


def expected(name: str, call: Call, persona: str) -> int | str:
    if persona in call.expect:
        return call.expect[persona]
    if name.startswith("api-"):
        return call.expect["owner"] if persona == "token" else 401
    return LOGIN


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module, inside a transaction that each test's own (a savepoint) nests
    in: a test's changes go with its savepoint, the world with the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield world_build()
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _no_throttle(settings):
    # Hundreds of anonymous and bad-token calls from one address: the limits are tested elsewhere.
    settings.API_THROTTLE_ANON = "100000/hour"
    settings.API_THROTTLE_USER = "100000/hour"


# Tables a request writes whoever makes it: sessions, the API token's last use, login records.
VOLATILE_TABLES = ("django_session", "accounts_apitoken", "axes_", "authtoken_token")


def database_fingerprint() -> dict[str, str]:
    """An md5 of every row of every table of the database's catalogue (the volatile ones aside):
    what a refused change must leave as it was."""
    tables = [
        table
        for table in connection.introspection.table_names()
        if not table.startswith(VOLATILE_TABLES)
    ]
    union = " UNION ALL ".join(
        f"SELECT '{table}', md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "  # noqa: S608 (names from the catalogue)
        f'FROM "{table}" t'
        for table in tables
    )
    with connection.cursor() as cursor:
        cursor.execute(union)
        return dict(cursor.fetchall())


def client_as(world, persona: str, *, is_api: bool) -> tuple[Client, dict]:
    client = Client()
    headers: dict = {}
    if persona in PERSONA_USERS:
        client.force_login(getattr(world, persona))
    elif persona == "token":
        headers["HTTP_AUTHORIZATION"] = f"Token {world.token_key}"
    elif persona == "bad_token":
        headers["HTTP_AUTHORIZATION"] = "Token rp_" + "0" * 40
    return client, headers


def request(world, client: Client, headers: dict, call: Call, url: str, data: dict, *, is_api):
    method = getattr(client, call.method.lower())
    query = call.query(world) if callable(call.query) else call.query
    if query:
        url = f"{url}?{query}"
    if call.method == "GET":
        return method(url, **headers)
    if is_api:
        return method(url, data=data, content_type="application/json", **headers)
    return method(url, data=data, **headers)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "call", "persona"), list(cells()))
def test_permission(world, name, call, persona):
    is_api = name.startswith("api-")
    url = reverse(name, kwargs=MATRIX[name].kwargs(world))
    data = call.data(world) if call.data else {}
    client, headers = client_as(world, persona, is_api=is_api)
    want = expected(name, call, persona)
    before = database_fingerprint() if call.method != "GET" else None

    response = request(world, client, headers, call, url, data, is_api=is_api)

    if want == LOGIN:
        assert (response.status_code, response.get("Location", "")[:13]) == (302, "/login/?next=")
    else:
        assert response.status_code == want, response.content[:300]
    refused = want == LOGIN or isinstance(want, Refused) or want >= 400
    if before is not None and refused:
        after = database_fingerprint()
        changed = sorted(table for table in before if before[table] != after.get(table))
        assert changed == [], f"a refused {call.method} changed {changed}"
