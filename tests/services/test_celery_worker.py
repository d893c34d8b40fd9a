"""On the real services: PostgreSQL, Redis and a Celery worker started by CI."""

import time

from django.db import connection, transaction

import pytest

from learning.models import WorkerHeartbeat
from learning.tasks import record_worker_heartbeat

pytestmark = pytest.mark.services


@pytest.mark.django_db
def test_the_suite_runs_on_postgresql():
    assert connection.vendor == "postgresql"


def wait_for(condition, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.django_db(transaction=True)
def test_a_task_queued_after_commit_is_done_by_the_worker():
    # The worker reads the database through its own connection, so the task
    # may only leave once the transaction that asked for it has committed.
    with transaction.atomic():
        transaction.on_commit(record_worker_heartbeat.delay)
        assert not WorkerHeartbeat.objects.exists()

    assert wait_for(WorkerHeartbeat.objects.exists), "the worker never ran the task"
    heartbeat = WorkerHeartbeat.objects.get()
    assert heartbeat.hostname.startswith("ci-worker@")
