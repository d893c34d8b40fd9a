from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """The last time a Celery worker reported itself alive (one row per worker)."""

    hostname = models.CharField(_("nama worker"), max_length=255, unique=True)
    seen_at = models.DateTimeField(_("terakhir terlihat"), default=timezone.now)

    class Meta:
        verbose_name = _("detak worker")
        verbose_name_plural = _("detak worker")

    def __str__(self) -> str:
        return f"{self.hostname} @ {self.seen_at:%Y-%m-%d %H:%M}"
