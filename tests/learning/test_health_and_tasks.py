from datetime import timedelta

from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

import pytest

from learning.models import WorkerHeartbeat
from learning.tasks import clear_expired_sessions, record_worker_heartbeat
from tests.learning.test_database_outage import broker_in_this_run

pytestmark = pytest.mark.django_db


def test_health_reports_a_missing_worker(client):
    body = client.get("/sehat/").json()
    assert body == {
        "database": "ok",
        "cache": "local",
        "broker": broker_in_this_run(),
        "worker": "stale",
        "worker_last_seen": None,
    }


def test_heartbeat_task_marks_the_worker_alive_once_per_worker(client):
    record_worker_heartbeat.apply()
    record_worker_heartbeat.apply()
    assert WorkerHeartbeat.objects.count() == 1
    assert client.get("/sehat/").json()["worker"] == "ok"


def test_an_old_heartbeat_counts_as_stale(client):
    WorkerHeartbeat.objects.create(
        hostname="lama", seen_at=timezone.now() - timedelta(hours=1)
    )
    assert client.get("/sehat/").json()["worker"] == "stale"


def test_expired_sessions_are_cleared():
    old = SessionStore()
    old.set_expiry(-10)
    old.create()
    Session.objects.filter(session_key=old.session_key).update(
        expire_date=timezone.now() - timedelta(days=1)
    )
    fresh = SessionStore()
    fresh.create()
    assert clear_expired_sessions.apply().get() == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == [
        fresh.session_key
    ]
