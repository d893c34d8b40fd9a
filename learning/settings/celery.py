"""Celery: the broker, how long tasks may run, and what the beat runs.

Star-imported by base.py. Importing it writes nothing to disk: the
file-system broker's folders are made by whoever starts (the worker, the beat
and `prepare_site`; see `learning.celery.make_broker_folders`).

Tasks are queued through `learning.outbox`, in the transaction of their
record; each states its own time limits and retries.
"""

from celery.schedules import crontab

from .environment import VAR_DIR, env

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")

# No task of the project may run longer than this (its hard time limit), nor
# wait longer than this for a retry (tests check both for every task).
LONGEST_TASK_SECONDS = 60 * 60
# Redis hands a message it gave a worker to another one when it has not been
# acknowledged within the visibility timeout (acks are late: after the task
# ran). Longer than any task may run or wait, so nothing runs twice for it.
BROKER_VISIBILITY_TIMEOUT = 2 * LONGEST_TASK_SECONDS

if CELERY_BROKER_URL.startswith("filesystem://"):
    # A broker that needs no server: messages are files under var/celery/,
    # shared by the web process and the one worker of the embedded set-up.
    _queue_dir = VAR_DIR / "celery"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir / "queue"),
        "data_folder_out": str(_queue_dir / "queue"),
        "processed_folder": str(_queue_dir / "processed"),
        "control_folder": str(_queue_dir / "control"),
        "store_processed": False,
    }
elif CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": BROKER_VISIBILITY_TIMEOUT,
    }
# A broker that does not answer is given this long; the outbox keeps the task.
CELERY_BROKER_CONNECTION_TIMEOUT = 4
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

CELERY_TASK_IGNORE_RESULT = True
# A task is acknowledged after it ran, and one whose worker died is handed
# out again: every task is safe to run twice.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# Limits for a task that states none (every task of the project states its own).
CELERY_TASK_TIME_LIMIT = 5 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 4 * 60
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TIMEZONE = "Asia/Makassar"  # WITA, as TIME_ZONE (a test checks they agree)

CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    # Tasks whose transaction committed while the broker was away.
    "relay-outbox": {
        "task": "learning.tasks.relay_outbox",
        "schedule": 60.0,
    },
    "worker-heartbeat": {
        "task": "learning.tasks.record_worker_heartbeat",
        "schedule": 60.0,
    },
    "clear-expired-sessions": {
        "task": "learning.tasks.clear_expired_sessions",
        "schedule": 60.0 * 60 * 24,
    },
    # Night: audit-trail lines older than PENDAMPING_AUDIT_KEEP_DAYS go.
    "purge-audit-trail": {
        "task": "learning.tasks.purge_audit_trail",
        "schedule": crontab(minute=15, hour=2),
    },
    # Night: "Unduh data saya" files past PENDAMPING_PERSONAL_DATA_EXPORT_DAYS go.
    "purge-personal-data-exports": {
        "task": "learning.tasks.purge_personal_data_exports",
        "schedule": crontab(minute=45, hour=2),
    },
    # The programme view's kept figures, computed again once their records
    # changed (mentorship/programme_figures/kept.py).
    "refresh-programme-figures": {
        "task": "mentorship.tasks.refresh_programme_figures",
        "schedule": 60.0,
    },
    # Wagtail's scheduled publishing (go-live and expiry dates) needs a clock.
    "publish-scheduled-pages": {
        "task": "modules.tasks.publish_scheduled_pages",
        "schedule": 60.0,
    },
    # Monday morning: supervisors hear of waiting hours, trainees of drafts.
    "magang-weekly-digest": {
        "task": "mentorship.tasks.send_weekly_digests",
        "schedule": crontab(minute=0, hour=7, day_of_week=1),
    },
    # The first Monday of the month: companions are invited to a wellbeing
    # check-in (crontab fields all have to match: a Monday within days 1-7).
    "wellbeing-monthly-reminder": {
        "task": "mentorship.tasks.remind_checkins",
        "schedule": crontab(minute=0, hour=8, day_of_week=1, day_of_month="1-7"),
    },
    # Every morning: certificates whose refresher modules were studied are
    # renewed, and holders hear three months before theirs lapse.
    "certificate-renewal-daily": {
        "task": "assessments.tasks.remind_expiring_certificates",
        "schedule": crontab(minute=30, hour=6),
    },
    # Every night: the embedded set-up copies its SQLite database and media
    # into BACKUP_DIR (on PostgreSQL the task does nothing: pg_dump).
    "backup-site-nightly": {
        "task": "learning.tasks.backup_site",
        "schedule": crontab(minute=0, hour=2),
    },
}
