"""Magang through the JSON API: the same rules and scope as the pages."""

import datetime

from django.test import Client
from django.utils import timezone

import pytest

from learning.choices import Role
from learning.models import Notification
from mentorship.choices import EntryStatus
from mentorship.models import HourEntry, HourEntryEvent
from tests.factories import (
    CohortFactory,
    HourEntryFactory,
    PlacementFactory,
    ProgrammeFactory,
    outside_placement,
    user_with_roles,
)
from tests.factories.mentorship import hour_entry_body

pytestmark = pytest.mark.django_db

JSON = "application/json"


@pytest.fixture
def placement():
    return PlacementFactory()


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


# --- Creating entries --------------------------------------------------------


def test_an_entry_is_created_as_a_draft_with_its_history(api, placement):
    response = api(placement.trainee).post("/entries", hour_entry_body(placement))
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "draf"
    assert body["minutes"] == 150
    assert body["placement_id"] == placement.pk
    assert body["verifier"] is None
    assert [event["action"] for event in body["history"]] == ["dibuat"]
    assert body["history"][0]["by"] == placement.trainee.display_name


def test_sending_the_same_uuid_twice_makes_one_entry_and_the_same_answer(
    api, placement
):
    trainee_api = api(placement.trainee)
    payload = hour_entry_body(placement, submit=True)
    first = trainee_api.post("/entries", payload)
    again = trainee_api.post("/entries", payload)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert first.json()["status"] == "diajukan"
    assert HourEntry.objects.count() == 1
    assert HourEntryEvent.objects.count() == 2  # created, submitted: once each


def test_a_refused_entry_names_the_fields_in_indonesian_and_saves_nothing(
    api, placement
):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = api(placement.trainee).post(
        "/entries",
        hour_entry_body(placement, date=str(tomorrow), category="lain", activity=" "),
    )
    assert response.status_code == 422
    body = response.json()
    assert set(body["errors"]) >= {"date", "category", "activity"}
    assert "belum terjadi" in " ".join(body["errors"]["date"])
    assert body["detail"] in sum(body["errors"].values(), [])
    assert not HourEntry.objects.exists()


def test_a_duration_without_times_is_accepted(api, placement):
    response = api(placement.trainee).post(
        "/entries",
        hour_entry_body(placement, start_time=None, end_time=None, minutes=45),
    )
    assert response.status_code == 201
    assert response.json()["minutes"] == 45


def test_an_overlap_is_refused_under_start_time(api, placement):
    trainee_api = api(placement.trainee)
    assert trainee_api.post("/entries", hour_entry_body(placement)).status_code == 201
    response = trainee_api.post(
        "/entries", hour_entry_body(placement, start_time="09:00", end_time="11:00")
    )
    assert response.status_code == 422
    assert "Bertumpang tindih" in response.json()["errors"]["start_time"][0]


def test_someone_elses_placement_cannot_take_entries(api, placement):
    stranger = PlacementFactory()
    response = api(placement.trainee).post("/entries", hour_entry_body(stranger))
    assert response.status_code == 422
    assert "placement" in response.json()["errors"]
    assert not HourEntry.objects.exists()


def test_a_uuid_used_by_another_trainee_is_a_conflict(api, placement):
    taken = HourEntryFactory()
    response = api(placement.trainee).post(
        "/entries", hour_entry_body(placement, uuid=str(taken.uuid))
    )
    assert response.status_code == 409
    assert response.json()["errors"]["uuid"]
    assert HourEntry.objects.get().pk == taken.pk


# --- Listing, scope, updating --------------------------------------------------


def test_a_trainee_lists_only_their_own_entries(api, placement):
    mine = HourEntryFactory(placement=placement)
    HourEntryFactory()  # another trainee's
    body = api(placement.trainee).get("/entries").json()
    assert body["count"] == 1
    assert body["items"][0]["uuid"] == str(mine.uuid)


def test_entries_filter_by_placement_and_status(api, placement):
    second = PlacementFactory(trainee=placement.trainee)
    HourEntryFactory(placement=placement)
    waiting = HourEntryFactory(
        placement=second,
        status=EntryStatus.SUBMITTED,
        date=timezone.localdate() - datetime.timedelta(days=5),
    )
    trainee_api = api(placement.trainee)
    by_placement = trainee_api.get("/entries", placement=second.pk).json()
    by_status = trainee_api.get("/entries", status="diajukan").json()
    assert [item["uuid"] for item in by_placement["items"]] == [str(waiting.uuid)]
    assert [item["uuid"] for item in by_status["items"]] == [str(waiting.uuid)]


def test_listing_entries_takes_the_same_queries_for_few_or_many(
    api, placement, django_assert_max_num_queries
):
    trainee_api = api(placement.trainee)
    HourEntryFactory(placement=placement)
    with django_assert_max_num_queries(10):
        assert trainee_api.get("/entries").json()["count"] == 1
    for days in range(4, 24):
        entry = HourEntryFactory(
            placement=placement,
            date=timezone.localdate() - datetime.timedelta(days=days),
            status=EntryStatus.VERIFIED,
            verified_by=placement.supervisor,
        )
        HourEntryEvent.objects.create(entry=entry, action="dibuat", actor=entry.trainee)
    with django_assert_max_num_queries(10):
        assert trainee_api.get("/entries").json()["count"] == 21


def test_a_draft_is_updated_and_its_history_grows(api, placement):
    entry = HourEntryFactory(placement=placement)
    response = api(placement.trainee).put(
        f"/entries/{entry.uuid}",
        hour_entry_body(
            placement, activity="Mendampingi diskusi kasus dengan pembimbing."
        ),
    )
    assert response.status_code == 200
    assert response.json()["activity"].startswith("Mendampingi")
    assert response.json()["history"][-1]["action"] == "diubah"


def test_another_trainees_entry_cannot_be_updated(api, placement):
    theirs = HourEntryFactory()
    response = api(placement.trainee).put(
        f"/entries/{theirs.uuid}", hour_entry_body(theirs.placement)
    )
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.activity.startswith("Mengamati")


def test_a_verified_entry_is_locked(api, placement):
    entry = HourEntryFactory(placement=placement, status=EntryStatus.VERIFIED)
    response = api(placement.trainee).put(
        f"/entries/{entry.uuid}",
        hour_entry_body(placement, activity="Diubah diam-diam."),
    )
    assert response.status_code == 409
    assert "tidak dapat diubah" in response.json()["detail"]


def test_an_update_with_bad_fields_is_refused_by_field(api, placement):
    entry = HourEntryFactory(placement=placement)
    response = api(placement.trainee).put(
        f"/entries/{entry.uuid}", hour_entry_body(placement, end_time=None)
    )
    assert response.status_code == 422
    assert "end_time" in response.json()["errors"]


def test_submitting_sends_drafts_to_the_supervisor_once(api, placement):
    drafts = HourEntryFactory.create_batch(
        2,
        placement=placement,
        date=factory_days_ago(3),
        start_time=None,
        end_time=None,
        minutes=60,
    )
    trainee_api = api(placement.trainee)
    payload = {"uuids": [str(entry.uuid) for entry in drafts]}
    first = trainee_api.post("/entries/submit", payload)
    again = trainee_api.post("/entries/submit", payload)
    assert first.status_code == again.status_code == 200
    assert {item["status"] for item in first.json()} == {"diajukan"}
    assert first.json() == again.json()
    assert HourEntryEvent.objects.filter(action="diajukan").count() == 2


def test_another_trainees_entries_cannot_be_submitted(api, placement):
    theirs = HourEntryFactory()
    response = api(placement.trainee).post(
        "/entries/submit", {"uuids": [str(theirs.uuid)]}
    )
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == EntryStatus.DRAFT


def factory_days_ago(days):
    return timezone.localdate() - datetime.timedelta(days=days)


# --- Placements ----------------------------------------------------------------


def test_placements_carry_totals_only_for_the_signed_in_trainee(api, placement):
    HourEntryFactory(placement=placement, status=EntryStatus.VERIFIED)
    HourEntryFactory(
        placement=placement, status=EntryStatus.SUBMITTED, date=factory_days_ago(4)
    )
    PlacementFactory()  # someone else's, invisible
    body = api(placement.trainee).get("/placements").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["supervisor"] == placement.supervisor.display_name
    assert item["totals"]["verified_minutes"] == 120
    assert item["totals"]["waiting_minutes"] == 120
    assert item["totals"]["target_minutes"] == 40 * 60
    assert item["totals"]["percent_verified"] == 5

    supervised = api(placement.supervisor).get("/placements").json()
    assert [row["id"] for row in supervised["items"]] == [placement.pk]
    assert supervised["items"][0]["totals"] is None


def test_an_outside_supervisor_is_named_without_an_account():
    placement = outside_placement()
    client = Client()
    client.force_login(placement.trainee)
    item = client.get("/api/magang/placements").json()["items"][0]
    assert item["supervisor_has_account"] is False
    assert item["supervisor"].startswith("Bidan Maria")


# --- The supervisor's queue ---------------------------------------------------


def test_the_queue_holds_only_entries_waiting_for_this_supervisor(api, placement):
    waiting = HourEntryFactory(placement=placement, status=EntryStatus.SUBMITTED)
    HourEntryFactory(
        placement=placement, status=EntryStatus.DRAFT, date=factory_days_ago(5)
    )
    HourEntryFactory(status=EntryStatus.SUBMITTED)  # another supervisor's
    body = api(placement.supervisor).get("/queue").json()
    assert [item["uuid"] for item in body["items"]] == [str(waiting.uuid)]
    assert body["items"][0]["trainee"] == placement.trainee.display_name
    assert body["items"][0]["host"] == placement.host.short_name


def test_the_queue_takes_the_same_queries_for_few_or_many(
    api, placement, django_assert_max_num_queries
):
    supervisor_api = api(placement.supervisor)
    HourEntryFactory(placement=placement, status=EntryStatus.SUBMITTED)
    with django_assert_max_num_queries(10):
        assert supervisor_api.get("/queue").json()["count"] == 1
    for _ in range(10):
        other = PlacementFactory(supervisor=placement.supervisor)
        HourEntryFactory.create_batch(2, placement=other, status=EntryStatus.SUBMITTED)
    with django_assert_max_num_queries(10):
        assert supervisor_api.get("/queue").json()["count"] == 21


def test_the_supervisor_verifies_through_the_api_and_the_trainee_is_told(
    api, placement
):
    entries = HourEntryFactory.create_batch(
        2,
        placement=placement,
        status=EntryStatus.SUBMITTED,
        start_time=None,
        end_time=None,
        minutes=60,
    )
    response = api(placement.supervisor).post(
        "/queue/verify",
        {"uuids": [str(entry.uuid) for entry in entries], "comment": "Bagus."},
    )
    assert response.status_code == 200
    body = response.json()
    assert {item["status"] for item in body} == {"terverifikasi"}
    assert {item["verifier"] for item in body} == {placement.supervisor.display_name}
    assert body[0]["history"][-1]["action"] == "diverifikasi"
    assert Notification.objects.filter(recipient=placement.trainee).count() == 1


def test_returning_needs_a_comment(api, placement):
    entry = HourEntryFactory(placement=placement, status=EntryStatus.SUBMITTED)
    supervisor_api = api(placement.supervisor)
    refused = supervisor_api.post(
        "/queue/return", {"uuids": [str(entry.uuid)], "comment": " "}
    )
    assert refused.status_code == 422
    assert refused.json()["errors"]["comment"]
    entry.refresh_from_db()
    assert entry.status == EntryStatus.SUBMITTED

    returned = supervisor_api.post(
        "/queue/return",
        {"uuids": [str(entry.uuid)], "comment": "Tulis jam selesainya."},
    )
    assert returned.status_code == 200
    assert returned.json()[0]["status"] == "dikembalikan"
    assert returned.json()[0]["supervisor_comment"] == "Tulis jam selesainya."


def test_deciding_on_entries_one_does_not_supervise_is_forbidden(api, placement):
    entry = HourEntryFactory(placement=placement, status=EntryStatus.SUBMITTED)
    # A coordinator sees the trainee through the programme, but supervises nothing.
    coordinator = user_with_roles(Role.KOORDINATOR)
    CohortFactory(
        programme=ProgrammeFactory(coordinators=[coordinator]),
        trainees=[placement.trainee],
    )
    for person in (coordinator, placement.trainee):
        response = api(person).post(
            "/queue/verify", {"uuids": [str(entry.uuid)], "comment": ""}
        )
        assert response.status_code == 403
        assert "bukan pembimbing" in response.json()["detail"]
    entry.refresh_from_db()
    assert entry.status == EntryStatus.SUBMITTED


def test_entries_out_of_sight_are_not_found(api, placement):
    theirs = HourEntryFactory(status=EntryStatus.SUBMITTED)
    response = api(placement.supervisor).post(
        "/queue/verify", {"uuids": [str(theirs.uuid)], "comment": ""}
    )
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == EntryStatus.SUBMITTED


# --- Security and documentation ----------------------------------------------


def test_the_api_needs_a_signed_in_session(client, placement):
    assert client.get("/api/magang/entries").status_code == 401
    response = client.post(
        "/api/magang/entries", hour_entry_body(placement), content_type=JSON
    )
    assert response.status_code == 401
    assert not HourEntry.objects.exists()


def test_a_session_post_without_the_csrf_token_is_refused(placement):
    client = Client(enforce_csrf_checks=True)
    client.force_login(placement.trainee)
    payload = hour_entry_body(placement)
    refused = client.post("/api/magang/entries", payload, content_type=JSON)
    assert refused.status_code == 403
    assert not HourEntry.objects.exists()

    client.get("/")  # the home page has forms, so it sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    accepted = client.post(
        "/api/magang/entries",
        payload,
        content_type=JSON,
        headers={"X-CSRFToken": token},
    )
    assert accepted.status_code == 201


def test_the_openapi_schema_documents_the_magang_endpoints(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {"get", "post"} <= set(paths["/api/magang/entries"])
    assert "put" in paths["/api/magang/entries/{entry_uuid}"]
    for path in (
        "/api/magang/placements",
        "/api/magang/entries/submit",
        "/api/magang/queue",
        "/api/magang/queue/verify",
        "/api/magang/queue/return",
    ):
        assert path in paths


def test_a_body_that_does_not_fit_the_schema_is_answered_in_indonesian_by_field(
    api, placement
):
    response = api(placement.trainee).post(
        "/entries", hour_entry_body(placement, date="kemarin", uuid="bukan-uuid")
    )
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "Permintaan tidak sesuai format."
    assert body["errors"]["date"] == ["Tanggal harus berformat TTTT-BB-HH."]
    assert body["errors"]["uuid"] == ["Kode harus berupa UUID."]
    assert not HourEntry.objects.exists()
