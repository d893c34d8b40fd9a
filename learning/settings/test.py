"""Settings for pytest: the embedded defaults, unless CI points at services."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-not-secret-pendamping-" + "x" * 20)
os.environ.setdefault("DATABASE_URL", "sqlite:///:memory:")
# Tasks queued by tests go nowhere unless a run points at a real broker
# (CI sets CELERY_BROKER_URL to Redis and starts a worker).
os.environ.setdefault("CELERY_BROKER_URL", "memory://")

from .base import *  # noqa: E402, F403
from .base import DATABASES, STORAGES  # noqa: E402

DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# A task handed over by the outbox runs in the test's own process, where the
# test sees its effects (a mail in mail.outbox). Tests of the real worker
# (marker `services`) turn this off and hand tasks to CI's Redis.
CELERY_TASK_ALWAYS_EAGER = True
# Each pytest-xdist worker (PYTEST_XDIST_WORKER: gw0, gw1, ...) keeps its own
# media, as pytest-django gives each its own test database: a test counting
# the files an upload stored must not see another worker's.
MEDIA_ROOT = BASE_DIR / "var" / "test-media" / os.environ.get("PYTEST_XDIST_WORKER", "")  # noqa: F405
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The worker started by CI reads the same test database.
    DATABASES["default"]["TEST"] = {"NAME": DATABASES["default"]["NAME"]}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory: the embedded set-up runs on a file with WAL, and
    # tests that race two requests must see its locking, not shared-cache
    # memory's "table is locked".
    VAR_DIR.mkdir(exist_ok=True)  # noqa: F405 - a fresh clone has none yet
    # PENDAMPING_TEST_DB names another file, so two test runs can share a tree.
    DATABASES["default"]["TEST"] = {
        "NAME": str(VAR_DIR / os.environ.get("PENDAMPING_TEST_DB", "test-db.sqlite3"))  # noqa: F405
    }
