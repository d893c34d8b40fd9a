"""Practice cases through the JSON API: the same rules and scope as the pages."""

import pytest

from assessments.models import Competency
from mentorship.choices import CaseStatus
from mentorship.models import PracticeCase, PracticeCaseEvent
from tests.factories import (
    PlacementFactory,
    PracticeCaseFactory,
    new_case,
    outside_placement,
)

pytestmark = pytest.mark.django_db


def make_competencies(count: int) -> list[Competency]:
    return [
        Competency.objects.create(
            name=f"Kompetensi uji {number}",
            description="Mendampingi dengan hormat.",
            criteria="Mendengarkan tanpa menghakimi",
        )
        for number in range(count)
    ]


JSON = "application/json"


@pytest.fixture
def placement(trainee):
    return PlacementFactory(trainee=trainee)


@pytest.fixture
def api(client):
    """A client signed in as `user`, sending JSON."""

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


# --- Creating -----------------------------------------------------------------


def test_a_case_is_created_once_for_one_uuid(api, placement):
    trainee_api = api(placement.trainee)
    body = new_case(placement, submit=True)
    first = trainee_api.post("/cases", body)
    again = trainee_api.post("/cases", body)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    answer = first.json()
    assert answer["status"] == "diajukan"
    assert answer["violence_types"] == ["fisik", "psikis"]
    assert answer["kecamatan"] == "53.02.01"
    assert answer["warning"] is None
    assert answer["editable"] is False
    assert [event["action"] for event in answer["history"]] == ["dibuat", "diajukan"]
    assert PracticeCase.objects.count() == 1
    assert PracticeCaseEvent.objects.count() == 2


def test_the_answer_carries_the_tpks_warning(api, placement):
    response = api(placement.trainee).post(
        "/cases",
        new_case(placement, violence_types=["seksual"], path="keduanya"),
    )
    assert response.status_code == 201
    assert "UU 12/2022 pasal 23" in response.json()["warning"]


def test_refused_input_is_422_by_field_and_saves_nothing(api, placement):
    response = api(placement.trainee).post(
        "/cases",
        new_case(
            placement,
            violence_types=[],
            services=["dukun"],
            kecamatan="53.02.01.1001",
            month=13,
            actions="Nomor ayahnya +62 812 3456 7890, rumahnya dekat pasar.",
        ),
    )
    assert response.status_code == 422
    body = response.json()
    assert set(body["errors"]) == {
        "violence_types",
        "services",
        "kecamatan",
        "month",
        "actions",
    }
    assert '"+62 812 3456 7890"' in body["errors"]["actions"][0]
    assert body["detail"] in sum(body["errors"].values(), [])
    assert not PracticeCase.objects.exists()


def test_an_unknown_kecamatan_code_is_refused_on_its_field(api, placement):
    response = api(placement.trainee).post(
        "/cases", new_case(placement, kecamatan="99.99.99")
    )
    assert response.status_code == 422
    assert response.json()["errors"]["kecamatan"]


def test_an_outside_supervised_placement_takes_no_cases(api, trainee):
    response = api(trainee).post("/cases", new_case(outside_placement(trainee=trainee)))
    assert response.status_code == 422
    assert "pembimbing" in response.json()["errors"]["placement"][0]


def test_someone_elses_placement_or_uuid_is_refused(api, placement):
    trainee_api = api(placement.trainee)
    response = trainee_api.post("/cases", new_case(PlacementFactory()))
    assert response.status_code == 422
    assert "placement" in response.json()["errors"]
    taken = PracticeCaseFactory()
    response = trainee_api.post("/cases", new_case(placement, uuid=str(taken.uuid)))
    assert response.status_code == 409
    assert response.json()["errors"]["uuid"]
    assert PracticeCase.objects.get().pk == taken.pk


# --- Scope --------------------------------------------------------------------


def test_each_person_lists_what_they_may_read(
    api, trainee, facilitator, coordinator, placement
):
    mine = PracticeCaseFactory(placement=placement, status=CaseStatus.SUBMITTED)
    reviewed = PracticeCaseFactory(placement=placement, status=CaseStatus.REVIEWED)
    PracticeCaseFactory()  # another trainee's, elsewhere

    def listed(person, **params):
        return {
            item["uuid"] for item in api(person).get("/cases", **params).json()["items"]
        }

    assert listed(trainee) == {str(mine.uuid), str(reviewed.uuid)}
    assert listed(trainee, status="ditinjau") == {str(reviewed.uuid)}
    assert listed(placement.supervisor) == {str(mine.uuid), str(reviewed.uuid)}
    assert listed(placement.supervisor, mine="true") == set()
    # The facilitator who teaches the trainee: reviewed cases only.
    assert listed(facilitator) == {str(reviewed.uuid)}
    # The coordinator: counts elsewhere, never narratives.
    assert listed(coordinator) == set()


def test_listing_takes_the_same_queries_for_few_or_many(
    api, placement, django_assert_max_num_queries
):
    trainee_api = api(placement.trainee)
    [competency] = make_competencies(1)
    for count in (1, 15):
        while PracticeCase.objects.count() < count:
            case = PracticeCaseFactory(
                placement=placement,
                status=CaseStatus.REVIEWED,
                reviewed_by=placement.supervisor,
            )
            case.competencies_shown.add(competency)
            PracticeCaseEvent.objects.create(
                case=case, action="dibuat", actor=placement.trainee
            )
        with django_assert_max_num_queries(12):
            assert trainee_api.get("/cases").json()["count"] == count


# --- Updating and submitting --------------------------------------------------


def test_a_draft_is_updated_but_a_submitted_case_is_locked(api, placement):
    trainee_api = api(placement.trainee)
    draft = PracticeCaseFactory(placement=placement)
    response = trainee_api.put(
        f"/cases/{draft.uuid}", new_case(placement, learned="Dengarkan dulu.")
    )
    assert response.status_code == 200
    assert response.json()["learned"] == "Dengarkan dulu."
    waiting = PracticeCaseFactory(placement=placement, status=CaseStatus.SUBMITTED)
    response = trainee_api.put(f"/cases/{waiting.uuid}", new_case(placement))
    assert response.status_code == 409
    refused = trainee_api.put(
        f"/cases/{draft.uuid}", new_case(placement, victim_sex="X")
    )
    assert refused.status_code == 422
    assert refused.json()["errors"]["victim_sex"]


def test_another_persons_case_cannot_be_updated_or_submitted(api, placement):
    theirs = PracticeCaseFactory()
    trainee_api = api(placement.trainee)
    assert (
        trainee_api.put(f"/cases/{theirs.uuid}", new_case(placement)).status_code == 404
    )
    assert (
        trainee_api.post("/cases/submit", {"uuids": [str(theirs.uuid)]}).status_code
        == 404
    )
    theirs.refresh_from_db()
    assert theirs.status == CaseStatus.DRAFT


def test_submitting_twice_is_once(api, placement):
    trainee_api = api(placement.trainee)
    case = PracticeCaseFactory(placement=placement)
    for _attempt in range(2):
        response = trainee_api.post("/cases/submit", {"uuids": [str(case.uuid)]})
        assert response.status_code == 200
        assert response.json()[0]["status"] == "diajukan"
    assert case.history.count() == 1
    assert trainee_api.post("/cases/submit", {"uuids": []}).status_code == 422


# --- Review -------------------------------------------------------------------


def test_the_supervisor_reviews_from_the_queue(api, placement):
    case = PracticeCaseFactory(placement=placement, status=CaseStatus.SUBMITTED)
    PracticeCaseFactory(placement=placement)  # a draft: not in the queue
    supervisor_api = api(placement.supervisor)
    queue = supervisor_api.get("/cases/queue").json()
    assert [item["uuid"] for item in queue["items"]] == [str(case.uuid)]

    shown = sorted(competency.pk for competency in make_competencies(2))
    response = supervisor_api.post(
        f"/cases/{case.uuid}/review",
        {"feedback": "Pendampingan yang hormat.", "competency_ids": shown},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ditinjau"
    assert body["reviewer"] == placement.supervisor.display_name
    assert sorted(item["id"] for item in body["competencies_shown"]) == shown
    assert supervisor_api.get("/cases/queue").json()["count"] == 0
    # Reviewing again: the case no longer waits.
    again = supervisor_api.post(
        f"/cases/{case.uuid}/review", {"feedback": "Sekali lagi."}
    )
    assert again.status_code == 409


def test_a_return_needs_feedback_and_reopens_the_case(api, placement):
    case = PracticeCaseFactory(placement=placement, status=CaseStatus.SUBMITTED)
    supervisor_api = api(placement.supervisor)
    empty = supervisor_api.post(f"/cases/{case.uuid}/return", {"feedback": " "})
    assert empty.status_code == 422
    assert empty.json()["errors"]["feedback"]
    response = supervisor_api.post(
        f"/cases/{case.uuid}/return", {"feedback": "Tambahkan layanan rujukan."}
    )
    assert response.status_code == 200
    assert response.json()["status"] == "dikembalikan"
    assert response.json()["editable"] is True


def test_unknown_competencies_are_refused(api, placement):
    case = PracticeCaseFactory(placement=placement, status=CaseStatus.SUBMITTED)
    response = api(placement.supervisor).post(
        f"/cases/{case.uuid}/review", {"feedback": "Baik.", "competency_ids": [999999]}
    )
    assert response.status_code == 422
    assert response.json()["errors"]["competency_ids"]
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED


def test_only_the_supervisor_may_decide(
    api, trainee, facilitator, coordinator, placement
):
    case = PracticeCaseFactory(placement=placement, status=CaseStatus.SUBMITTED)
    # The trainee sees the case but may not review it.
    response = api(trainee).post(f"/cases/{case.uuid}/review", {"feedback": "Bagus."})
    assert response.status_code == 403
    # Outside one's view, the case does not exist.
    for person in (facilitator, coordinator, PlacementFactory().supervisor):
        response = api(person).post(f"/cases/{case.uuid}/return", {"feedback": "x"})
        assert response.status_code == 404
    # After review, the facilitator reads it but still may not decide.
    api(placement.supervisor).post(f"/cases/{case.uuid}/review", {"feedback": "Baik."})
    response = api(facilitator).post(f"/cases/{case.uuid}/return", {"feedback": "x"})
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.status == CaseStatus.REVIEWED
