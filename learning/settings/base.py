"""Settings shared by every environment, safe for production by default.

Everything secret or machine-specific comes from environment variables; the
defaults describe the embedded set-up (a SQLite file, local media, a Celery
broker in the file system) so that `make run` works on a bare machine.
"""

import environ

from .celery import *  # noqa: F403 - the Celery settings, in their own module
from .environment import BASE_DIR, VAR_DIR, env  # noqa: F401 - for the others

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    raise environ.ImproperlyConfigured(
        "Set SECRET_KEY in the environment (a long random string)."
    )
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "learning",
    "modules",
    "assessments",
    "mentorship",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "learning.apps.UsersConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "ninja",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_celery_beat",
    "django_tasks",
    "whitenoise.runserver_nostatic",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "learning.audit.RequestAddressMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "learning.middleware.SecurityHeadersMiddleware",
    "learning.middleware.ContentSecurityPolicyMiddleware",
    # Before anything that reads the database: its outage is a plain 503.
    "learning.outage.DatabaseOutageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "learning.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "learning.throttle.ApiThrottleMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "learning.sign_in_middleware.IdleSessionMiddleware",
    "learning.sign_in_middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "learning.middleware.OneTimePasswordMiddleware",
    "learning.privacy.PrivacyNoticeMiddleware",
    "learning.middleware.PrivateCacheMiddleware",
    "learning.offline.OfflineOwnerMiddleware",
    # Reads the content token once a request and finds pages by it.
    "modules.content_cache.ContentTokenMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "learning.urls"
WSGI_APPLICATION = "learning.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "learning.context_processors.site",
                "learning.app_identity.app_identity",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------

DATABASES = {
    "default": env.db_url(
        "DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
    ),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # URL parsers drop these, and SQLite needs them to serve the web process and
    # the Celery worker at the same time: WAL lets readers work beside a
    # writer, IMMEDIATE takes the write lock at BEGIN (no upgrade deadlocks),
    # and the timeout makes a second writer wait instead of failing.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON;"
        ),
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Per process by default; production shares Redis between web nodes.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}

# --- Accounts -------------------------------------------------------------

AUTH_USER_MODEL = "learning.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
# Wagtail's privacy settings (private pages, documents) send people to our sign-in.
WAGTAIL_FRONTEND_LOGIN_URL = "/masuk/"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

# A workshop room shares one IP address, so failed sign-ins are counted per
# username: one trainee mistyping cannot lock out the whole room.
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False

# Proxies in front of the app that append the client's address to
# X-Forwarded-For (1 behind nginx with `$proxy_add_x_forwarded_for`). At 0
# the address is REMOTE_ADDR: behind a proxy, everyone would share one
# address and one throttle (learning/throttle.py).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# axes warns that counting per username alone lets an attacker who rotates
# usernames from one address go on guessing. That is the trade we choose:
# counting per address would lock a whole training room out at once.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

SESSION_COOKIE_AGE = 60 * 60 * 24 * 14
# A trainee's or an alumna's session ends after this many minutes without a
# request, and with the browser unless they ticked "Ingat saya" at sign-in
# (learning.sign_in_middleware). Staff sessions last SESSION_COOKIE_AGE.
PENDAMPING_IDLE_MINUTES = env.int("PENDAMPING_IDLE_MINUTES", default=120)
# Coordinators and superusers must add a code app (TOTP) before any page;
# facilitators may. On in production.py (learning.second_factor).
PENDAMPING_2FA_REQUIRED = env.bool("PENDAMPING_2FA_REQUIRED", default=False)
# The name a code app shows beside the six digits.
OTP_TOTP_ISSUER = "Pendamping"
# django-otp's own back-off (silently refusing even the right code for 2ⁿ
# seconds after n wrong ones) is off: codes are counted per person and per
# address instead, with a message that says to wait (learning.throttle).
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
# How many requests to the API one address, and one phone's sync key, may
# send in PENDAMPING_API_LIMIT_SECONDS: a training room shares one address
# and syncs at once (learning.throttle.ApiThrottleMiddleware). Then a 429.
PENDAMPING_API_LIMIT_SECONDS = env.int("PENDAMPING_API_LIMIT_SECONDS", default=60)
PENDAMPING_API_LIMIT_PER_ADDRESS = env.int(
    "PENDAMPING_API_LIMIT_PER_ADDRESS", default=600
)
PENDAMPING_API_LIMIT_PER_TOKEN = env.int("PENDAMPING_API_LIMIT_PER_TOKEN", default=120)
# A countersign link opened by a supervisor: per address and per link, in
# PENDAMPING_COUNTERSIGN_LIMIT_SECONDS (mentorship.views.countersign).
PENDAMPING_COUNTERSIGN_LIMIT_SECONDS = env.int(
    "PENDAMPING_COUNTERSIGN_LIMIT_SECONDS", default=10 * 60
)
PENDAMPING_COUNTERSIGN_LIMIT_PER_ADDRESS = env.int(
    "PENDAMPING_COUNTERSIGN_LIMIT_PER_ADDRESS", default=60
)
PENDAMPING_COUNTERSIGN_LIMIT_PER_TOKEN = env.int(
    "PENDAMPING_COUNTERSIGN_LIMIT_PER_TOKEN", default=30
)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # the offline client reads it to send X-CSRFToken
CSRF_FAILURE_VIEW = "learning.views.csrf_failure"

# --- Language and time ----------------------------------------------------

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["learning.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Makassar"
LANGUAGE_COOKIE_NAME = "bahasa"
LANGUAGE_COOKIE_SAMESITE = "Lax"
WAGTAIL_I18N_ENABLED = False
WAGTAIL_CONTENT_LANGUAGES = [("id", "Bahasa Indonesia")]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

# --- Static files and media -----------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
MEDIA_URL = env.str("MEDIA_URL", default="/media/")
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")

MEDIA_STORAGE = env.str("MEDIA_STORAGE", default="local")
if MEDIA_STORAGE == "s3":
    _media_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default=None),
            "region_name": env.str("AWS_S3_REGION_NAME", default=None),
            "access_key": env.str("AWS_ACCESS_KEY_ID", default=None),
            "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default=None),
            "custom_domain": env.str("AWS_S3_CUSTOM_DOMAIN", default=None),
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
elif MEDIA_STORAGE == "local":
    _media_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
else:
    raise environ.ImproperlyConfigured(
        f"MEDIA_STORAGE must be 'local' or 's3', not {MEDIA_STORAGE!r}"
    )

STORAGES = {
    "default": _media_storage,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_MAX_AGE = 60 * 60

# --- E-mail ---------------------------------------------------------------

vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
# Seconds a mail server may take to answer before the mail task retries.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Pendamping <noreply@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security headers -----------------------------------------------------

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Wagtail marks its own preview views SAMEORIGIN; nothing else is framed.
X_FRAME_OPTIONS = "DENY"

# The public site runs no inline script and loads nothing from elsewhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "media-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "worker-src": ["'self'"],
        "manifest-src": ["'self'"],
    },
}
if MEDIA_STORAGE == "s3" and env.str("AWS_S3_CUSTOM_DOMAIN", default=None):
    for _directive in ("img-src", "media-src"):
        CONTENT_SECURITY_POLICY["DIRECTIVES"][_directive].append(
            "https://" + env.str("AWS_S3_CUSTOM_DOMAIN")
        )
# The Wagtail admin gets the strictest policy it works with. Still only this
# site's own files, but Wagtail 8 renders small inline <script> blocks (date
# and time choosers, inline panels) and sets inline styles from JavaScript,
# and draws image previews from blob: URLs. No eval, no other hosts.
CONTENT_SECURITY_POLICY_ADMIN = {
    **CONTENT_SECURITY_POLICY["DIRECTIVES"],
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "frame-ancestors": ["'self'"],  # the page preview panel
    "img-src": CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"] + ["blob:"],
    "media-src": CONTENT_SECURITY_POLICY["DIRECTIVES"]["media-src"] + ["blob:"],
}
CONTENT_SECURITY_POLICY_ADMIN_PREFIXES = ["/admin/", "/api/docs"]
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

# Where "Keluar cepat" (quick exit) sends a person: an ordinary, neutral page.
QUICK_EXIT_URL = env.str("QUICK_EXIT_URL", default="https://www.bmkg.go.id/")

# --- Wagtail --------------------------------------------------------------

WAGTAIL_SITE_NAME = "Pendamping"
# Wagtail's sign-in form with its words in Indonesian.
WAGTAILADMIN_USER_LOGIN_FORM = "learning.admin_login.StaffLoginForm"
WAGTAILADMIN_BASE_URL = env.str(
    "WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000"
)
# No request to any third party, the admin included.
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAILEMBEDS_FINDERS = []
# Wagtail's database backend: PostgreSQL full-text search (with the Indonesian
# stemmer) on PostgreSQL, SQLite's FTS5 on the embedded set-up (where
# learning.search escapes the quotes that FTS5 would choke on).
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "learning.search"}}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    WAGTAILSEARCH_BACKENDS["default"]["SEARCH_CONFIG"] = "indonesian"
WAGTAILDOCS_EXTENSIONS = [
    "pdf",
    "doc",
    "docx",
    "odt",
    "xls",
    "xlsx",
    "ods",
    "ppt",
    "pptx",
    "odp",
    "txt",
    "csv",
    "mp4",
    "webm",
    "mp3",
    "m4a",
    "ogg",
]
WAGTAILIMAGES_FORMAT_CONVERSIONS = {"bmp": "webp", "png": "webp", "jpeg": "webp"}
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# Uploads checked by content, not by name (learning/uploads.py): the image
# formats the site shows, a broken or cut-off image refused, a document whose
# bytes are not the format its extension names refused, and size limits.
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = env.int(
    "WAGTAILIMAGES_MAX_UPLOAD_SIZE", default=10 * 1024 * 1024
)
WAGTAILIMAGES_MAX_IMAGE_PIXELS = env.int(
    "WAGTAILIMAGES_MAX_IMAGE_PIXELS", default=40_000_000
)
WAGTAILIMAGES_IMAGE_FORM_BASE = "learning.uploads.CheckedImageForm"
WAGTAILDOCS_DOCUMENT_FORM_BASE = "learning.uploads.CheckedDocumentForm"
PENDAMPING_DOCUMENT_MAX_UPLOAD_SIZE = env.int(
    "PENDAMPING_DOCUMENT_MAX_UPLOAD_SIZE", default=20 * 1024 * 1024
)
# Video and audio: a lesson's video is downloaded on village signal.
PENDAMPING_MEDIA_MAX_UPLOAD_SIZE = env.int(
    "PENDAMPING_MEDIA_MAX_UPLOAD_SIZE", default=100 * 1024 * 1024
)
WAGTAIL_PASSWORD_RESET_ENABLED = True

# Wagtail's own background work (search index, image renditions, reference
# index) runs through Django's Tasks framework. It stays on the immediate
# backend in every environment: the project's own jobs are Celery tasks.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# --- Magang ---------------------------------------------------------------

# The most hours of magang one trainee may log on one calendar day, all
# entries together.
MAGANG_MAX_HOURS_PER_DAY = env.int("MAGANG_MAX_HOURS_PER_DAY", default=12)
# How long a countersign link for a supervisor without an account stays valid.
MAGANG_COUNTERSIGN_DAYS = env.int("MAGANG_COUNTERSIGN_DAYS", default=14)
# How long without a heartbeat before the health check calls the worker absent.
WORKER_HEARTBEAT_STALE_SECONDS = 5 * 60

# --- Kuis -----------------------------------------------------------------

# Item statistics call a question too easy, too hard or weakly discriminating
# only once this many sittings have answered it (or left it blank): with
# fewer, one trainee swings the numbers too far.
PENDAMPING_ITEM_STATS_MIN_RESPONSES = env.int(
    "PENDAMPING_ITEM_STATS_MIN_RESPONSES", default=20
)

# --- Angka program ---------------------------------------------------------

# In every export or printout meant to leave the organisation, a count from 1
# up to this number (of people or cases in a desa, or of one case type in one
# kecamatan) shows as "<5" (one more than this), and enough other cells are
# hidden that it cannot be worked out from the totals.
PENDAMPING_SMALL_COUNT_MAX = env.int("PENDAMPING_SMALL_COUNT_MAX", default=4)
# How long the audit trail keeps a line (learning.audit.purge), in days.
PENDAMPING_AUDIT_KEEP_DAYS = env.int("PENDAMPING_AUDIT_KEEP_DAYS", default=730)
# The embedded set-up's nightly backups (learning.backups): where, and for
# how many days they are kept.
BACKUP_DIR = env.path("BACKUP_DIR", default=VAR_DIR / "backups")
BACKUP_KEEP_DAYS = env.int("BACKUP_KEEP_DAYS", default=14)
# How long an "Unduh data saya" file stays downloadable before it is deleted
# (learning.personal_data), in days.
PENDAMPING_PERSONAL_DATA_EXPORT_DAYS = env.int(
    "PENDAMPING_PERSONAL_DATA_EXPORT_DAYS", default=7
)

# Accounts not seen (signed in or synced from a phone) for this many years are
# flagged "tidak aktif" in the people list, for a coordinator to anonymise
# (learning.erasure); nothing is deleted by itself.
PENDAMPING_INACTIVE_YEARS = env.int("PENDAMPING_INACTIVE_YEARS", default=3)

# --- API ------------------------------------------------------------------

NINJA_PAGINATION_PER_PAGE = 50

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # Wagtail's immediate task backend logs every search-index update.
        "django_tasks": {"level": "WARNING"},
        # fpdf2's font subsetting logs every table of every booklet.
        "fontTools": {"level": "WARNING"},
    },
}
