"""Shared phones: a trainee's session ends after PENDAMPING_IDLE_MINUTES
without a request, and with the browser unless "Ingat saya" was ticked;
staff sessions keep their fortnight."""

import time

from django.conf import settings as django_settings
from django.test import Client

import pytest

from learning import sign_in_middleware
from tests.factories.people import PASSWORD

pytestmark = pytest.mark.django_db

HOUR = 60 * 60


class Clock:
    """`time.time()` as the idle rule sees it, moved on by hand."""

    def __init__(self):
        self.now = time.time()

    def __call__(self) -> float:
        return self.now

    def wait(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(sign_in_middleware.time, "time", clock)
    return clock


def sign_in(person, *, remember: bool = False) -> tuple[Client, object]:
    client = Client()
    data = {"username": person.username, "password": PASSWORD}
    if remember:
        data["ingat_saya"] = "on"
    response = client.post("/masuk/", data)
    assert response.status_code == 302
    return client, response.cookies[django_settings.SESSION_COOKIE_NAME]


def test_the_sign_in_form_offers_ingat_saya(client):
    page = client.get("/masuk/").content.decode()
    assert 'name="ingat_saya"' in page
    assert "Ingat saya" in page


@pytest.mark.parametrize("who", ["trainee", "alumnus"])
def test_unticked_the_session_ends_with_the_browser(request, clock, who):
    _client, cookie = sign_in(request.getfixturevalue(who))
    # No expiry: the browser drops the cookie when it closes.
    assert cookie["max-age"] == ""
    assert cookie["expires"] == ""


def test_ticked_the_cookie_lasts_the_idle_time(trainee, clock):
    _client, cookie = sign_in(trainee, remember=True)
    assert int(cookie["max-age"]) == 120 * 60


@pytest.mark.parametrize("remember", [False, True])
def test_two_idle_hours_end_a_trainees_session(trainee, clock, remember):
    client, _cookie = sign_in(trainee, remember=remember)
    clock.wait(2 * HOUR - 60)
    assert client.get("/akun/").status_code == 200
    # Counted from the last request, not from signing in.
    clock.wait(2 * HOUR - 60)
    assert client.get("/akun/").status_code == 200
    clock.wait(2 * HOUR + 1)
    response = client.get("/akun/")
    assert response.status_code == 302
    assert response["Location"].startswith("/masuk/")
    page = client.get(response["Location"]).content.decode()
    assert "lama tidak membuka situs ini" in page
    # Said once; signing in again works as ever.
    assert "lama tidak membuka" not in client.get("/masuk/").content.decode()
    client.post("/masuk/", {"username": trainee.username, "password": PASSWORD})
    assert client.get("/akun/").status_code == 200


def test_an_alumnas_session_ends_too(alumnus, clock):
    client, _cookie = sign_in(alumnus, remember=True)
    clock.wait(2 * HOUR + 1)
    assert client.get("/akun/").status_code == 302


def test_the_idle_time_is_a_setting(trainee, clock, settings):
    settings.PENDAMPING_IDLE_MINUTES = 10
    client, cookie = sign_in(trainee, remember=True)
    assert int(cookie["max-age"]) == 10 * 60
    clock.wait(9 * 60)
    assert client.get("/akun/").status_code == 200
    clock.wait(10 * 60 + 1)
    assert client.get("/akun/").status_code == 302


def test_the_time_of_the_last_request_is_written_once_a_minute(trainee, clock):
    client, _cookie = sign_in(trainee, remember=True)
    seen = client.session[sign_in_middleware.SESSION_SEEN]
    clock.wait(30)
    response = client.get("/akun/")
    # Within the minute: the session is not written, no cookie is sent again.
    assert django_settings.SESSION_COOKIE_NAME not in response.cookies
    assert client.session[sign_in_middleware.SESSION_SEEN] == seen
    clock.wait(31)
    response = client.get("/akun/")
    assert django_settings.SESSION_COOKIE_NAME in response.cookies
    assert client.session[sign_in_middleware.SESSION_SEEN] == int(clock.now)


@pytest.mark.parametrize("who", ["facilitator", "coordinator"])
def test_staff_sessions_keep_their_fortnight(request, clock, who):
    client, cookie = sign_in(request.getfixturevalue(who))
    assert int(cookie["max-age"]) == django_settings.SESSION_COOKIE_AGE
    clock.wait(3 * HOUR)
    assert client.get("/akun/").status_code == 200


def test_a_session_made_by_the_admin_sign_in_is_ruled_too(trainee, clock):
    """A trainee who signs in on the admin's page is still a trainee."""
    client = Client()
    client.post("/admin/login/", {"username": trainee.username, "password": PASSWORD})
    # Counted from that sign-in (the session holds no time of its own yet).
    trainee.refresh_from_db()
    clock.now = trainee.last_login.timestamp()
    assert client.get("/akun/").status_code == 200
    clock.wait(2 * HOUR + 1)
    assert client.get("/akun/").status_code == 302


def test_quick_exit_still_ends_the_session(trainee, clock):
    client, _cookie = sign_in(trainee, remember=True)
    client.get("/keluar-cepat/")
    assert client.get("/akun/").status_code == 302


@pytest.mark.parametrize("value", ["on", "1", "\x00", "x" * 10_000, ""])
def test_odd_ingat_saya_values_still_sign_in(trainee, value):
    client = Client()
    response = client.post(
        "/masuk/",
        {"username": trainee.username, "password": PASSWORD, "ingat_saya": value},
    )
    assert response.status_code == 302
