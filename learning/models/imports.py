from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..choices import ImportStatus


class PeopleImport(models.Model):
    """One upload of the people sheet: its rows until they are imported, then
    how far the import got, the accounts it made or every problem it found.

    Small sheets are imported while the person waits; big ones by a Celery
    worker, with this row as the progress the import page shows.
    """

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diimpor oleh"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cohort = models.ForeignKey(
        "learning.Cohort",
        verbose_name=_("angkatan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    file_name = models.CharField(_("nama berkas"), max_length=255, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ImportStatus.choices,
        default=ImportStatus.WAITING,
    )
    # [[row number, {column: text}], …]: emptied once the import has finished,
    # so the sheet's personal data is kept no longer than needed. Passwords
    # from the sheet are here as hashes only.
    rows = models.JSONField(_("baris"), default=list, blank=True)
    row_count = models.PositiveIntegerField(_("jumlah baris"), default=0)
    checked_count = models.PositiveIntegerField(_("baris diperiksa"), default=0)
    created_count = models.PositiveIntegerField(_("akun dibuat"), default=0)
    # [{"row": n, "column": "…", "message": "…"}, …]
    problems = models.JSONField(_("masalah"), default=list, blank=True)
    # Ids of the accounts made, in the sheet's order.
    created_accounts = models.JSONField(_("akun yang dibuat"), default=list, blank=True)
    error = models.TextField(_("galat"), blank=True)
    requested_at = models.DateTimeField(_("diunggah pada"), default=timezone.now)
    started_at = models.DateTimeField(_("mulai"), null=True, blank=True)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)

    class Meta:
        verbose_name = _("impor orang")
        verbose_name_plural = _("impor orang")
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (
            ImportStatus.DONE,
            ImportStatus.REFUSED,
            ImportStatus.FAILED,
        )
