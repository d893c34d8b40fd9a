"""The database is away: a plain Indonesian 503 page, never a traceback.

The site is started in a second process whose database is PostgreSQL on a
port where nothing listens (found by binding a socket and closing it), and
every kind of page is asked for through Django's WSGI handler: the public
face, signing in, the learning pages, the admin, the JSON API, a form sent
by POST, a missing page and /sehat/. CI's own PostgreSQL is not touched.
"""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

from django.db import OperationalError

import pytest

from learning import outage

ROOT = Path(__file__).resolve().parents[2]

ASK_EVERY_PAGE = r"""
import json, sys
import django
django.setup()
from django.test import Client

client = Client(raise_request_exception=False)
answers = {}
for method, path in json.loads(sys.argv[1]):
    if method == "POST":
        response = client.post(path, {"username": "a", "password": "b"})
    else:
        response = client.get(path)
    answers[f"{method} {path}"] = {
        "status": response.status_code,
        "body": response.content.decode(),
        "headers": dict(response.headers),
    }
print(json.dumps(answers))
"""

PAGES = [
    ("GET", "/"),
    ("GET", "/masuk/"),
    ("POST", "/masuk/"),
    ("GET", "/beranda/"),
    ("GET", "/belajar/"),
    ("GET", "/admin/"),
    ("GET", "/admin/orang/"),
    ("GET", "/halaman-yang-tidak-ada/"),
    ("GET", "/api/magang/entries"),
    ("POST", "/api/magang/entries"),
    ("GET", "/sehat/"),
]


def a_port_where_nothing_listens() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def answers_without_a_database(database_url: str) -> dict:
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "learning.settings.test",
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": "memory://",
    }
    done = subprocess.run(
        [sys.executable, "-c", ASK_EVERY_PAGE, json.dumps(PAGES)],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def postgres_away():
    port = a_port_where_nothing_listens()
    return answers_without_a_database(f"postgres://postgres@127.0.0.1:{port}/hilang")


@pytest.fixture(scope="module")
def sqlite_away(tmp_path_factory):
    # A database file in a folder that does not exist cannot be opened.
    missing = tmp_path_factory.mktemp("outage") / "tidak-ada" / "db.sqlite3"
    return answers_without_a_database(f"sqlite:///{missing}")


@pytest.mark.parametrize("away", ["postgres_away", "sqlite_away"])
@pytest.mark.parametrize(
    ("method", "path"), [p for p in PAGES if not p[1].startswith(("/api/", "/sehat/"))]
)
def test_every_page_says_there_is_trouble_in_plain_indonesian(
    request, away, method, path
):
    answer = request.getfixturevalue(away)[f"{method} {path}"]

    assert answer["status"] == 503
    assert answer["headers"]["Retry-After"] == "120"
    assert answer["headers"]["Content-Type"].startswith("text/html")
    body = answer["body"]
    assert "<h1>Sedang ada gangguan</h1>" in body
    assert "data yang sudah tersimpan tetap aman" in body
    assert "Coba buka lagi 2 menit lagi." in body
    for leak in ("Traceback", "OperationalError", "psycopg", "sqlite3", 'File "'):
        assert leak not in body


@pytest.mark.parametrize("away", ["postgres_away", "sqlite_away"])
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_the_api_answers_503_in_json(request, away, method):
    answer = request.getfixturevalue(away)[f"{method} /api/magang/entries"]

    assert answer["status"] == 503
    assert answer["headers"]["Retry-After"] == "120"
    body = json.loads(answer["body"])
    assert body["code"] == "database_unavailable"
    assert body["detail"].startswith("Sedang ada gangguan di server.")
    assert "Error" not in answer["body"]


@pytest.mark.parametrize("away", ["postgres_away", "sqlite_away"])
def test_health_names_the_part_that_is_down(request, away):
    answer = request.getfixturevalue(away)["GET /sehat/"]

    assert answer["status"] == 503
    assert json.loads(answer["body"]) == {
        "database": "error",
        "cache": "local",
        "broker": "local",
        "worker": "unknown",
        "worker_last_seen": None,
    }


# --- The database lost during a request (in this process) ---------------------


def test_a_view_that_loses_the_database_midway_gets_the_same_page(rf, monkeypatch):
    asked = []

    def answers(*, ask_open_connection=False):
        asked.append(ask_open_connection)
        return False

    monkeypatch.setattr(outage, "database_answers", answers)
    middleware = outage.DatabaseOutageMiddleware(lambda request: None)
    lost = OperationalError("server closed the connection unexpectedly")

    page = middleware.process_exception(rf.get("/beranda/"), lost)
    api = middleware.process_exception(rf.post("/api/magang/entries"), lost)

    assert asked == [True, True]  # the open connection itself was asked
    assert page.status_code == api.status_code == 503
    assert "Sedang ada gangguan" in page.content.decode()
    assert "server closed" not in page.content.decode()
    assert json.loads(api.content)["code"] == "database_unavailable"


def test_a_database_error_while_the_database_answers_stays_an_error(rf, monkeypatch):
    """A bad query is a bug to report (500 and the admins' mail), not an
    outage to hide behind "sedang ada gangguan"."""
    monkeypatch.setattr(outage, "database_answers", lambda **_: True)
    middleware = outage.DatabaseOutageMiddleware(lambda request: None)

    assert (
        middleware.process_exception(
            rf.get("/beranda/"), OperationalError("no such column: nama")
        )
        is None
    )
    assert middleware.process_exception(rf.get("/beranda/"), ValueError()) is None


def broker_in_this_run() -> str:
    """ "local" for the in-memory broker of make test; CI's run points at its
    Redis, which answers."""
    from learning.celery import app

    return "local" if str(app.conf.broker_url).startswith("memory://") else "ok"


@pytest.mark.django_db
def test_health_names_every_part_while_all_is_well(client):
    answer = client.get("/sehat/")

    assert answer.status_code == 200
    assert answer.json() == {
        "database": "ok",
        "cache": "local",
        "broker": broker_in_this_run(),
        "worker": "stale",
        "worker_last_seen": None,
    }
