"""The offline client's endpoints are in the OpenAPI schema with their
refusals, and a refusal a real request gets has the documented body.

The client (mentorship/static/mentorship/js/outbox.js) reads 401 and 403 as
"sign in again" and shows `detail` or `errors` of any other refusal; it can
only rely on that if the schema says what comes back and it is true.
"""

import json
import re
import uuid

from django.test import Client

import jsonschema
import pytest

from learning.devices import issue_token, revoke_device
from mentorship.models import HourEntry, PracticeCase, Reflection, WellbeingCheckIn
from tests.factories import (
    HourEntryFactory,
    PlacementFactory,
    new_case,
    reflection_session,
)
from tests.factories.mentorship import hour_entry_body
from tests.learning.test_openapi import closed_schema

pytestmark = pytest.mark.django_db

JSON = "application/json"
SCHEMA_URL = "/api/openapi.json"
ERROR_OUT = {"$ref": "#/components/schemas/ErrorOut"}
NOT_SIGNED_IN = "Kamu belum masuk atau sesi kamu sudah berakhir. Masuk lagi."
NO_CSRF = (
    "Token keamanan halaman ini (CSRF) tidak ada atau sudah usang. "
    "Muat ulang halaman, lalu coba lagi."
)

# Every operation the offline client calls, with each status it is documented
# to answer. The sync endpoints (those that take a device's key) must all be
# here: a new one is added on purpose, with its refusals looked at.
CLIENT_OPERATIONS = {
    ("POST", "/api/perangkat/token"): {201, 401, 403, 409, 422},
    ("GET", "/api/magang/placements"): {200, 401, 422},
    ("GET", "/api/magang/entries"): {200, 401, 422},
    ("POST", "/api/magang/entries"): {201, 401, 403, 409, 422},
    ("PUT", "/api/magang/entries/{entry_uuid}"): {200, 401, 403, 404, 409, 422},
    ("POST", "/api/magang/entries/submit"): {200, 401, 403, 404, 422},
    ("GET", "/api/magang/cases"): {200, 401, 422},
    ("POST", "/api/magang/cases"): {201, 401, 403, 409, 422},
    ("PUT", "/api/magang/cases/{case_uuid}"): {200, 401, 403, 404, 409, 422},
    ("POST", "/api/magang/cases/submit"): {200, 401, 403, 404, 422},
    ("POST", "/api/magang/wellbeing"): {201, 401, 403, 409, 422},
    ("GET", "/api/magang/reflection/mine"): {200, 401},
    ("GET", "/api/magang/reflection/mine/sessions"): {200, 401},
    ("POST", "/api/magang/reflection/mine"): {201, 401, 403, 404, 409, 422},
    ("PUT", "/api/magang/reflection/mine/{reflection_uuid}"): {
        200,
        401,
        403,
        404,
        409,
        422,
    },
}
CHANGES = {"POST", "PUT", "PATCH", "DELETE"}


@pytest.fixture
def document(client):
    return client.get(SCHEMA_URL).json()


@pytest.fixture
def placement(trainee, facilitator):
    return PlacementFactory(trainee=trainee, supervisor=facilitator)


def _operations(document):
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            yield method.upper(), path, operation


def _schemes(operation) -> set[str]:
    return {name for scheme in operation.get("security", []) for name in scheme}


def _url(path: str) -> str:
    return re.sub(r"\{\w+\}", lambda _match: str(uuid.uuid4()), path)


def assert_documented(document, method: str, path: str, response) -> dict:
    """The response's status is documented for the operation, and its body
    has the shape documented for that status. Returns the body."""
    responses = document["paths"][path][method.lower()]["responses"]
    status = str(response.status_code)
    assert status in responses, (method, path, status, response.content)
    schema = responses[status]["content"]["application/json"]["schema"]
    validator = jsonschema.Draft202012Validator(
        {
            **closed_schema(schema),
            "components": closed_schema(document["components"]),
        }
    )
    body = response.json()
    problems = [error.message for error in validator.iter_errors(body)]
    assert not problems, (method, path, status, body, problems)
    return body


def send(browser, method: str, path: str, body=None, **headers):
    """A request as the client makes it: JSON, to the operation's address."""
    return browser.generic(
        method, _url(path), json.dumps(body or {}), content_type=JSON, **headers
    )


def phone() -> Client:
    """No session, no CSRF cookie, CSRF checked as a real browser does."""
    return Client(enforce_csrf_checks=True)


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


# --- What the schema says -----------------------------------------------------


def test_every_sync_endpoint_is_one_the_client_table_names(document):
    sync = {
        (method, path)
        for method, path, operation in _operations(document)
        if "DeviceTokenAuth" in _schemes(operation)
    }
    assert sync == set(CLIENT_OPERATIONS) - {("POST", "/api/perangkat/token")}


@pytest.mark.parametrize(("method", "path"), sorted(CLIENT_OPERATIONS))
def test_each_client_endpoint_documents_its_refusals_as_the_error_body(
    document, method, path
):
    responses = document["paths"][path][method.lower()]["responses"]
    assert {int(status) for status in responses} == CLIENT_OPERATIONS[(method, path)]
    for status, response in responses.items():
        if status.startswith("2"):
            continue
        schema = response["content"]["application/json"]["schema"]
        assert schema == ERROR_OUT or ERROR_OUT in schema.get("anyOf", []), (
            status,
            schema,
        )
    assert document["components"]["schemas"]["ErrorOut"]["properties"].keys() == {
        "detail",
        "errors",
    }


def _shape(schema, components) -> tuple:
    """The keys and required keys of a documented body (a reference resolved)."""
    if "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[1]]
    return sorted(schema.get("properties", {})), sorted(schema.get("required", []))


def test_every_operation_behind_a_sign_in_documents_401_and_its_csrf_403(document):
    """Over the whole schema, so a route added later is held to it too. (A
    route may document its own 422 under another name, if it is the same
    body.)"""
    components = document["components"]["schemas"]
    error_shape = _shape(ERROR_OUT, components)
    missing = []
    for method, path, operation in _operations(document):
        schemes = _schemes(operation)
        if not schemes:
            continue
        wanted = {"401"}
        if "SessionAuth" in schemes and method in CHANGES:
            wanted.add("403")
        if "requestBody" in operation:
            wanted.add("422")
        for status in sorted(wanted):
            response = operation["responses"].get(status)
            schema = response and response["content"]["application/json"]["schema"]
            if not schema or _shape(schema, components) != error_shape:
                missing.append(f"{method} {path} {status}: {schema}")
            elif status != "422":
                assert schema == ERROR_OUT, (method, path, status)
    assert not missing, "\n".join(missing)


def test_operations_open_to_all_document_no_sign_in_refusal(document):
    index = document["paths"]["/api/"]["get"]
    assert "security" not in index
    assert "401" not in index["responses"]


# --- What a refused request really gets -----------------------------------------


@pytest.mark.parametrize(("method", "path"), sorted(CLIENT_OPERATIONS))
def test_no_session_answers_401_in_the_documented_shape(document, method, path):
    """Even a change sent with no CSRF token: without a session the answer is
    'sign in', not a CSRF refusal."""
    response = send(phone(), method, path)
    assert response.status_code == 401, response.content
    body = assert_documented(document, method, path, response)
    assert body["detail"] == NOT_SIGNED_IN


@pytest.mark.parametrize(
    ("method", "path"),
    sorted(key for key in CLIENT_OPERATIONS if key[1] != "/api/perangkat/token"),
)
def test_a_made_up_or_ended_key_answers_401_in_the_documented_shape(
    document, trainee, method, path
):
    device = uuid.uuid4()
    ended = issue_token(user=trainee, device_uuid=device, user_agent="")
    revoke_device(user=trainee, device_uuid=device)
    for token in ("bukan-kunci", ended):
        response = send(phone(), method, path, **bearer(token))
        assert response.status_code == 401, response.content
        body = assert_documented(document, method, path, response)
        assert body["detail"].startswith("Kunci sinkron perangkat ini tidak berlaku")


@pytest.mark.parametrize(
    ("method", "path"), sorted(key for key in CLIENT_OPERATIONS if key[0] in CHANGES)
)
def test_a_session_without_its_csrf_token_answers_403_in_the_documented_shape(
    document, trainee, placement, method, path
):
    browser = phone()
    browser.force_login(trainee)
    browser.get("/akun/")  # the CSRF cookie is there; the header is not sent
    response = send(browser, method, path)
    assert response.status_code == 403, response.content
    body = assert_documented(document, method, path, response)
    assert body["detail"] == NO_CSRF
    for model in (HourEntry, PracticeCase, Reflection, WellbeingCheckIn):
        assert not model.objects.exists()


def test_the_routes_own_refusals_answer_in_the_documented_shape(
    document, organisation, trainee, facilitator, placement
):
    """What the client can meet with a good key: a record it no longer owns
    (404), a UUID someone else used (409), bad input (422)."""
    browser = phone()
    key = bearer(issue_token(user=trainee, device_uuid=uuid.uuid4(), user_agent=""))
    theirs = HourEntryFactory(placement=PlacementFactory())
    session = reflection_session(
        organisation=organisation, facilitator=facilitator, trainees=[trainee]
    )
    reflection = {"uuid": str(uuid.uuid4()), "session_id": session.pk}
    refusals = [
        (404, "PUT", "/api/magang/entries/{entry_uuid}", hour_entry_body(placement)),
        (404, "POST", "/api/magang/entries/submit", {"uuids": [str(theirs.uuid)]}),
        (404, "PUT", "/api/magang/cases/{case_uuid}", new_case(placement)),
        (404, "POST", "/api/magang/cases/submit", {"uuids": [str(uuid.uuid4())]}),
        (404, "PUT", "/api/magang/reflection/mine/{reflection_uuid}", {}),
        (
            404,
            "POST",
            "/api/magang/reflection/mine",
            {**reflection, "session_id": session.pk + 1000},
        ),
        (
            409,
            "POST",
            "/api/magang/entries",
            hour_entry_body(placement, uuid=str(theirs.uuid)),
        ),
        (
            422,
            "POST",
            "/api/magang/entries",
            hour_entry_body(placement, date="kemarin"),
        ),
        (422, "POST", "/api/magang/cases", new_case(placement, kecamatan="")),
        (422, "POST", "/api/magang/wellbeing", {"uuid": "x", "feeling": "baik"}),
        (422, "POST", "/api/magang/entries/submit", {"uuids": []}),
    ]
    for status, method, path, body in refusals:
        response = send(browser, method, path, body, **key)
        assert response.status_code == status, (method, path, response.content)
        answer = assert_documented(document, method, path, response)
        assert answer["detail"]
    listed = browser.get("/api/magang/entries?limit=0", **key)
    assert listed.status_code == 422
    assert (
        "limit"
        in assert_documented(document, "GET", "/api/magang/entries", listed)["errors"]
    )
    # A second reflection for the same session: 409 with the one that exists.
    first = send(browser, "POST", "/api/magang/reflection/mine", reflection, **key)
    assert first.status_code == 201
    second = send(
        browser,
        "POST",
        "/api/magang/reflection/mine",
        {**reflection, "uuid": str(uuid.uuid4())},
        **key,
    )
    assert second.status_code == 409
    body = assert_documented(document, "POST", "/api/magang/reflection/mine", second)
    assert body["existing_uuid"] == reflection["uuid"]
    assert list(HourEntry.objects.all()) == [theirs]
