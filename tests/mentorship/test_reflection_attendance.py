"""A reflection session's attendance saved as a phone page saw it: the
three-way merge (`save_session_attendance`) and the API's `absent_ids`."""

import pytest

from learning.choices import Role
from learning.models import Enrolment
from mentorship.reflection_attendance import (
    AttendanceError,
    record_attendance,
    save_session_attendance,
)
from tests.factories import OrganisationFactory, reflection_session, user_with_roles

pytestmark = pytest.mark.django_db

URL = "/api/magang/reflection/sessions/{}/attendance"
JSON = "application/json"


@pytest.fixture
def session(organisation, facilitator, trainee, alumnus):
    return reflection_session(
        organisation=organisation, facilitator=facilitator, trainees=[trainee, alumnus]
    )


@pytest.fixture
def outsider(db):
    return user_with_roles(
        Role.PESERTA,
        username="refleksi-luar",
        first_name="Tersembunyi",
        organisation=OrganisationFactory(short_name="LUAR-R"),
    )


def attendees(session) -> set[int]:
    return set(session.attendees.values_list("pk", flat=True))


def test_the_merge_adds_the_ticked_removes_the_unticked_and_leaves_the_rest(
    session, facilitator, trainee, alumnus, organisation
):
    third = user_with_roles(
        Role.PESERTA, username="refleksi-3", organisation=organisation
    )
    Enrolment.objects.create(cohort=session.programme.cohorts.get(), trainee=third)
    record_attendance(session=session, people=[trainee, alumnus], by=facilitator)
    changed = save_session_attendance(
        session=session, present_ids={third.pk}, absent_ids={alumnus.pk}, by=facilitator
    )
    assert changed == 2
    assert attendees(session) == {trainee.pk, third.pk}
    assert (
        save_session_attendance(
            session=session,
            present_ids={third.pk},
            absent_ids={alumnus.pk},
            by=facilitator,
        )
        == 0
    )


def test_an_id_both_present_and_absent_is_refused(session, facilitator, trainee):
    with pytest.raises(AttendanceError, match="sekaligus tidak hadir"):
        save_session_attendance(
            session=session,
            present_ids={trainee.pk},
            absent_ids={trainee.pk},
            by=facilitator,
        )
    assert not session.attendees.exists()


def test_one_refusal_saves_nothing_and_names_nobody_out_of_scope(
    session, facilitator, trainee, alumnus, outsider
):
    record_attendance(session=session, people=[alumnus], by=facilitator)
    with pytest.raises(AttendanceError) as refusal:
        save_session_attendance(
            session=session,
            present_ids={trainee.pk, outsider.pk},
            absent_ids={alumnus.pk},
            by=facilitator,
        )
    message = str(refusal.value)
    assert message.startswith("Tidak ada yang disimpan")
    assert f"#{outsider.pk}" in message and "Tersembunyi" not in message
    assert attendees(session) == {alumnus.pk}


def test_someone_who_may_not_change_the_session_is_refused(session, trainee):
    other = user_with_roles(
        Role.FASILITATOR,
        username="refleksi-lain",
        organisation=OrganisationFactory(short_name="LAIN-R"),
    )
    for who in (other, trainee):
        with pytest.raises(AttendanceError, match="tidak dapat mengubah"):
            save_session_attendance(
                session=session, present_ids={trainee.pk}, absent_ids=set(), by=who
            )
    assert not session.attendees.exists()


# --- The API --------------------------------------------------------------------


def test_the_api_takes_absent_ids_and_leaves_the_others(
    client, session, facilitator, trainee, alumnus
):
    record_attendance(session=session, people=[alumnus], by=facilitator)
    client.force_login(facilitator)
    response = client.post(
        URL.format(session.pk),
        {"person_ids": [trainee.pk], "absent_ids": [alumnus.pk]},
        content_type=JSON,
    )
    assert response.status_code == 200, response.content
    assert [p["id"] for p in response.json()["attendees"]] == [trainee.pk]
    # Without absent_ids, as before: adds, removes nobody.
    again = client.post(
        URL.format(session.pk), {"person_ids": [alumnus.pk]}, content_type=JSON
    )
    assert again.json()["attendance"] == 2


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"person_ids": [], "absent_ids": ["satu"]}, 422),
        ({"person_ids": [], "absent_ids": [2**63]}, 422),
        ({"person_ids": [], "absent_ids": list(range(1, 502))}, 422),
        ({"person_ids": [], "absent_ids": [999999999]}, 422),
        ({"person_ids": [], "absent_ids": "OUTSIDER"}, 422),
        ({"person_ids": "TRAINEE", "absent_ids": "TRAINEE"}, 422),
    ],
)
def test_the_api_refuses_bad_absent_ids_and_saves_nothing(
    client, session, facilitator, trainee, outsider, body, status
):
    record_attendance(session=session, people=[trainee], by=facilitator)
    names = {"TRAINEE": [trainee.pk], "OUTSIDER": [outsider.pk]}
    body = {
        key: names[value] if isinstance(value, str) and value in names else value
        for key, value in body.items()
    }
    client.force_login(facilitator)
    response = client.post(URL.format(session.pk), body, content_type=JSON)
    assert response.status_code == status, response.content
    assert response.json()["detail"]
    assert attendees(session) == {trainee.pk}


def test_the_api_answers_404_to_someone_who_may_not_change_it(client, session, trainee):
    other = user_with_roles(
        Role.FASILITATOR,
        username="refleksi-lain-api",
        organisation=OrganisationFactory(short_name="LAIN-RA"),
    )
    client.force_login(other)
    response = client.post(
        URL.format(session.pk),
        {"person_ids": [trainee.pk], "absent_ids": []},
        content_type=JSON,
    )
    assert response.status_code == 404
    assert response.json()["detail"]
    assert not session.attendees.exists()


def test_the_schema_documents_the_attendance_refusals(client):
    schema = client.get("/api/openapi.json").json()
    path = "/api/magang/reflection/sessions/{session_id}/attendance"
    operation = schema["paths"][path]["post"]
    assert {"200", "404", "422"} <= set(operation["responses"])
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    fields = schema["components"]["schemas"][body["$ref"].rsplit("/", 1)[1]]
    assert "absent_ids" in fields["properties"]
    assert "absent_ids" not in fields.get("required", [])
