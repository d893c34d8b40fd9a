"""Production: PostgreSQL, Redis, HTTPS behind a proxy; secrets from the env.

Production refuses to start half-configured: the database, the broker and
the cache must each be named, or base.py's embedded defaults (a SQLite file,
the file-system broker, memory) would be used without a word. Naming them
explicitly (`sqlite:///…`, `filesystem://`, `locmemcache://`) is accepted,
for a site that really runs on one computer.

Errors are logged to the console (the service manager keeps it) and, when
ADMINS names people, e-mailed to them without personal data.
"""

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.validators import validate_email

from .base import *  # noqa: F403
from .base import LOGGING, env

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


def admins_from(entries: list[str]) -> list[tuple[str, str]]:
    """`ADMINS=Name:address,…` (or bare addresses) as Django's (name, address)."""
    admins = []
    for entry in entries:
        name, _, address = entry.strip().rpartition(":")
        try:
            validate_email(address.strip())
        except ValidationError:
            raise ImproperlyConfigured(
                f"ADMINS: {entry.strip()!r} is not 'Name:address' "
                "(e.g. ADMINS=Ana:ana@example.org,Budi:budi@example.org)."
            ) from None
        admins.append((name.strip() or address.strip(), address.strip()))
    return admins


DEBUG = False

ADMINS = admins_from(env.list("ADMINS", default=[]))
DEFAULT_EXCEPTION_REPORTER_FILTER = "learning.error_reports.PersonalDataReporterFilter"
LOGGING = {
    **LOGGING,
    "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
    "handlers": {
        **LOGGING["handlers"],
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false"],
        },
    },
    "root": {
        **LOGGING["root"],
        # Every error, the web's and the worker's (a task that failed, a mail
        # given up), reaches the people named in ADMINS.
        "handlers": ["console", "mail_admins"] if ADMINS else ["console"],
    },
}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^sehat/$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True

# Coordinators and superusers sign in with a code app as well as a password
# (learning.second_factor); PENDAMPING_2FA_REQUIRED=false turns it off.
PENDAMPING_2FA_REQUIRED = env.bool("PENDAMPING_2FA_REQUIRED", default=True)
