"""Settings for `make run` and local work: the embedded set-up, debug on."""

import os

os.environ.setdefault("DEBUG", "true")
# A development-only key; production.py refuses to start without its own.
os.environ.setdefault("SECRET_KEY", "dev-only-not-secret-pendamping-" + "x" * 20)

from .base import *  # noqa: E402, F403
from .base import STORAGES  # noqa: E402

STORAGES["staticfiles"] = {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
