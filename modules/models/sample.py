from django.db import models
from django.utils.translation import gettext_lazy as _


class SampleKind(models.TextChoices):
    MODULE = "modul", _("Modul")
    QUIZ = "kuis", _("Kuis")
    BANK = "bank", _("Bank latihan")
    PAGE = "halaman", _("Halaman")
    COMPETENCY = "kompetensi", _("Kompetensi")


class SampleContent(models.Model):
    """A piece of the sample curriculum as this site holds it.

    `edition` is the edition its copy came from; `recorded_at` is when that
    copy was loaded, so an edit made afterwards is seen. When a newer edition
    could not replace the copy because someone had edited it, `newer_edition`
    and `newer_changes` say what that edition corrected, until an editor marks
    the notice as handled.
    """

    kind = models.CharField(_("jenis"), max_length=10, choices=SampleKind.choices)
    # A module's or a quiz's slug; for a bank, its module's slug; for a
    # competency, its name.
    key = models.CharField(_("kunci"), max_length=255)
    title = models.CharField(_("judul"), max_length=255)
    edition = models.PositiveSmallIntegerField(_("edisi"), default=1)
    recorded_at = models.DateTimeField(_("dimuat"))
    newer_edition = models.PositiveSmallIntegerField(
        _("edisi baru yang belum dipakai"), null=True, blank=True
    )
    newer_changes = models.JSONField(_("yang diperbaiki edisi baru"), default=list)
    noticed_at = models.DateTimeField(_("diberitahukan"), null=True, blank=True)

    class Meta:
        verbose_name = _("materi contoh")
        verbose_name_plural = _("materi contoh")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "key"], name="one_record_per_sample_content"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"
