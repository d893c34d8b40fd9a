import re

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import RegionKind, RegionLevel

_NOT_LETTER_OR_DIGIT = re.compile(r"[^a-z0-9]+")


def search_key(name: str) -> str:
    """A name folded for matching: "Oe'Ekam", "Oe Ekam" and "OEEKAM" give "oeekam"."""
    return _NOT_LETTER_OR_DIGIT.sub("", name.lower())


class Region(models.Model):
    """One area in Kemendagri's list of regions, from provinsi down to desa/kelurahan.

    Keyed by the official code (PP.KK.CC.DDDD), because names repeat: TTS alone
    has three villages called Oe'Ekam.
    """

    code = models.CharField(_("kode Kemendagri"), max_length=13, unique=True)
    name = models.CharField(_("nama"), max_length=100)
    level = models.PositiveSmallIntegerField(_("tingkat"), choices=RegionLevel.choices)
    kind = models.CharField(_("jenis"), max_length=12, choices=RegionKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("wilayah induk"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    label = models.CharField(_("nama lengkap"), max_length=255)
    search_name = models.CharField(max_length=100, db_index=True, editable=False)

    class Meta:
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")
        ordering = ["code"]
        indexes = [models.Index(fields=["level", "search_name"])]

    def __str__(self) -> str:
        return self.label

    @property
    def kabupaten_code(self) -> str:
        return self.code[:5]
