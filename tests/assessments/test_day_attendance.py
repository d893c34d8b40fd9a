"""A workshop day saved as a phone page saw it: a three-way merge
(`save_day_attendance`) and the API's `absent_ids`."""

import datetime

import pytest

from assessments.events import (
    AttendanceError,
    record_attendance,
    save_day_attendance,
)
from assessments.models import Attendance, TrainingEvent
from learning.choices import Role
from tests.factories import CohortFactory, OrganisationFactory, region, user_with_roles

pytestmark = pytest.mark.django_db

DAY = datetime.date(2022, 11, 17)
URL = "/api/competence/events/{}/attendance"
JSON = "application/json"


@pytest.fixture
def programme(coordinator):
    return coordinator.coordinated_programmes.get()


@pytest.fixture
def event(programme):
    event = TrainingEvent.objects.create(
        title="Pelatihan Pendokumentasian Kasus",
        programme=programme,
        start_date=DAY,
        end_date=DAY + datetime.timedelta(days=1),
        place=region("53.02"),
        venue="Aula Gereja",
    )
    event.organisers.set(programme.organisations.all())
    event.save()
    return event


@pytest.fixture
def classmates(programme, organisation, facilitator):
    people = [
        user_with_roles(
            Role.PESERTA,
            username=f"uji-teman-{n}",
            first_name=f"Teman{n}",
            organisation=organisation,
        )
        for n in range(2)
    ]
    CohortFactory(programme=programme, facilitators=[facilitator], trainees=people)
    return people


@pytest.fixture
def outsider(db):
    return user_with_roles(
        Role.PESERTA,
        username="uji-luar",
        first_name="Tersembunyi",
        organisation=OrganisationFactory(short_name="LUAR-H"),
    )


def present(event, day=DAY) -> set[int]:
    return set(
        Attendance.objects.filter(event=event, day=day).values_list(
            "trainee_id", flat=True
        )
    )


def test_the_merge_adds_the_ticked_removes_the_unticked_and_leaves_the_rest(
    event, facilitator, trainee, classmates
):
    first, second = classmates
    record_attendance(
        recorder=facilitator, event=event, day=DAY, trainees=[trainee, first]
    )
    changed = save_day_attendance(
        recorder=facilitator,
        event=event,
        day=DAY,
        present_ids={second.pk},
        absent_ids={first.pk},
    )
    assert changed == 2
    # The trainee was neither ticked nor unticked on this page: still present.
    assert present(event) == {trainee.pk, second.pk}
    again = save_day_attendance(
        recorder=facilitator,
        event=event,
        day=DAY,
        present_ids={second.pk},
        absent_ids={first.pk},
    )
    assert again == 0
    assert present(event) == {trainee.pk, second.pk}
    assert present(event, DAY + datetime.timedelta(days=1)) == set()


def test_an_id_both_present_and_absent_is_refused(event, facilitator, trainee):
    with pytest.raises(AttendanceError, match="sekaligus tidak hadir"):
        save_day_attendance(
            recorder=facilitator,
            event=event,
            day=DAY,
            present_ids={trainee.pk},
            absent_ids={trainee.pk},
        )
    assert not Attendance.objects.exists()


def test_one_refusal_saves_nothing_and_names_nobody_out_of_scope(
    event, facilitator, trainee, classmates, outsider
):
    first, second = classmates
    record_attendance(recorder=facilitator, event=event, day=DAY, trainees=[first])
    with pytest.raises(AttendanceError) as refusal:
        save_day_attendance(
            recorder=facilitator,
            event=event,
            day=DAY,
            present_ids={trainee.pk, outsider.pk},
            absent_ids={first.pk},
        )
    message = str(refusal.value)
    assert message.startswith("Tidak ada yang disimpan")
    assert f"#{outsider.pk}" in message and "Tersembunyi" not in message
    assert present(event) == {first.pk}


def test_someone_in_scope_but_not_expected_is_refused_by_name(
    event, facilitator, trainee, organisation
):
    # A trainee of the facilitator's organisation in no cohort of the programme.
    colleague = user_with_roles(
        Role.PESERTA,
        username="uji-lain",
        first_name="Agustina",
        organisation=organisation,
    )
    CohortFactory(facilitators=[facilitator], trainees=[colleague])
    with pytest.raises(AttendanceError, match="Agustina"):
        save_day_attendance(
            recorder=facilitator,
            event=event,
            day=DAY,
            present_ids={colleague.pk},
            absent_ids=set(),
        )
    assert not Attendance.objects.exists()


def test_a_day_outside_and_a_recorder_out_of_scope_are_refused(
    event, facilitator, trainee
):
    with pytest.raises(AttendanceError, match="di luar pelatihan"):
        save_day_attendance(
            recorder=facilitator,
            event=event,
            day=DAY - datetime.timedelta(days=1),
            present_ids={trainee.pk},
            absent_ids=set(),
        )
    partner = user_with_roles(
        Role.FASILITATOR,
        username="uji-mitra",
        organisation=OrganisationFactory(short_name="MITRA-H"),
    )
    with pytest.raises(AttendanceError, match="tidak dapat mencatat"):
        save_day_attendance(
            recorder=partner,
            event=event,
            day=DAY,
            present_ids={trainee.pk},
            absent_ids=set(),
        )
    assert not Attendance.objects.exists()


# --- The API --------------------------------------------------------------------


def test_the_api_takes_absent_ids_and_leaves_the_others(
    client, event, facilitator, trainee, classmates
):
    first, second = classmates
    record_attendance(
        recorder=facilitator, event=event, day=DAY, trainees=[trainee, first]
    )
    client.force_login(facilitator)
    response = client.post(
        URL.format(event.pk),
        {"day": DAY.isoformat(), "trainee_ids": [second.pk], "absent_ids": [first.pk]},
        content_type=JSON,
    )
    assert response.status_code == 200, response.content
    assert response.json() == {"event_id": event.pk, "day": "2022-11-17", "changed": 2}
    assert present(event) == {trainee.pk, second.pk}


def test_the_api_without_absent_ids_answers_as_before(
    client, event, facilitator, trainee, classmates
):
    first, _second = classmates
    client.force_login(facilitator)
    url = URL.format(event.pk)
    body = {"day": DAY.isoformat(), "trainee_ids": [trainee.pk, first.pk]}
    assert client.post(url, body, content_type=JSON).json()["changed"] == 2
    gone = {**body, "trainee_ids": [first.pk], "present": False}
    assert client.post(url, gone, content_type=JSON).json()["changed"] == 1
    assert present(event) == {trainee.pk}


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"trainee_ids": [], "absent_ids": ["satu"]}, 422),
        ({"trainee_ids": [], "absent_ids": [0]}, 422),
        ({"trainee_ids": [], "absent_ids": [2**63]}, 422),
        ({"trainee_ids": [], "absent_ids": list(range(1, 502))}, 422),
        ({"trainee_ids": [], "absent_ids": [999999999]}, 404),
        ({"trainee_ids": [], "absent_ids": "OUTSIDER"}, 409),
        ({"trainee_ids": "TRAINEE", "absent_ids": "TRAINEE"}, 409),
    ],
)
def test_the_api_refuses_bad_absent_ids_and_saves_nothing(
    client, event, facilitator, trainee, outsider, body, status
):
    record_attendance(recorder=facilitator, event=event, day=DAY, trainees=[trainee])
    names = {"TRAINEE": [trainee.pk], "OUTSIDER": [outsider.pk]}
    body = {
        key: names[value] if isinstance(value, str) and value in names else value
        for key, value in body.items()
    }
    client.force_login(facilitator)
    response = client.post(
        URL.format(event.pk), {"day": DAY.isoformat(), **body}, content_type=JSON
    )
    assert response.status_code == status, response.content
    assert response.json()["detail"]
    assert present(event) == {trainee.pk}


def test_the_schema_documents_the_attendance_refusals(client):
    schema = client.get("/api/openapi.json").json()
    operation = schema["paths"]["/api/competence/events/{event_id}/attendance"]["post"]
    assert {"200", "404", "409", "422"} <= set(operation["responses"])
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    fields = schema["components"]["schemas"][body["$ref"].rsplit("/", 1)[1]]
    assert "absent_ids" in fields["properties"]
    assert "absent_ids" not in fields.get("required", [])
