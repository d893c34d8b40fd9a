"""On the real services: PostgreSQL, Redis and a Celery worker started by CI."""

from django.db import connection, transaction

import pytest

from learning.models import WorkerHeartbeat
from learning.tasks import record_worker_heartbeat
from tests.services.waiting import wait_for

pytestmark = pytest.mark.services


@pytest.mark.django_db
def test_the_suite_runs_on_postgresql():
    assert connection.vendor == "postgresql"


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
