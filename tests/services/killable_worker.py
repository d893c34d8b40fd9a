"""A Celery worker of the test's own, to be killed mid-task.

`test_worker_killed_mid_task.py` starts it as a subprocess on its own Redis
database and queue (CI's shared worker on database 15 is never touched),
kills it with SIGKILL while `sleepy_write` runs, and starts another.

Everything comes from the project's Celery settings (late acknowledgement,
rejection on a lost worker) except the broker and its visibility timeout:
seconds here instead of the project's two hours, so the message the killed
worker held comes back within the test.
"""

import os
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learning.settings.test")
django.setup()

from django.db import connection  # noqa: E402

import redis  # noqa: E402
from celery import Celery  # noqa: E402

BROKER_URL = "redis://127.0.0.1:6379/14"
QUEUE = "faults-killable"
VISIBILITY_TIMEOUT = 4
EFFECT_TABLE = "faults_killed_worker_effect"
WRITE_ONCE = (
    f"INSERT INTO {EFFECT_TABLE} (key, written_by) VALUES (%s, %s) "  # noqa: S608
    "ON CONFLICT (key) DO NOTHING"
)
# Long enough to be killed in the middle of.
HOLD_SECONDS = 3

# Not the current app: imported with the other tests, it must not take over
# the shared tasks that CI's worker serves.
app = Celery("killable", set_as_current=False)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.broker_url = BROKER_URL
app.conf.broker_transport_options = {
    "visibility_timeout": VISIBILITY_TIMEOUT,
    # Look for messages whose worker vanished every second, not every 100.
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
app.conf.task_always_eager = False
app.conf.task_default_queue = QUEUE


def runs_key(key: str) -> str:
    return f"faults:runs:{key}"


def done_key(key: str) -> str:
    return f"faults:done:{key}"


@app.task(name="faults.sleepy_write", time_limit=60, soft_time_limit=50)
def sleepy_write(key: str) -> None:
    """Write the row for `key` once however often it runs, then take a while.

    Every run is counted in Redis (the test reads how many times it ran);
    the row is the task's effect, written idempotently by its key.
    """
    store = redis.Redis.from_url(BROKER_URL)
    store.rpush(runs_key(key), os.getpid())
    with connection.cursor() as cursor:
        cursor.execute(WRITE_ONCE, [key, os.getpid()])
    time.sleep(HOLD_SECONDS)
    store.rpush(done_key(key), os.getpid())
