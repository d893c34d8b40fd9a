from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ProgrammeHistoryYear(models.Model):
    """One organisation's totals for a year of a programme before Pendamping,
    typed in by hand from its own reports, with where they come from.

    `cases_by_type` is {ViolenceType: n} for the types the report gives; a
    figure the report does not give stays empty, never zero.
    """

    programme = models.ForeignKey(
        "learning.Programme",
        verbose_name=_("program"),
        on_delete=models.PROTECT,
        related_name="history_years",
    )
    organisation = models.ForeignKey(
        "learning.Organisation",
        verbose_name=_("lembaga"),
        on_delete=models.PROTECT,
        related_name="history_years",
    )
    year = models.PositiveSmallIntegerField(_("tahun"))
    cases_accompanied = models.PositiveIntegerField(
        _("kasus yang didampingi"), null=True, blank=True
    )
    cases_by_type = models.JSONField(
        _("kasus menurut jenis kekerasan"), default=dict, blank=True
    )
    villages_assisted = models.PositiveIntegerField(
        _("desa yang didampingi"), null=True, blank=True
    )
    active_companions = models.PositiveIntegerField(
        _("pendamping aktif"), null=True, blank=True
    )
    source = models.CharField(
        _("sumber"),
        max_length=300,
        help_text=_("Laporan asal angka ini, mis. 'Laporan 2021'."),
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dicatat oleh"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("dicatat pada"), default=timezone.now)

    class Meta:
        verbose_name = _("angka tahun sebelum Pendamping")
        verbose_name_plural = _("angka tahun sebelum Pendamping")
        ordering = ["programme", "organisation", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "organisation", "year"],
                name="one_history_year_per_programme_and_organisation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.programme} · {self.organisation} · {self.year}"
