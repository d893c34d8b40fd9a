"""A worker killed in the middle of a task: the task runs again, its effect
happens once.

The test starts a worker of its own (tests/services/killable_worker.py: its
own Redis database and queue, the project's Celery settings, a visibility
timeout of seconds), hands it a task that writes a row by its key and then
takes a while, and kills the worker with SIGKILL once the row is written.
Acknowledgement is late, so the message was never acknowledged: a second
worker gets it once the visibility timeout has passed, runs it again, and
the row is still there once.
"""

import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

from django.conf import settings
from django.db import connection

import pytest
import redis

from tests.services import killable_worker
from tests.services.killable_worker import (
    BROKER_URL,
    EFFECT_TABLE,
    QUEUE,
    done_key,
    runs_key,
    sleepy_write,
)
from tests.services.waiting import wait_for

pytestmark = pytest.mark.services

ROOT = Path(__file__).resolve().parents[2]


class Worker:
    def __init__(self, name: str, log: Path):
        self.log = log
        environment = {**os.environ, "CELERY_BROKER_URL": BROKER_URL}
        with log.open("w") as output:
            self.process = subprocess.Popen(
                [
                    sys.executable, "-m", "celery",
                    "-A", "tests.services.killable_worker", "worker",
                    "--pool", "solo", "--queues", QUEUE,
                    "--hostname", f"{name}@%h", "--loglevel", "INFO",
                    "--without-mingle", "--without-gossip", "--without-heartbeat",
                ],
                cwd=ROOT, env=environment, stdout=output, stderr=subprocess.STDOUT,
            )  # fmt: skip

    def ready(self) -> bool:
        assert self.process.poll() is None, self.log.read_text()[-3000:]
        return " ready." in self.log.read_text()

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture
def store():
    store = redis.Redis.from_url(BROKER_URL)
    store.flushdb()
    yield store
    store.flushdb()


@pytest.fixture
def effect_table(transactional_db):
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE {EFFECT_TABLE} (key varchar(64) PRIMARY KEY, "
            "written_by integer NOT NULL)"
        )
    yield
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {EFFECT_TABLE}")


def rows_for(key: str) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT written_by FROM {EFFECT_TABLE} WHERE key = %s",  # noqa: S608 - a constant table name
            [key],
        )
        return [row[0] for row in cursor.fetchall()]


def test_the_worker_runs_the_projects_celery_settings():
    """The worker below is killed with what production runs, not a variant."""
    assert killable_worker.app.conf.task_acks_late is True
    assert killable_worker.app.conf.task_reject_on_worker_lost is True
    assert settings.CELERY_TASK_ACKS_LATE and settings.CELERY_TASK_REJECT_ON_WORKER_LOST
    assert sleepy_write.acks_late is True


def test_a_task_whose_worker_is_killed_runs_again_and_writes_once(
    store, effect_table, tmp_path
):
    key = uuid.uuid4().hex
    first = Worker("faults-first", tmp_path / "first.log")
    second = None
    try:
        assert wait_for(first.ready, seconds=60), "the first worker never started"
        with killable_worker.app.connection_for_write(BROKER_URL) as broker:
            sleepy_write.apply_async(args=[key], queue=QUEUE, connection=broker)

        # Killed once the row is written, while the task is still running.
        assert wait_for(lambda: rows_for(key), seconds=60), first.log.read_text()
        first.kill()
        [first_pid] = rows_for(key)
        assert store.llen(done_key(key)) == 0, "killed too late: the task finished"
        assert store.llen(runs_key(key)) == 1

        second = Worker("faults-second", tmp_path / "second.log")
        assert wait_for(lambda: store.llen(done_key(key)) == 1, seconds=90), (
            second.log.read_text()[-3000:]
        )

        runs = [int(pid) for pid in store.lrange(runs_key(key), 0, -1)]
        assert len(runs) == 2
        assert runs[0] == first_pid and runs[1] == second.process.pid
        assert rows_for(key) == [first_pid]  # the effect, once
    finally:
        first.stop()
        if second:
            second.stop()
