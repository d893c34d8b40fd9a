from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..choices import BookletStatus


class Booklet(models.Model):
    """A module's printable PDF, built once for one published state of it.

    `content_key` fingerprints the live revisions of the module and its
    lessons: any publication (by hand, by workflow approval or on schedule)
    gives a new key, so a new booklet is built the next time someone asks.
    """

    module = models.ForeignKey(
        "modules.ModulePage",
        verbose_name=_("modul"),
        on_delete=models.CASCADE,
        related_name="booklets",
    )
    content_key = models.CharField(_("sidik isi"), max_length=64)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=BookletStatus.choices,
        default=BookletStatus.WAITING,
    )
    lessons_done = models.PositiveSmallIntegerField(_("pelajaran diproses"), default=0)
    lessons_total = models.PositiveSmallIntegerField(_("jumlah pelajaran"), default=0)
    file = models.FileField(_("berkas"), upload_to="buklet/", blank=True)
    error = models.TextField(_("galat"), blank=True)
    requested_at = models.DateTimeField(_("diminta"), default=timezone.now)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)

    class Meta:
        verbose_name = _("buklet")
        verbose_name_plural = _("buklet")
        constraints = [
            models.UniqueConstraint(
                fields=["module", "content_key"], name="one_booklet_per_content"
            )
        ]

    def __str__(self) -> str:
        return f"{self.module} ({self.get_status_display()})"
