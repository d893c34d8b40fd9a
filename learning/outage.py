"""When the database is away: a plain 503 page, never a traceback.

`DatabaseOutageMiddleware` sits before the session and sign-in middleware
(which read the database): it opens the connection first, and a database
that does not answer gets the static page "Sedang ada gangguan" with status
503 and Retry-After (JSON for /api/). A connection lost later in the request
(an OperationalError or InterfaceError raised by a view) gets the same.

The page is rendered from a template with no request: no context processor
runs, no session or account is read, so it renders with no database at all.

`/sehat/` is answered here too while the database is away (the middleware
further down would fail before reaching the view): `parts_report()` names
each part (database, cache, broker, worker) and whether it answers.
"""

import logging
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
# Seconds a browser or an app is told to wait before asking again.
RETRY_AFTER_SECONDS = 120
# How long /sehat/ waits for the broker or the cache to answer.
PART_TIMEOUT_SECONDS = 2


def database_answers(*, ask_open_connection: bool = False) -> bool:
    """Whether the database can be reached: opens the connection if none is
    open. An open one is trusted (CONN_HEALTH_CHECKS asks it before the
    request's first query) unless `ask_open_connection`, after an error."""
    try:
        if connection.connection is None:
            connection.ensure_connection()
        elif ask_open_connection:
            return connection.is_usable()
    except DATABASE_ERRORS:
        return False
    return True


def outage_response(request: HttpRequest) -> HttpResponse:
    """The 503 answer for `request`: JSON under /api/, else the plain page."""
    if request.path_info.startswith("/api/"):
        response = JsonResponse(
            {
                "detail": _(
                    "Sedang ada gangguan di server. Data kamu aman di ponsel; "
                    "coba kirim lagi beberapa menit lagi."
                ),
                "code": "database_unavailable",
            },
            status=503,
        )
    else:
        page = get_template("learning/database_down.html").render(
            {"retry_minutes": RETRY_AFTER_SECONDS // 60}
        )
        response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseOutageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not database_answers():
            logger.error("Database unreachable: answered %s with 503", request.path)
            if request.path_info == reverse("health"):
                return health_response()
            return outage_response(request)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        """A view that lost the database midway gets the same 503."""
        if isinstance(exception, DATABASE_ERRORS) and not database_answers(
            ask_open_connection=True
        ):
            logger.error("Database lost during %s: answered 503", request.path)
            return outage_response(request)
        return None


# --- /sehat/ -------------------------------------------------------------------


def parts_report() -> tuple[dict, bool]:
    """Each part and whether it answers; True when the database does.

    Only the database decides the status code: without it nothing works,
    while a stopped broker or worker only delays mail and PDFs (the outbox
    keeps every task).
    """
    from .models import WorkerHeartbeat

    database_ok = database_answers(ask_open_connection=True)
    last_seen = None
    if database_ok:
        try:
            heartbeat = WorkerHeartbeat.objects.order_by("-seen_at").first()
        except DATABASE_ERRORS:
            database_ok = False
        else:
            last_seen = heartbeat.seen_at if heartbeat else None
    worker_ok = (
        last_seen is not None
        and (timezone.now() - last_seen).total_seconds()
        < settings.WORKER_HEARTBEAT_STALE_SECONDS
    )
    report = {
        "database": "ok" if database_ok else "error",
        "cache": _cache_state(),
        "broker": _broker_state(),
        "worker": "ok" if worker_ok else ("stale" if database_ok else "unknown"),
        "worker_last_seen": last_seen.isoformat() if last_seen else None,
    }
    return report, database_ok


def health_response() -> JsonResponse:
    report, database_ok = parts_report()
    response = JsonResponse(report, status=200 if database_ok else 503)
    response["Cache-Control"] = "no-store"
    return response


def _cache_state() -> str:
    """ "ok" or "error" for a cache server; "local" for the in-process cache."""
    backend = settings.CACHES["default"]["BACKEND"]
    if "locmem" in backend or "dummy" in backend:
        return "local"
    try:
        cache.set("sehat", "1", timeout=10)
        return "ok" if cache.get("sehat") == "1" else "error"
    except Exception:  # noqa: BLE001 - whatever the cache raised, it is down
        return "error"


def _broker_state() -> str:
    """ "ok" when the broker takes a connection (or its folder exists)."""
    from .celery import app

    url = str(app.conf.broker_url)
    if url.startswith("memory://"):
        return "local"
    if url.startswith("filesystem://"):
        options = app.conf.broker_transport_options or {}
        folder = options.get("data_folder_in")
        return "ok" if folder and Path(folder).is_dir() else "error"
    try:
        with app.connection_for_read(
            connect_timeout=PART_TIMEOUT_SECONDS,
            transport_options={"max_retries": 0},
        ) as broker:
            broker.ensure_connection(max_retries=0, timeout=PART_TIMEOUT_SECONDS)
        return "ok"
    except Exception:  # noqa: BLE001 - refused, timed out, unknown host
        return "error"
