"""The office set-up (`DEMO=0 make run`): an organisation's one computer.

Production's rules (DEBUG off, a secret key of its own, gunicorn, static
files by whitenoise) on the embedded pieces: the SQLite file, the Celery
worker over the file-system broker, media on this disk. It speaks plain
http on the office network, so no HTTPS redirect and no secure-only cookies;
media is served by this set-up itself (`learning.urls_office`).

The secret key comes from the environment or `.env`, which `make run`
writes once (`python -m learning.office secret-key`); without one this
module refuses to start, like every settings module but dev and test.
"""

from learning.office import hosts_for, public_address

from .base import *  # noqa: F403
from .base import env

DEBUG = False
HOST = env.str("HOST", default="127.0.0.1")
PORT = env.int("PORT", default=8000)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=hosts_for(HOST))
ROOT_URLCONF = "learning.urls_office"
# Links in e-mail (password reset) point at the address the phones use.
WAGTAILADMIN_BASE_URL = env.str(
    "WAGTAILADMIN_BASE_URL", default=f"http://{public_address(HOST)}:{PORT}"
)
