"""Production: PostgreSQL, Redis, HTTPS behind a proxy; secrets from the env.

Production refuses to start half-configured: the database, the broker and
the cache must each be named, or base.py's embedded defaults (a SQLite file,
the file-system broker, memory) would be used without a word. Naming them
explicitly (`sqlite:///…`, `filesystem://`, `locmemcache://`) is accepted,
for a site that really runs on one computer.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env

REQUIRED_SETTINGS = ("DATABASE_URL", "CELERY_BROKER_URL", "CACHE_URL")
_unset = [name for name in REQUIRED_SETTINGS if not env.str(name, default="")]
if _unset:
    raise ImproperlyConfigured(
        "Production needs "
        + ", ".join(_unset)
        + " set in the environment (or .env), e.g. DATABASE_URL=postgres://…, "
        "CELERY_BROKER_URL=redis://…, CACHE_URL=redis://…; write sqlite:///…, "
        "filesystem:// or locmemcache:// to choose the embedded ones on purpose."
    )

DEBUG = False

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^sehat/$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
