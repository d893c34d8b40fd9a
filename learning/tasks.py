from django.contrib.sessions.models import Session
from django.utils import timezone

from celery import shared_task

from .health import record_heartbeat


@shared_task(time_limit=60, soft_time_limit=50, bind=True)
def record_worker_heartbeat(self) -> None:
    """Periodic: lets /sehat/ tell whether a worker is running."""
    record_heartbeat(hostname=self.request.hostname or "worker")


@shared_task(time_limit=600, soft_time_limit=540)
def clear_expired_sessions() -> int:
    """Daily: forget sessions that have expired (personal data kept no longer)."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted
