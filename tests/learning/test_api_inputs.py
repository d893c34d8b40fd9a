"""Numbers and times a client sends to the API: out of range is a 422 in the
API's error shape, never a 500 (issue 15, item 7)."""

import datetime
import uuid

from django.utils import timezone

import pytest

from learning.choices import Role
from mentorship.choices import CaseStatus
from mentorship.models import HourEntry, PracticeCase
from tests.factories import (
    PlacementFactory,
    PracticeCaseFactory,
    new_case,
    reflection_session,
    user_with_roles,
)

pytestmark = pytest.mark.django_db

JSON = "application/json"
HUGE = "99999999999999999999"  # more than any database integer holds
# A sitting no one has (fixed, so every pytest-xdist worker collects the same test ids).
NO_SUCH_SITTING = "00000000-0000-4000-8000-00000000d1e5"


def refused(response, field: str) -> str:
    """The response is the API's 422 naming `field`; its message there."""
    assert response.status_code == 422, response.content
    body = response.json()
    assert field in body["errors"], body
    assert body["detail"]
    return " ".join(body["errors"][field])


@pytest.fixture
def placement(trainee):
    return PlacementFactory(trainee=trainee)


@pytest.mark.parametrize(
    ("address", "field", "message"),
    [
        (
            "/api/magang/entries?offset=10238286920853742204481437696",
            "offset",
            "Paling besar 2147483647.",
        ),
        ("/api/magang/placements?limit=99999999999999999999", "limit", "Paling besar"),
        ("/api/magang/placements?limit=0", "limit", "Paling kecil 1."),
        ("/api/magang/entries?placement=99999999999999999999", "placement", "Paling"),
        ("/api/magang/cases?offset=-1", "offset", "Paling kecil 0."),
        ("/api/magang/queue?limit=100000", "limit", "Paling besar 500."),
        ("/api/magang/wellbeing/mine?offset=" + HUGE, "offset", "Paling besar"),
        ("/api/magang/reflection/sessions?year=99999999999", "year", "Paling"),
        ("/api/people?offset=" + HUGE, "offset", "Paling besar"),
        ("/api/modules/99999999999999999999/lessons", "module_id", "Paling"),
        ("/api/competence/people/99999999999999999999", "person_id", "Paling"),
    ],
)
def test_a_number_out_of_range_in_the_address_is_422(
    client, facilitator, address, field, message
):
    client.force_login(facilitator)
    assert message in refused(client.get(address), field)


def test_a_time_with_a_zone_offset_is_refused_by_name(client, placement):
    client.force_login(placement.trainee)
    response = client.post(
        "/api/magang/entries",
        {
            "uuid": str(uuid.uuid4()),
            "placement_id": placement.pk,
            "date": str(timezone.localdate() - datetime.timedelta(days=2)),
            "start_time": "08:00:00+08:00",
            "end_time": "10:00",
            "category": "pengaduan",
            "activity": "Belajar menerima pengaduan tanpa mencatat identitas korban.",
        },
        content_type=JSON,
    )
    assert refused(response, "start_time") == (
        "Tulis jam tanpa zona waktu (08:00:00+08:00): jam setempat (WITA), "
        "misalnya 08:00."
    )
    assert not HourEntry.objects.exists()


def test_an_overflowing_placement_id_in_an_entry_is_422(client, placement):
    client.force_login(placement.trainee)
    response = client.post(
        "/api/magang/entries",
        {
            "uuid": str(uuid.uuid4()),
            "placement_id": int(HUGE),
            "date": str(timezone.localdate()),
            "minutes": 10**30,
            "category": "pengaduan",
            "activity": "Belajar.",
        },
        content_type=JSON,
    )
    assert "Paling besar" in refused(response, "placement_id")
    assert "Paling besar" in refused(response, "minutes")


def test_a_case_in_year_99999999999_is_422_and_nothing_is_saved(client, placement):
    client.force_login(placement.trainee)
    response = client.post(
        "/api/magang/cases",
        new_case(placement, month=99999999999, year=99999999999),
        content_type=JSON,
    )
    assert refused(response, "year") == "Paling besar 9999."
    assert "Paling besar" in refused(response, "month")
    assert not PracticeCase.objects.exists()


def test_a_case_dated_in_a_month_that_does_not_exist_gets_the_rules_message(
    client, placement
):
    """Within the type's range, the rule's own words answer (not a 500)."""
    client.force_login(placement.trainee)
    today = timezone.localdate()
    response = client.post(
        "/api/magang/cases",
        new_case(placement, month=2_000_000_000, year=today.year),
        content_type=JSON,
    )
    assert response.status_code == 422
    assert "bulan (1–12)" in " ".join(response.json()["errors"]["month"])


def test_overflowing_competency_ids_in_a_review_are_422(client, placement):
    case = PracticeCaseFactory(placement=placement, status=CaseStatus.SUBMITTED)
    client.force_login(placement.supervisor)
    response = client.post(
        f"/api/magang/cases/{case.uuid}/review",
        {"feedback": "Bagus.", "competency_ids": [int(HUGE)]},
        content_type=JSON,
    )
    assert "Paling besar" in refused(response, "competency_ids.0")
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED


def test_overflowing_ids_in_reflection_attendance_are_422(
    client, organisation, facilitator
):
    session = reflection_session(
        organisation=organisation, facilitator=facilitator, trainees=[]
    )
    client.force_login(facilitator)
    response = client.post(
        f"/api/magang/reflection/sessions/{session.pk}/attendance",
        {"person_ids": [int(HUGE)]},
        content_type=JSON,
    )
    assert "Paling besar" in refused(response, "person_ids.0")
    attendance = f"/api/magang/reflection/sessions/{HUGE}/attendance"
    response = client.post(attendance, {"person_ids": []}, content_type=JSON)
    assert "Paling besar" in refused(response, "session_id")


@pytest.mark.parametrize(
    ("address", "body", "field"),
    [
        (
            "/api/competence/assessments",
            {"trainee_id": int(HUGE), "competency_id": 1, "level": "x"},
            "trainee_id",
        ),
        (
            "/api/competence/assessments",
            {
                "trainee_id": 1,
                "competency_id": 1,
                "level": "x",
                "evidence": [{"kind": "assessments.sitting", "id": int(HUGE)}],
            },
            "evidence.0.id",
        ),
        (
            "/api/competence/events/1/attendance",
            {"day": "2025-01-01", "trainee_ids": [int(HUGE)]},
            "trainee_ids.0",
        ),
        (
            f"/api/competence/events/{HUGE}/attendance",
            {"day": "2025-01-01", "trainee_ids": []},
            "event_id",
        ),
        (f"/api/modules/lessons/{HUGE}/done", {}, "lesson_id"),
        (
            f"/api/quizzes/sittings/{NO_SUCH_SITTING}/answers",
            {"position": int(HUGE)},
            "position",
        ),
    ],
)
def test_overflowing_numbers_in_the_other_routers_are_422(
    client, facilitator, address, body, field
):
    client.force_login(facilitator)
    response = client.post(address, body, content_type=JSON)
    assert "Paling besar" in refused(response, field)


def test_a_post_to_an_address_without_its_slash_is_404_even_with_debug(
    client, settings, trainee
):
    settings.DEBUG = True
    client.force_login(trainee)
    for address in ("/api/magang/cases/0/return", "/api/magang/tidak-ada/"):
        response = client.post(address, {}, content_type=JSON)
        assert response.status_code == 404
        assert response.json() == {"detail": "Alamat API ini tidak ada."}


def _integers_without_a_maximum(schema, components, where: str, seen=()):
    if isinstance(schema, list):
        for index, item in enumerate(schema):
            yield from _integers_without_a_maximum(
                item, components, f"{where}[{index}]", seen
            )
        return
    if not isinstance(schema, dict):
        return
    ref = schema.get("$ref")
    if ref:
        name = ref.rsplit("/", 1)[-1]
        if name not in seen:
            yield from _integers_without_a_maximum(
                components[name], components, f"{where}→{name}", (*seen, name)
            )
        return
    if schema.get("type") == "integer" and "maximum" not in schema:
        yield where
    for key, value in schema.items():
        if key in ("properties", "items", "anyOf", "allOf", "oneOf"):
            if key == "properties":
                for name, prop in value.items():
                    yield from _integers_without_a_maximum(
                        prop, components, f"{where}.{name}", seen
                    )
            else:
                yield from _integers_without_a_maximum(
                    value, components, f"{where}", seen
                )


def test_every_integer_the_api_takes_is_bounded(client):
    """So a new endpoint with a bare `int` parameter fails here, not in use."""
    document = client.get("/api/openapi.json").json()
    components = document["components"]["schemas"]
    unbounded = []
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            for parameter in operation.get("parameters", []):
                unbounded += _integers_without_a_maximum(
                    parameter["schema"],
                    components,
                    f"{method.upper()} {path} ?{parameter['name']}",
                )
            for content in operation.get("requestBody", {}).get("content", {}).values():
                unbounded += _integers_without_a_maximum(
                    content["schema"], components, f"{method.upper()} {path} body"
                )
    assert not unbounded, unbounded


def test_a_coordinator_is_still_refused_a_trainees_list_with_good_numbers(client):
    """Bounds do not open anything: within range, the usual answers."""
    coordinator = user_with_roles(Role.KOORDINATOR)
    client.force_login(coordinator)
    response = client.get("/api/magang/entries?offset=0&limit=500")
    assert response.status_code == 200
    assert response.json() == {"items": [], "count": 0}
