"""The OpenAPI schema served at /api/openapi.json tells the truth.

Two schemas with one component name overwrite each other, so one endpoint
is documented with another's shape (issue 15: /api/me was documented as the
competence profile). And every GET a signed-in person can call without
parameters answers what its documented response schema says.
"""

import json
from collections import defaultdict

from django.core.management import call_command

import jsonschema
import pytest
from ninja.openapi.schema import OpenAPISchema

from learning.demo import DEMO_ACCOUNTS
from learning.models import User

pytestmark = pytest.mark.django_db

SCHEMA_URL = "/api/openapi.json"


def test_no_two_schemas_share_a_component_name(client, monkeypatch):
    """Every schema definition the generator files under a name must be the
    only one under that name; a second, different one would replace it."""
    filed: dict[str, set[str]] = defaultdict(set)
    file_definitions = OpenAPISchema.add_schema_definitions

    def recording(schema, definitions: dict) -> None:
        for name, definition in definitions.items():
            filed[name].add(json.dumps(definition, sort_keys=True))
        file_definitions(schema, definitions)

    monkeypatch.setattr(OpenAPISchema, "add_schema_definitions", recording)
    response = client.get(SCHEMA_URL)
    assert response.status_code == 200
    assert filed, "the schema generator filed no definitions"
    shared = {
        name: [json.loads(d).get("properties", {}).keys() for d in definitions]
        for name, definitions in filed.items()
        if len(definitions) > 1
    }
    assert not shared, f"component names given to different schemas: {shared}"


def closed_schema(schema):
    """The schema with every documented object closed to undocumented keys, so
    a response carrying fields its documentation lacks fails too."""
    if isinstance(schema, dict):
        closed = {key: closed_schema(value) for key, value in schema.items()}
        if "properties" in closed and "additionalProperties" not in closed:
            closed["additionalProperties"] = False
        return closed
    if isinstance(schema, list):
        return [closed_schema(item) for item in schema]
    return schema


def _callable_without_parameters(paths: dict):
    for path, methods in sorted(paths.items()):
        operation = methods.get("get")
        if operation is None or "{" in path:
            continue
        if any(param.get("required") for param in operation.get("parameters", [])):
            continue
        content = operation["responses"].get("200", {}).get("content", {})
        if "application/json" in content:
            yield path, content["application/json"]["schema"]


def test_every_documented_list_and_profile_answers_in_its_documented_shape(client):
    call_command("prepare_site", demo=True)
    document = client.get(SCHEMA_URL).json()
    components = closed_schema(document["components"])
    operations = list(_callable_without_parameters(document["paths"]))
    called = {path for path, _schema in operations}
    assert {
        "/api/me",
        "/api/competence/me",
        "/api/magang/entries",
        "/api/magang/placements",
        "/api/magang/cases",
        "/api/people",
    } <= called
    checked: dict[str, int] = defaultdict(int)
    problems = []
    for account in DEMO_ACCOUNTS:
        client.force_login(User.objects.get(username=account.username))
        for path, schema in operations:
            response = client.get(path)
            if response.status_code != 200:
                continue  # a 403 or 404 for this role is the access tests' business
            validator = jsonschema.Draft202012Validator(
                {**closed_schema(schema), "components": components}
            )
            for error in validator.iter_errors(response.json()):
                where = "/".join(str(part) for part in error.absolute_path)
                problems.append(
                    f"{account.username} GET {path} at {where}: {error.message}"
                )
            checked[path] += 1
    assert not problems, "\n".join(problems[:30])
    # Each profile and list was really answered by some role, not skipped.
    assert {path for path, count in checked.items() if count} == called
