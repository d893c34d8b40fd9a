from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..choices import SampleLoadStatus

UNDER_WAY = [SampleLoadStatus.WAITING, SampleLoadStatus.RUNNING]


class SampleCurriculumLoad(models.Model):
    """One load of the sample curriculum (modules, competency framework,
    quizzes), asked for from the admin's first-run checklist (run by a worker)
    or by `manage.py load_sample_curriculum`: who asked, and how it went. At
    most one waits and one runs at a time, so twenty presses queue one load.
    """

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diminta oleh"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("diminta pada"), default=timezone.now)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=SampleLoadStatus.choices,
        default=SampleLoadStatus.WAITING,
    )
    started_at = models.DateTimeField(_("mulai"), null=True, blank=True)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    error = models.TextField(_("galat"), blank=True)
    # What happened to each sample module, by slug ("baru", "diganti", ...).
    outcomes = models.JSONField(_("hasil per modul"), default=dict, blank=True)

    class Meta:
        verbose_name = _("pemuatan materi contoh")
        verbose_name_plural = _("pemuatan materi contoh")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["status"],
                condition=models.Q(status__in=UNDER_WAY),
                name="one_sample_load_per_state_under_way",
            )
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.requested_at:%Y-%m-%d %H:%M}"

    @property
    def under_way(self) -> bool:
        return self.status in UNDER_WAY
