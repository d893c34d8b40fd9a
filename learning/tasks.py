import logging

from django.contrib.sessions.models import Session
from django.utils import timezone

from celery import shared_task

from .health import record_heartbeat
from .models import PeopleImport
from .people_import import SOFT_TIME_LIMIT, TIME_LIMIT, run_import

logger = logging.getLogger(__name__)


@shared_task(time_limit=60, soft_time_limit=50, bind=True)
def record_worker_heartbeat(self) -> None:
    """Periodic: lets /sehat/ tell whether a worker is running."""
    record_heartbeat(hostname=self.request.hostname or "worker")


@shared_task(time_limit=600, soft_time_limit=540)
def clear_expired_sessions() -> int:
    """Daily: forget sessions that have expired (personal data kept no longer)."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


@shared_task(time_limit=TIME_LIMIT, soft_time_limit=SOFT_TIME_LIMIT)
def run_people_import(job_id: int) -> None:
    """Import a big people sheet (queued by `start_import` once its row is saved).

    Not retried: a failed import is marked failed and its accounts removed, and
    the person uploads again. Safe to run twice (see `run_import`); a run lost
    with its worker is queued again when the import page is opened.
    """
    try:
        run_import(job_id=job_id)
    except PeopleImport.DoesNotExist:
        logger.info("People import %s no longer exists", job_id)
