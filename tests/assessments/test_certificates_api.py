"""The certificates API: my certificates and checklist, a cohort's ready list
for the staff who read its results, and issuing by the programme's
coordinator, under ugly input and twenty identical presses at once."""

import datetime
import json
from urllib.parse import quote

from django.db import connection
from django.utils import timezone

import pytest

from assessments.models import Certificate
from learning import outbox
from learning.choices import Role
from tests.concurrency import all_at_once, signed_in_clients
from tests.factories import OrganisationFactory, ProgrammeFactory, user_with_roles
from tests.factories.certificates_rules import certification_world
from tests.factories.certificates_site import certificate_for, renew
from tests.factories.people import client_for
from tests.hostile import UGLY

JSON = "application/json"
MINE = "/api/certificates/mine"
CHECKLIST = "/api/certificates/checklist"
ISSUE = "/api/certificates/issue"


def ready_url(cohort) -> str:
    return f"/api/certificates/cohorts/{cohort.pk}/ready"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def world(db):
    return certification_world()


def post(client, body, url=ISSUE):
    return client.post(url, json.dumps(body), content_type=JSON)


# --- Mine -------------------------------------------------------------------


def test_my_certificates_with_status_renewals_and_addresses(world, settings):
    settings.WAGTAILADMIN_BASE_URL = "https://pendamping.contoh.id/"
    holder = world.trainee("pemegang")
    other = ProgrammeFactory(name="Program Kedua", short_name="PK2")
    standing = certificate_for(
        holder,
        world.programme,
        issued_on=datetime.date(2025, 12, 5),
        valid_until=datetime.date(2099, 1, 1),
        pdf=True,
    )
    renewal = renew(standing)
    in_making = certificate_for(holder, other)
    revoked = certificate_for(holder, other, revoked=True, pdf=True)
    certificate_for(world.trainee("orang-lain"), world.programme, pdf=True)

    response = client_for(holder).get(MINE)

    assert response.status_code == 200
    rows = {row["id"]: row for row in response.json()}
    assert set(rows) == {standing.pk, in_making.pk, revoked.pk}
    row = rows[standing.pk]
    assert row["code"] == standing.code
    assert row["programme"] == world.programme.name
    assert row["issued_on"] == "2025-12-05"
    assert row["valid_until"] == renewal.valid_until.isoformat()
    assert (row["status"], row["status_label"]) == ("berlaku", "Berlaku")
    assert row["verification_url"] == (
        f"https://pendamping.contoh.id/verifikasi/{standing.code}/"
    )
    assert row["pdf_url"] == f"/sertifikat/{standing.pk}/unduh/"
    assert row["renewals"] == [
        {
            "renewed_on": renewal.renewed_on.isoformat(),
            "previous_valid_until": "2099-01-01",
            "valid_until": renewal.valid_until.isoformat(),
            "modules": ["Penyegaran: Rujukan Kasus"],
        }
    ]
    assert rows[in_making.pk]["pdf_url"] is None
    assert rows[revoked.pk]["status"] == "dicabut"
    assert rows[revoked.pk]["revoked_on"] == timezone.localdate().isoformat()
    assert rows[revoked.pk]["pdf_url"] is None


def test_the_api_asks_a_visitor_to_sign_in(world):
    anonymous = client_for(None)
    for url in (MINE, CHECKLIST, ready_url(world.cohort)):
        response = anonymous.get(url)
        assert response.status_code == 401
        assert "Masuk lagi" in response.json()["detail"]
    assert post(anonymous, {"programme_id": 1, "trainee_ids": [1]}).status_code == 401


# --- Checklist --------------------------------------------------------------


def test_my_checklist_lines_with_links(world):
    person = world.trainee("belajar")
    world.log_hours(person, 40 * 60)
    [row] = client_for(person).get(CHECKLIST).json()
    assert row["programme_id"] == world.programme.pk
    assert row["ready"] is False and row["certificate_code"] is None
    lines = {line["key"]: line for line in row["lines"]}
    assert list(lines) == ["modules", "competencies", "hours", "cases", "attendance"]
    assert lines["hours"] == {
        "key": "hours",
        "label": "Jam magang terverifikasi",
        "done": True,
        "progress": "40 dari 40 jam",
        "link": "/magang/",
    }
    assert lines["cases"]["link"] == "/magang/kasus/"
    assert lines["modules"]["link"] == world.module.url
    assert lines["attendance"]["link"] == ""


def test_a_ready_holder_sees_ready_and_the_certificate_code(world):
    person = world.ready_trainee("siap")
    certificate = certificate_for(person, world.programme)
    [row] = client_for(person).get(CHECKLIST).json()
    assert row["ready"] is True
    assert row["certificate_code"] == certificate.code


def test_staff_with_no_programme_of_their_own_get_empty_lists(world):
    client = client_for(world.coordinator)
    assert client.get(CHECKLIST).json() == []
    assert client.get(MINE).json() == []


# --- A cohort's ready list --------------------------------------------------


@pytest.fixture
def outsiders(world):
    partner = user_with_roles(
        Role.FASILITATOR,
        username="fasilitator-mitra",
        organisation=OrganisationFactory(name="Yayasan Mitra", short_name="YM"),
    )
    other = user_with_roles(Role.KOORDINATOR, username="koordinator-lain")
    ProgrammeFactory(name="Program Lain", short_name="PLN", coordinators=[other])
    return {"partner": partner, "other_coordinator": other}


def test_the_ready_list_says_who_is_ready_and_what_the_others_lack(world):
    ready = world.ready_trainee("siap")
    holder = world.ready_trainee("pemegang")
    certificate = certificate_for(holder, world.programme)
    short = world.trainee("kurang")
    world.log_hours(short, 32 * 60)

    for who in (world.coordinator, world.facilitator):
        response = client_for(who).get(ready_url(world.cohort))
        assert response.status_code == 200
        body = response.json()
        assert body["count"] == 3
        rows = {row["id"]: row for row in body["items"]}
        assert rows[ready.pk] == {
            "id": ready.pk,
            "name": ready.display_name,
            "ready": True,
            "missing": [],
            "certificate_code": None,
        }
        assert rows[holder.pk]["certificate_code"] == certificate.code
        lacking = rows[short.pk]
        assert lacking["ready"] is False
        hours = next(item for item in lacking["missing"] if item["key"] == "hours")
        assert hours["progress"] == "32 dari 40 jam"
        assert hours["missing"] == "8 jam"
        assert hours["label"] == "Jam magang terverifikasi"


def test_the_ready_list_pages(world):
    people = [world.trainee(f"orang-{n}") for n in range(5)]
    client = client_for(world.coordinator)
    page = client.get(ready_url(world.cohort), {"limit": 2, "offset": 4}).json()
    assert page["count"] == 5
    assert len(page["items"]) == 1
    assert page["items"][0]["id"] in {person.pk for person in people}


def test_the_ready_list_is_refused_to_trainees_and_hidden_from_outsiders(
    world, outsiders
):
    trainee = world.trainee("ingin-tahu")
    refused = client_for(trainee).get(ready_url(world.cohort))
    assert refused.status_code == 403
    assert refused.json()["detail"] == "Hanya untuk fasilitator dan koordinator."
    for who in outsiders.values():
        response = client_for(who).get(ready_url(world.cohort))
        assert response.status_code == 404
        assert response.json()["detail"] == "Angkatan ini tidak ditemukan."
    client = client_for(world.coordinator)
    assert client.get("/api/certificates/cohorts/999999999/ready").status_code == 404
    assert client.get(ready_url(world.cohort), {"limit": "²"}).status_code == 422


def test_an_ugly_cohort_id_is_refused_not_a_server_error(world):
    client = client_for(world.coordinator)
    client.raise_request_exception = False
    for value in UGLY:
        response = client.get(f"/api/certificates/cohorts/{quote(value)}/ready")
        assert response.status_code in (404, 422), value
        assert response.json()["detail"], value


def test_the_ready_list_takes_the_same_queries_for_3_or_30_trainees(
    world, django_assert_max_num_queries
):
    client = client_for(world.coordinator)
    # Both kinds already at the small size: ready, and short of something
    # (whose lines link to where it is done).
    for number in range(2):
        world.ready_trainee(f"awal-{number}")
    world.log_hours(world.trainee("awal-kurang"), 60)
    with django_assert_max_num_queries(40) as few:
        assert client.get(ready_url(world.cohort)).json()["count"] == 3
    for number in range(27):
        person = world.trainee(f"lagi-{number}")
        world.log_hours(person, 60)
        world.add_cases(person, 1)
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get(ready_url(world.cohort), {"limit": 100}).json()
    assert body["count"] == 30 and len(body["items"]) == 30


# --- Issuing ----------------------------------------------------------------


def test_the_coordinator_issues_to_the_ready_and_is_told_why_not_the_others(world):
    ready = world.ready_trainee("siap")
    short = world.trainee("kurang")
    client = client_for(world.coordinator)
    body = {"programme_id": world.programme.pk, "trainee_ids": [ready.pk, short.pk]}

    first = post(client, body)

    assert first.status_code == 200
    answer = first.json()
    certificate = Certificate.objects.get(holder=ready)
    assert answer["issued"] == [
        {
            "trainee_id": ready.pk,
            "name": ready.display_name,
            "certificate_id": certificate.pk,
            "code": certificate.code,
        }
    ]
    assert answer["already"] == []
    [refused] = answer["refused"]
    assert refused["trainee_id"] == short.pk
    assert "belum memenuhi syarat" in refused["reason"]
    assert "Jam magang terverifikasi (0 dari 40 jam)" in refused["reason"]
    assert not Certificate.objects.filter(holder=short).exists()

    again = post(client, body).json()
    assert again["issued"] == []
    assert again["already"] == answer["issued"]
    assert Certificate.objects.filter(holder=ready).count() == 1


def test_a_person_named_twice_is_issued_once(world):
    ready = world.ready_trainee("dua-kali")
    answer = post(
        client_for(world.coordinator),
        {"programme_id": world.programme.pk, "trainee_ids": [ready.pk, ready.pk]},
    ).json()
    assert len(answer["issued"]) == 1 and answer["already"] == []


def test_only_the_programmes_coordinator_issues(world, outsiders):
    ready = world.ready_trainee("siap")
    body = {"programme_id": world.programme.pk, "trainee_ids": [ready.pk]}
    for who in (world.facilitator, ready, outsiders["other_coordinator"]):
        response = post(client_for(who), body)
        assert response.status_code == 403
        assert response.json()["detail"] == (
            "Hanya koordinator program ini yang dapat menerbitkan sertifikat."
        )
    assert not Certificate.objects.exists()


def test_unknown_or_unseen_people_and_programmes_are_not_found(world, outsiders):
    ready = world.ready_trainee("siap")
    stranger = user_with_roles(Role.PESERTA, username="orang-asing")
    client = client_for(world.coordinator)
    for body, detail in [
        (
            {"programme_id": 999999999, "trainee_ids": [ready.pk]},
            "Program ini tidak ditemukan.",
        ),
        (
            {"programme_id": world.programme.pk, "trainee_ids": [ready.pk, 999999999]},
            "Sebagian orang yang dipilih tidak ditemukan.",
        ),
        (
            {"programme_id": world.programme.pk, "trainee_ids": [stranger.pk]},
            "Sebagian orang yang dipilih tidak ditemukan.",
        ),
    ]:
        response = post(client, body)
        assert response.status_code == 404
        assert response.json()["detail"] == detail
    assert not Certificate.objects.exists()


UGLY_BODIES = [
    {},
    {"programme_id": 1},
    {"trainee_ids": [1]},
    {"programme_id": 1, "trainee_ids": []},
    {"programme_id": 1, "trainee_ids": list(range(1, 202))},
    {"programme_id": 1, "trainee_ids": "1"},
    {"programme_id": 1, "trainee_ids": [None]},
    {"programme_id": 1, "trainee_ids": [1.5]},
    {"programme_id": [1], "trainee_ids": [1]},
    *({"programme_id": value, "trainee_ids": [1]} for value in UGLY),
    *({"programme_id": 1, "trainee_ids": [value]} for value in UGLY),
]


def test_ugly_input_is_refused_in_words_and_issues_nothing(world):
    world.ready_trainee("siap")
    client = client_for(world.coordinator)
    for body in UGLY_BODIES:
        response = post(client, body)
        assert response.status_code == 422, body
        assert response.json()["detail"] == "Permintaan tidak sesuai format.", body
    for raw in ("", "{", "null", "[]", '"x"', "\x00"):
        response = client.post(ISSUE, raw, content_type=JSON)
        # Not JSON at all: ninja's own 400; the rest fits no schema: 422.
        assert response.status_code in (400, 422), raw
        assert response.json()["detail"], raw
    assert not Certificate.objects.exists()


def _twenty_presses_issue_one_certificate(monkeypatch):
    monkeypatch.setattr(outbox, "_publish", lambda message: None)
    world = certification_world("RAS")
    ready = world.ready_trainee("serentak")
    body = json.dumps({"programme_id": world.programme.pk, "trainee_ids": [ready.pk]})
    clients = signed_in_clients(world.coordinator, 20)

    answers = all_at_once(
        [
            lambda client=client: client.post(ISSUE, body, content_type=JSON)
            for client in clients
        ]
    )

    assert [answer.status_code for answer in answers] == [200] * 20, answers
    [certificate] = Certificate.objects.filter(holder=ready)
    issued = [answer.json()["issued"] + answer.json()["already"] for answer in answers]
    assert all(
        [row["certificate_id"] for row in rows] == [certificate.pk] for rows in issued
    )
    assert sum(len(answer.json()["issued"]) for answer in answers) == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("migrated_data")
def test_twenty_identical_issues_at_once_make_one_certificate(monkeypatch):
    _twenty_presses_issue_one_certificate(monkeypatch)


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("migrated_data")
def test_twenty_identical_issues_at_once_make_one_certificate_on_postgresql(
    monkeypatch,
):
    assert connection.vendor == "postgresql"
    _twenty_presses_issue_one_certificate(monkeypatch)
