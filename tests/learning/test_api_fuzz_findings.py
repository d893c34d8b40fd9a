"""What the schemathesis pass (tests/test_api_fuzz.py) found in the API, each
kept fixed here in plain tests that run with `make test`."""

import jsonschema
import pytest

from tests.factories import PlacementFactory, user_with_roles
from tests.factories.mentorship import HourEntryFactory

pytestmark = pytest.mark.django_db

JSON = "application/json"


@pytest.fixture
def trainee_client(client):
    from learning.choices import Role

    person = user_with_roles(Role.PESERTA)
    client.force_login(person)
    client.person = person
    return client


@pytest.fixture
def document(client):
    return client.get("/api/openapi.json").json()


def test_a_record_not_found_is_answered_in_indonesian_and_documented(
    trainee_client, document
):
    response = trainee_client.get("/api/modules/262/lessons")
    assert response.status_code == 404
    assert response.json() == {"detail": "Tidak ada, atau di luar wewenangmu."}
    assert (
        "404"
        in document["paths"]["/api/modules/{module_id}/lessons"]["get"]["responses"]
    )


@pytest.mark.parametrize("body", ["\x00", "{", '{"a": ', "[1,"])
def test_a_body_that_is_not_json_is_the_documented_422_in_words(
    trainee_client, document, body
):
    response = trainee_client.post(
        "/api/magang/entries/submit", body, content_type=JSON
    )
    assert response.status_code == 422
    assert response.json() == {
        "detail": "Permintaan tidak sesuai format.",
        "errors": {"__all__": ["Isi permintaan bukan JSON yang sah."]},
    }
    assert "422" in document["paths"]["/api/magang/entries/submit"]["post"]["responses"]


def test_a_path_value_that_is_not_a_number_is_a_documented_422(
    trainee_client, document
):
    response = trainee_client.get("/api/modules/1.5e-3/lessons")
    assert response.status_code == 422
    assert response.json()["errors"] == {"module_id": ["Harus bilangan bulat."]}
    assert (
        "422"
        in document["paths"]["/api/modules/{module_id}/lessons"]["get"]["responses"]
    )


def test_an_id_in_the_body_that_names_nothing_is_a_documented_404(client, document):
    from learning.choices import Role

    client.force_login(user_with_roles(Role.FASILITATOR))
    response = client.post(
        "/api/competence/assessments",
        {"competency_id": 262, "level": "entry", "trainee_id": 262},
        content_type=JSON,
    )
    assert response.status_code == 404
    assert (
        "404" in document["paths"]["/api/competence/assessments"]["post"]["responses"]
    )


def test_hour_entries_times_match_the_schema_that_describes_them(
    trainee_client, document
):
    """The schema said JSON Schema's "time" (RFC 3339, with a zone) while
    the API sends local clock times ("09:00:00"): a validating client
    refused every entry."""
    placement = PlacementFactory(trainee=trainee_client.person)
    HourEntryFactory(placement=placement)
    [entry] = trainee_client.get("/api/magang/entries").json()["items"]
    schema = document["components"]["schemas"]["EntryOut"]["properties"]
    for name in ("start_time", "end_time"):
        local = next(part for part in schema[name]["anyOf"] if part.get("pattern"))
        assert local.get("format") != "time"
        jsonschema.validate(entry[name], local)
        assert entry[name] == {"start_time": "09:00:00", "end_time": "11:00:00"}[name]


def test_a_future_entry_on_the_last_day_of_the_calendar_is_a_422_not_a_500(
    trainee_client,
):
    placement = PlacementFactory(trainee=trainee_client.person)
    response = trainee_client.post(
        "/api/magang/entries",
        {
            "uuid": "6f1c1f9e-3c1a-4d7e-9a55-7f0e2a0f5b11",
            "placement_id": placement.pk,
            "date": "9999-12-31",
            "start_time": "00:00",
            "end_time": "00:00",
            "past_midnight": True,
            "category": "dokumentasi",
            "activity": "Belajar mencatat.",
        },
        content_type=JSON,
    )
    assert response.status_code == 422, response.content
    assert "belum terjadi" in " ".join(response.json()["errors"]["date"])
