"""The sync key ("kunci sinkron"): a device sends its person's own records with
no session and no CSRF token, and opens nothing else."""

import datetime
import hashlib
import re
import uuid

from django.test import Client

import pytest

from learning.api import api as ninja_api
from learning.choices import Role
from learning.devices import device_for_token, issue_token, revoke_device
from learning.models import Device
from mentorship.models import HourEntry, PracticeCase, Reflection, WellbeingCheckIn
from tests.factories import (
    HourEntryFactory,
    PlacementFactory,
    PracticeCaseFactory,
    new_case,
    reflection_session,
    user_with_roles,
)
from tests.factories.mentorship import hour_entry_body

pytestmark = pytest.mark.django_db

JSON = "application/json"
TOKEN_URL = "/api/perangkat/token"
ANDROID_CHROME = (
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Mobile Safari/537.36"
)


@pytest.fixture
def placement(trainee, facilitator):
    return PlacementFactory(trainee=trainee, supervisor=facilitator)


def key_for(user, device_uuid=None) -> str:
    return issue_token(
        user=user, device_uuid=device_uuid or uuid.uuid4(), user_agent=ANDROID_CHROME
    )


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def phone() -> Client:
    """A browser with no session and no CSRF cookie that checks CSRF as a
    real one does: only the key can let it in."""
    return Client(enforce_csrf_checks=True)


def signed_in_browser(user) -> tuple[Client, str]:
    """A signed-in browser that checks CSRF, and its CSRF token."""
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    browser.get("/akun/")  # sets the csrftoken cookie, as any page does
    return browser, browser.cookies["csrftoken"].value


# --- Getting a key ------------------------------------------------------------


def test_a_signed_in_browser_gets_a_key_that_is_stored_only_hashed(trainee):
    browser, csrf = signed_in_browser(trainee)
    device = uuid.uuid4()
    response = browser.post(
        TOKEN_URL,
        {"device": str(device)},
        content_type=JSON,
        HTTP_X_CSRFTOKEN=csrf,
        HTTP_USER_AGENT=ANDROID_CHROME,
    )
    assert response.status_code == 201
    token = response.json()["token"]
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", token)
    row = Device.objects.get(user=trainee, uuid=device)
    assert row.label == "Android · Chrome"
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(Device.objects.values().get(pk=row.pk))

    again = browser.post(
        TOKEN_URL, {"device": str(device)}, content_type=JSON, HTTP_X_CSRFTOKEN=csrf
    )
    assert again.status_code == 201
    new_token = again.json()["token"]
    assert new_token != token
    assert Device.objects.filter(user=trainee).count() == 1
    # Asking again replaces the key: the old one no longer sends anything.
    assert phone().get("/api/magang/entries", **bearer(token)).status_code == 401
    assert phone().get("/api/magang/entries", **bearer(new_token)).status_code == 200


def test_a_key_is_given_only_to_a_session_with_its_csrf_token(trainee):
    body = {"device": str(uuid.uuid4())}
    # Client() leaves CSRF unchecked: what is refused here is the missing session.
    assert Client().post(TOKEN_URL, body, content_type=JSON).status_code == 401
    browser, csrf = signed_in_browser(trainee)
    assert browser.post(TOKEN_URL, body, content_type=JSON).status_code == 403
    # A key cannot make itself a new key.
    token = key_for(trainee)
    refused = Client().post(TOKEN_URL, body, content_type=JSON, **bearer(token))
    assert refused.status_code == 401
    shape = browser.post(
        TOKEN_URL, {"device": "ponsel"}, content_type=JSON, HTTP_X_CSRFTOKEN=csrf
    )
    assert shape.status_code == 422
    assert shape.json()["errors"]["device"] == ["Kode harus berupa UUID."]
    assert not Device.objects.exclude(token_hash=None).exclude(
        token_hash=hashlib.sha256(token.encode()).hexdigest()
    )


def test_a_revoked_device_gets_no_key(trainee):
    device = uuid.uuid4()
    key_for(trainee, device)
    revoke_device(user=trainee, device_uuid=device)
    browser, csrf = signed_in_browser(trainee)
    response = browser.post(
        TOKEN_URL, {"device": str(device)}, content_type=JSON, HTTP_X_CSRFTOKEN=csrf
    )
    assert response.status_code == 409
    assert "sudah dicabut" in response.json()["detail"]
    assert Device.objects.get(user=trainee, uuid=device).token_hash is None


def test_the_key_endpoint_is_documented_with_its_errors(client):
    document = client.get("/api/openapi.json").json()
    operation = document["paths"]["/api/perangkat/token"]["post"]
    assert set(operation["responses"]) == {"201", "401", "403", "409", "422"}
    assert document["components"]["securitySchemes"]["DeviceTokenAuth"] == {
        "type": "http",
        "scheme": "bearer",
    }


# --- Sending with a key -------------------------------------------------------


def test_a_key_alone_records_changes_and_submits_her_own_hour_entry(trainee, placement):
    token = key_for(trainee)
    browser = phone()
    payload = hour_entry_body(placement)
    created = browser.post(
        "/api/magang/entries", payload, content_type=JSON, **bearer(token)
    )
    assert created.status_code == 201, created.content
    assert created.json()["history"][0]["by"] == trainee.display_name
    # A re-send after a lost answer: the same answer, one entry.
    again = browser.post(
        "/api/magang/entries", payload, content_type=JSON, **bearer(token)
    )
    assert again.json() == created.json()
    (entry,) = HourEntry.objects.all()
    assert entry.trainee == trainee

    payload.pop("uuid")
    changed = browser.put(
        f"/api/magang/entries/{entry.uuid}",
        {**payload, "end_time": "11:00"},
        content_type=JSON,
        **bearer(token),
    )
    assert changed.status_code == 200
    assert changed.json()["minutes"] == 180
    submitted = browser.post(
        "/api/magang/entries/submit",
        {"uuids": [str(entry.uuid)]},
        content_type=JSON,
        **bearer(token),
    )
    assert submitted.status_code == 200
    assert submitted.json()[0]["status"] == "diajukan"
    listed = browser.get("/api/magang/entries", **bearer(token))
    assert [row["uuid"] for row in listed.json()["items"]] == [str(entry.uuid)]
    assert listed.json()["items"][0]["status_label"]
    # What the key read is private: no cache keeps it.
    assert "no-store" in listed["Cache-Control"]
    assert "sessionid" not in browser.cookies


def test_a_key_sends_her_cases_reflections_and_check_ins(
    organisation, trainee, facilitator, alumnus, placement
):
    token = key_for(trainee)
    browser = phone()

    def send(path, body):
        return browser.post(
            f"/api/magang{path}", body, content_type=JSON, **bearer(token)
        )

    assert send("/cases", new_case(placement)).status_code == 201
    session = reflection_session(
        organisation=organisation, facilitator=facilitator, trainees=[trainee]
    )
    invitations = browser.get("/api/magang/reflection/mine/sessions", **bearer(token))
    assert [row["id"] for row in invitations.json()] == [session.pk]
    reflection = send(
        "/reflection/mine",
        {
            "uuid": str(uuid.uuid4()),
            "session_id": session.pk,
            "case_counts": [{"type": "psikis", "path": "non_litigasi", "count": 2}],
            "learning_needs": "Mediasi yang aman.",
        },
    )
    assert reflection.status_code == 201, reflection.content
    checkin = send("/wellbeing", {"uuid": str(uuid.uuid4()), "feeling": "baik"})
    assert checkin.status_code == 201
    assert PracticeCase.objects.get().trainee == trainee
    assert Reflection.objects.get().person == trainee
    assert WellbeingCheckIn.objects.get().person == trainee
    for path in ("/cases", "/reflection/mine", "/placements"):
        assert browser.get(f"/api/magang{path}", **bearer(token)).status_code == 200


def test_a_stale_csrf_cookie_does_not_block_a_sync_with_a_key(trainee, placement):
    browser, _csrf = signed_in_browser(trainee)
    stale = "s" * 32
    browser.cookies["csrftoken"] = stale
    headers = {"HTTP_X_CSRFTOKEN": "t" * 32}
    refused = browser.post(
        "/api/magang/entries", hour_entry_body(placement), content_type=JSON, **headers
    )
    assert refused.status_code == 403
    sent = browser.post(
        "/api/magang/entries",
        hour_entry_body(placement),
        content_type=JSON,
        **headers,
        **bearer(key_for(trainee)),
    )
    assert sent.status_code == 201
    assert HourEntry.objects.get().trainee == trainee


# --- What a key does not open -------------------------------------------------

# The sync endpoints: the person's own records, their verdicts, and what the
# forms need. Adding one to this list is a decision, not an accident.
SYNC_OPERATIONS = {
    ("GET", "/api/magang/placements"),
    ("GET", "/api/magang/entries"),
    ("POST", "/api/magang/entries"),
    ("PUT", "/api/magang/entries/{entry_uuid}"),
    ("POST", "/api/magang/entries/submit"),
    ("GET", "/api/magang/cases"),
    ("POST", "/api/magang/cases"),
    ("PUT", "/api/magang/cases/{case_uuid}"),
    ("POST", "/api/magang/cases/submit"),
    ("GET", "/api/magang/reflection/mine"),
    ("POST", "/api/magang/reflection/mine"),
    ("PUT", "/api/magang/reflection/mine/{reflection_uuid}"),
    ("GET", "/api/magang/reflection/mine/sessions"),
    ("POST", "/api/magang/wellbeing"),
}


def _operations():
    document = ninja_api.get_openapi_schema()
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            yield method.upper(), path, operation


def _url(path: str) -> str:
    def value(match):
        name = match.group(1)
        if name.endswith("uuid"):
            return str(uuid.uuid4())
        return "slug" if name == "slug" else "1"

    return re.sub(r"\{(\w+)\}", value, path)


def test_only_the_sync_endpoints_take_a_key():
    taking = {
        (method, path)
        for method, path, operation in _operations()
        if {"DeviceTokenAuth": []} in operation.get("security", [])
    }
    assert taking == SYNC_OPERATIONS


def test_a_key_opens_no_profile_list_or_anyone_elses_endpoint(facilitator):
    """Even a facilitator's key (with a session, /api/people answers her), and
    even with CSRF left unchecked, so that only the missing session refuses."""
    token = key_for(facilitator)
    browser = Client()
    closed = [
        (method, path)
        for method, path, operation in _operations()
        if operation.get("security") and (method, path) not in SYNC_OPERATIONS
    ]
    assert {("GET", "/api/me"), ("GET", "/api/people"), ("GET", "/api/me/cohorts")} < (
        set(closed)
    )
    for method, path in closed:
        response = browser.generic(
            method, _url(path), "{}", content_type=JSON, **bearer(token)
        )
        assert response.status_code == 401, (method, path, response.content)
    signed_in = Client()
    signed_in.force_login(facilitator)
    assert signed_in.get("/api/people").status_code == 200


def test_a_key_never_reaches_another_persons_records(trainee, placement):
    others = PlacementFactory()
    theirs = HourEntryFactory(placement=others)
    token = key_for(trainee)
    browser = phone()
    listed = browser.get("/api/magang/entries", **bearer(token)).json()["items"]
    assert listed == []
    change = browser.put(
        f"/api/magang/entries/{theirs.uuid}",
        {k: v for k, v in hour_entry_body(others).items() if k != "uuid"},
        content_type=JSON,
        **bearer(token),
    )
    assert change.status_code == 404
    submit = browser.post(
        "/api/magang/entries/submit",
        {"uuids": [str(theirs.uuid)]},
        content_type=JSON,
        **bearer(token),
    )
    assert submit.status_code == 404
    onto = browser.post(
        "/api/magang/entries",
        hour_entry_body(others),
        content_type=JSON,
        **bearer(token),
    )
    assert onto.status_code == 422
    assert "placement" in onto.json()["errors"]
    assert list(HourEntry.objects.all()) == [theirs]


def test_a_supervisors_key_lists_only_her_own_placements_and_cases(
    trainee, facilitator, placement
):
    """With a session the supervisor sees her trainee's placement and case;
    her key is for her own records only."""
    PracticeCaseFactory(placement=placement, status="diajukan")
    session = Client()
    session.force_login(facilitator)
    assert len(session.get("/api/magang/placements").json()["items"]) == 1
    assert len(session.get("/api/magang/cases").json()["items"]) == 1
    token = key_for(facilitator)
    browser = phone()
    assert browser.get("/api/magang/placements", **bearer(token)).json()["items"] == []
    assert browser.get("/api/magang/cases", **bearer(token)).json()["items"] == []


# --- Keys that no longer hold -------------------------------------------------


def test_a_revoked_devices_key_is_refused(trainee, placement):
    device = uuid.uuid4()
    token = key_for(trainee, device)
    revoke_device(user=trainee, device_uuid=device)
    browser = phone()
    assert browser.get("/api/magang/entries", **bearer(token)).status_code == 401
    refused = browser.post(
        "/api/magang/entries",
        hour_entry_body(placement),
        content_type=JSON,
        **bearer(token),
    )
    assert refused.status_code == 401
    assert "tidak berlaku lagi" in refused.json()["detail"]
    assert not HourEntry.objects.exists()


def test_a_person_who_cannot_sign_in_or_must_change_her_password_has_no_key(
    trainee,
):
    token = key_for(trainee)
    trainee.must_change_password = True
    trainee.save(update_fields=["must_change_password"])
    assert phone().get("/api/magang/entries", **bearer(token)).status_code == 401
    trainee.must_change_password = False
    trainee.is_active = False
    trainee.save(update_fields=["must_change_password", "is_active"])
    assert phone().get("/api/magang/entries", **bearer(token)).status_code == 401


def test_signing_out_on_the_device_ends_its_key(signed_in, trainee, placement):
    device = uuid.uuid4()
    token = key_for(trainee, device)
    other_device_token = key_for(trainee)
    client = signed_in(trainee)
    response = client.post("/keluar/", {"perangkat": str(device)})
    assert response.status_code == 302
    assert client.get("/akun/").status_code == 302  # signed out
    assert phone().get("/api/magang/entries", **bearer(token)).status_code == 401
    row = Device.objects.get(uuid=device)
    assert row.token_hash is None
    assert row.revoked_at is None  # the phone itself stays hers
    # Her other phone keeps its key.
    assert (
        phone().get("/api/magang/entries", **bearer(other_device_token)).status_code
        == 200
    )


@pytest.mark.parametrize(
    "value",
    [
        "",
        "ponsel",
        "x" * 100_000,
        "\x00",
        "00000000-0000-4000-8000-0000000000d0",
        "OTHER",
    ],
)
def test_signing_out_always_works_whatever_the_device_field_says(
    signed_in, trainee, value
):
    stranger = user_with_roles(Role.PESERTA)
    stranger_device = uuid.uuid4()
    stranger_token = key_for(stranger, stranger_device)
    client = signed_in(trainee)
    response = client.post(
        "/keluar/",
        {"perangkat": str(stranger_device) if value == "OTHER" else value},
    )
    assert response.status_code == 302
    assert client.get("/akun/").status_code == 302
    # Another person's device is never signed out from here.
    assert device_for_token(stranger_token) is not None


@pytest.mark.parametrize(
    "header",
    [
        "Bearer",
        "Bearer ",
        "Bearer  ",
        "bearer " + "a" * 42,
        "Bearer " + "a" * 44,
        "Bearer " + "a" * 100_000,
        "Bearer " + "a" * 21 + "\x00" + "a" * 21,
        "Bearer \x00",
        "Bearer " + "ä" * 43,
        "Bearer a b c",
        "Bearer " + "a" * 43,
    ],
)
def test_a_malformed_or_unknown_key_is_401_never_500(trainee, placement, header):
    key_for(trainee)
    browser = phone()
    browser.raise_request_exception = False
    read = browser.get("/api/magang/entries", HTTP_AUTHORIZATION=header)
    send = browser.post(
        "/api/magang/entries",
        hour_entry_body(placement),
        content_type=JSON,
        HTTP_AUTHORIZATION=header,
    )
    assert (read.status_code, send.status_code) == (401, 401)
    assert read.json()["detail"]
    assert not HourEntry.objects.exists()


@pytest.mark.parametrize("header", ["\x00", "Basic Zm9vOmJhcg==", "x" * 100_000])
def test_another_kind_of_authorization_falls_to_the_session(trainee, placement, header):
    """A site behind HTTP Basic auth (a staging server) still syncs by session;
    with no session the answer is a refusal, never a 500."""
    browser = phone()
    browser.raise_request_exception = False
    read = browser.get("/api/magang/entries", HTTP_AUTHORIZATION=header)
    assert read.status_code == 401
    session, csrf = signed_in_browser(trainee)
    sent = session.post(
        "/api/magang/entries",
        hour_entry_body(placement),
        content_type=JSON,
        HTTP_X_CSRFTOKEN=csrf,
        HTTP_AUTHORIZATION=header,
    )
    assert sent.status_code == 201


# --- The account page and the key's last use -----------------------------------


def test_the_last_use_moves_at_most_once_a_minute(trainee):
    device = uuid.uuid4()
    token = key_for(trainee, device)
    assert Device.objects.get(uuid=device).token_used_at is None
    first = device_for_token(token).token_used_at
    assert device_for_token(token).token_used_at == first
    earlier = first - datetime.timedelta(minutes=2)
    Device.objects.filter(uuid=device).update(token_used_at=earlier)
    assert device_for_token(token).token_used_at > first


def test_the_account_page_shows_which_devices_hold_a_key(signed_in, trainee):
    device = uuid.uuid4()
    client = signed_in(trainee)
    key_for(trainee, device)
    page = client.get("/akun/").content.decode()
    assert "kunci sinkron aktif" in page
    assert "belum dipakai" in page
    revoke_device(user=trainee, device_uuid=device)
    page = client.get("/akun/").content.decode()
    assert "kunci sinkron aktif" not in page


@pytest.mark.parametrize("method", ["get", "post"])
def test_quick_exit_on_the_device_ends_its_key_too(signed_in, trainee, method):
    device = uuid.uuid4()
    token = key_for(trainee, device)
    client = signed_in(trainee)
    response = getattr(client, method)(f"/keluar-cepat/?perangkat={device}")
    assert response.status_code == 302
    assert phone().get("/api/magang/entries", **bearer(token)).status_code == 401
    # Whatever else it is sent, quick exit still leaves.
    assert signed_in(trainee).get("/keluar-cepat/?perangkat=%00x").status_code == 302
