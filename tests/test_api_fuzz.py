"""The API, fuzzed from its own schema: schemathesis sends each operation of
/api/openapi.json generated requests (valid ones and broken ones) as the
demo's trainee and as its facilitator, and fails on any server error or any
answer that breaks the schema the API publishes.

Bounded so CI stays quick and repeatable: a fixed number of examples per
operation, no deadline, derandomized (the same requests every run), and only
in-process: the Django WSGI application answers, no network, no other host.
Each request runs in a savepoint rolled back after it, so what one request
writes never changes what the next one meets. Marker `fuzz`: `make test`
deselects it, CI's whole-suite step runs it.
"""

from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.site_personas import demo_site

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]

# Requests per operation and person: twice this, drawn from both modes (valid
# and broken). 48 operations x 2 people x 20 requests took about three minutes
# on PostgreSQL on a busy two-core machine; CI's limit is five.
EXAMPLES = 10

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

APP = WSGIHandler()


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker):
    """The demo, loaded once for this module and rolled back after it."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield demo_site()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(scope="module")
def schema(site):
    """The schema exactly as the API serves it at /api/openapi.json."""
    with _requests_keep_the_test_connection():
        return schemathesis.openapi.from_wsgi("/api/openapi.json", APP)


class _requests_keep_the_test_connection:
    """Django closes "old" connections around each request; inside the test's
    transaction that would close the test's own connection (Django's test
    Client disconnects the same signal for the same reason)."""

    def __enter__(self):
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)

    def __exit__(self, *exc):
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _credentials(person) -> tuple[dict, dict]:
    """Cookies and headers of a signed-in browser: the session, and the CSRF
    cookie with the same token in X-CSRFToken, as the offline client sends."""
    client = Client()
    client.force_login(person)
    token = _get_new_csrf_string()
    cookies = {"sessionid": client.cookies["sessionid"].value, "csrftoken": token}
    return cookies, {"X-CSRFToken": token}


def _operations(schema):
    for result in schema.get_all_operations():
        yield result.ok()


def _operation_ids():
    """Operation labels for the test ids, read without a database."""
    from learning.api import api

    paths = api.get_openapi_schema()["paths"]
    return [f"{method.upper()} {path}" for path in paths for method in paths[path]]


@pytest.mark.parametrize("label", _operation_ids())
@pytest.mark.parametrize("person_name", ["trainee", "facilitator"])
def test_api_answers_generated_requests_within_its_schema(
    site, schema, person_name, label
):
    operation = next(op for op in _operations(schema) if op.label == label)
    cookies, headers = _credentials(site["people"][person_name])
    strategy = st.one_of(
        operation.as_strategy(generation_mode=schemathesis.GenerationMode.POSITIVE),
        operation.as_strategy(generation_mode=schemathesis.GenerationMode.NEGATIVE),
    )

    @settings(
        max_examples=2 * EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def send(case):
        with _requests_keep_the_test_connection(), transaction.atomic():
            try:
                case.call_and_validate(cookies=cookies, headers=headers, checks=CHECKS)
            finally:
                transaction.set_rollback(True)

    send()
