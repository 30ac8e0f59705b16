"""schemathesis against the OpenAPI schema: every operation, a few generated examples each, as
an authenticated recruiter with a token. No answer is a 5xx; every answer matches the schema."""

import contextlib
import re

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from crm.wsgi import application
from relationships.services import relationship_create
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db(transaction=True)

EXAMPLES = 10
CHECKS = [not_a_server_error, response_schema_conformance]


def _operation_failures(operation, headers) -> list[str]:
    failures = []

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        try:
            case.call_and_validate(headers=headers, checks=CHECKS)
        except (Exception, BaseExceptionGroup) as error:  # noqa: BLE001 - reported below
            lines = [line.strip() for line in str(error).splitlines() if line.strip()]
            summary = " | ".join(lines[1:3])
            failures.append(f"{operation.method.upper()} {operation.path}: {summary}"[:300])
            raise

    # The first failure of each operation is in `failures`, reported all together below.
    with contextlib.suppress(Exception, BaseExceptionGroup):
        run()
    return failures[:1]


def test_every_operation_answers_without_5xx_and_as_the_schema_says(recruiter, rosa_token):
    relationship_create(contact=ContactFactory(), owner=recruiter)
    headers = {"Authorization": rosa_token["HTTP_AUTHORIZATION"]}
    schema = schemathesis.openapi.from_wsgi("/api/schema/", application, headers=headers)

    failures = []
    for result in schema.get_all_operations():
        failures += _operation_failures(result.ok(), headers)

    assert failures == [], "\n".join(failures)


def test_options_on_every_path_is_not_a_server_error(rosa_api):
    """DRF answers OPTIONS itself (the metadata asks the view for its object): not a 5xx."""
    schema = rosa_api.get("/api/schema/", HTTP_ACCEPT="application/json").json()

    statuses = {
        path: rosa_api.options(re.sub(r"\{[^}]+\}", "1", path)).status_code
        for path in schema["paths"]
    }

    assert {path: status for path, status in statuses.items() if status >= 500} == {}
