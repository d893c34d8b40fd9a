from django.utils import timezone

from .models import WorkerHeartbeat


def record_heartbeat(*, hostname: str) -> WorkerHeartbeat:
    """Note that the worker `hostname` is alive now (one row per worker)."""
    heartbeat, _ = WorkerHeartbeat.objects.update_or_create(
        hostname=hostname, defaults={"seen_at": timezone.now()}
    )
    return heartbeat
