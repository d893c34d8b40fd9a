"""The annual reflection in the JSON API: sessions, attendance, my reflection,
my refreshers."""

import uuid

import pytest

from learning.choices import Role
from mentorship.models import Reflection, ReflectionSession
from mentorship.reflection_attendance import record_attendance
from mentorship.reflection_outcomes import assign_refreshers
from modules.progress import mark_lesson_done
from tests.factories import (
    OrganisationFactory,
    reflection_session,
    user_with_roles,
)
from tests.factories.modules import module_with_lessons

JSON = "application/json"


@pytest.fixture
def session(organisation, facilitator, trainee, alumnus):
    return reflection_session(
        organisation=organisation, facilitator=facilitator, trainees=[trainee, alumnus]
    )


@pytest.fixture
def api(client):
    class Api:
        def __init__(self, user):
            client.force_login(user)

        def get(self, path, **params):
            return client.get(f"/api/magang{path}", params)

        def post(self, path, body):
            return client.post(f"/api/magang{path}", body, content_type=JSON)

        def put(self, path, body):
            return client.put(f"/api/magang{path}", body, content_type=JSON)

    return Api


def body(session, key=None, **fields) -> dict:
    values = {
        "uuid": str(key or uuid.uuid4()),
        "session_id": session.pk,
        "case_counts": [{"type": "psikis", "path": "non_litigasi", "count": 3}],
        "partners": ["kantor_desa"],
        "obstacles": [
            {"category": "tekanan_keluarga", "text": "Keluarga minta damai."}
        ],
        "support_needed": "",
        "learning_needs": "Mediasi yang aman.",
    }
    values.update(fields)
    return values


def test_my_reflection_is_created_once_for_one_uuid(api, session, trainee):
    me = api(trainee)
    invited = me.get("/reflection/mine/sessions").json()
    assert [item["id"] for item in invited] == [session.pk]
    key = uuid.uuid4()
    first = me.post("/reflection/mine", body(session, key))
    assert first.status_code == 201, first.content
    # A repeat answers exactly like the first, even with other content: it
    # changes nothing (a change is a PUT).
    again = me.post("/reflection/mine", body(session, key, learning_needs="Lain."))
    assert again.status_code == 201
    assert again.json() == first.json()
    assert Reflection.objects.count() == 1
    listed = me.get("/reflection/mine").json()
    assert listed[0]["uuid"] == str(key)
    assert listed[0]["case_counts"] == [
        {"type": "psikis", "path": "non_litigasi", "count": 3}
    ]
    conflict = me.post("/reflection/mine", body(session))
    assert conflict.status_code == 409
    assert conflict.json()["existing_uuid"] == str(key)
    assert conflict.json()["link"] == f"/refleksi/{session.pk}/"


def test_my_reflection_is_changed_by_its_uuid_and_a_repeat_changes_nothing_more(
    api, session, trainee
):
    me = api(trainee)
    key = uuid.uuid4()
    assert me.post("/reflection/mine", body(session, key)).status_code == 201
    change = body(session, key, learning_needs="Konseling untuk anak.")
    del change["uuid"], change["session_id"]
    changed = me.put(f"/reflection/mine/{key}", change)
    assert changed.status_code == 200, changed.content
    assert changed.json()["learning_needs"] == "Konseling untuk anak."
    again = me.put(f"/reflection/mine/{key}", change)
    assert again.status_code == 200
    assert again.json() == changed.json()
    assert Reflection.objects.get().learning_needs == "Konseling untuk anak."
    assert me.put(f"/reflection/mine/{uuid.uuid4()}", change).status_code == 404


def test_refused_input_is_422_by_field_and_saves_nothing(api, session, trainee):
    response = api(trainee).post(
        "/reflection/mine",
        body(
            session,
            case_counts=[{"type": "fisik", "path": "ke_mana", "count": 1}],
            learning_needs="Hubungi ibu korban di 0812-3456-7890",
        ),
    )
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"case_counts", "learning_needs"}
    assert not Reflection.objects.exists()


def test_someone_not_invited_gets_404(api, session):
    stranger = user_with_roles(Role.PESERTA, username="bukan-undangan")
    assert api(stranger).post("/reflection/mine", body(session)).status_code == 404
    assert api(stranger).get("/reflection/mine/sessions").json() == []


def test_facilitators_list_sessions_and_record_attendance(
    api, session, facilitator, trainee, alumnus
):
    staff = api(facilitator)
    response = staff.post(
        f"/reflection/sessions/{session.pk}/attendance",
        {"person_ids": [trainee.pk, alumnus.pk]},
    )
    assert response.status_code == 200, response.content
    assert response.json()["attendance"] == 2
    listed = staff.get("/reflection/sessions").json()
    assert listed["count"] == 1
    assert {p["username"] for p in listed["items"][0]["attendees"]} == {
        trainee.username,
        alumnus.username,
    }
    outsider = user_with_roles(Role.PESERTA, username="luar")
    refused = staff.post(
        f"/reflection/sessions/{session.pk}/attendance", {"person_ids": [outsider.pk]}
    )
    assert refused.status_code == 422
    assert session.attendees.count() == 2


def test_other_organisations_facilitators_and_trainees_see_no_session(
    api, session, trainee
):
    other = user_with_roles(
        Role.FASILITATOR,
        username="fasil-lain",
        organisation=OrganisationFactory(short_name="LAIN2"),
    )
    assert api(other).get("/reflection/sessions").json()["count"] == 0
    assert (
        api(other)
        .post(f"/reflection/sessions/{session.pk}/attendance", {"person_ids": []})
        .status_code
        == 404
    )
    assert api(trainee).get("/reflection/sessions").json()["count"] == 0


def test_the_session_list_takes_the_same_queries_for_few_or_many(
    api, session, facilitator, django_assert_max_num_queries
):
    staff = api(facilitator)
    for size in (1, 8):
        while ReflectionSession.objects.count() < size:
            extra = ReflectionSession.objects.create(
                programme=session.programme,
                organisation=session.organisation,
                year=session.year,
                start_date=session.start_date,
                end_date=session.end_date,
                place=session.place,
            )
            extra.facilitators.add(facilitator)
            cohort = extra.programme.cohorts.get()
            people = [enrolment.trainee for enrolment in cohort.enrolments.all()]
            record_attendance(session=extra, people=people, by=facilitator)
        with django_assert_max_num_queries(12):
            assert staff.get("/reflection/sessions").json()["count"] == size


def test_my_open_refreshers_until_the_module_is_completed(
    api, session, facilitator, trainee, tree
):
    refresher = module_with_lessons(
        lessons=1, title="Penyegaran SIMFONI", is_refresher=True
    )
    record_attendance(session=session, people=[trainee], by=facilitator)
    assign_refreshers(
        session=session, people=[trainee], modules=[refresher], by=facilitator
    )
    me = api(trainee)
    [item] = me.get("/refreshers/mine").json()
    assert item["title"] == "Penyegaran SIMFONI"
    assert item["url"]
    for lesson in refresher.lessons():
        mark_lesson_done(user=trainee, lesson=lesson)
    assert me.get("/refreshers/mine").json() == []
