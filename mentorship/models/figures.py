from django.db import models
from django.utils.translation import gettext_lazy as _

from learning.stamps import Stamp


class FiguresStamp(Stamp):
    """One row for each change to what the programme's figures count: the
    newest rows name those records as they stand
    (`mentorship.programme_figures.kept`, `learning.stamps`)."""

    class Meta:
        verbose_name = _("cap angka program")
        verbose_name_plural = _("cap angka program")


class KeptFigures(models.Model):
    """A programme view's figures as a task last computed them, for one
    reach, year, day and language (`key`), and the records' token then."""

    key = models.CharField(_("kunci"), max_length=64, unique=True)
    token = models.BigIntegerField(_("token"), null=True)
    made_at = models.DateTimeField(_("dihitung pada"))
    # `ProgrammeFigures`, pickled: written and read by this code alone.
    figures = models.BinaryField(_("angka"))
    # How to compute them again (the task): who last read them, with what.
    reader = models.ForeignKey(
        "learning.User",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("pembaca terakhir"),
    )
    filters = models.JSONField(_("saringan"), default=dict)
    language = models.CharField(_("bahasa"), max_length=10)
    read_at = models.DateTimeField(_("terakhir dibaca"))

    class Meta:
        verbose_name = _("angka program tersimpan")
        verbose_name_plural = _("angka program tersimpan")

    def __str__(self) -> str:
        return f"{self.key[:12]} ({self.made_at:%Y-%m-%d %H:%M})"
