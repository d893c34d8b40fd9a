from django.db import models
from django.utils.translation import gettext_lazy as _

from .pages import ModulePage


class OfflinePackage(models.Model):
    """What a module's "Simpan untuk dibaca offline" stores, as built for one
    published version of the module in one language (derived; rebuilt when
    the module changes)."""

    module = models.ForeignKey(
        ModulePage,
        verbose_name=_("modul"),
        on_delete=models.CASCADE,
        related_name="offline_packages",
    )
    language = models.CharField(_("bahasa"), max_length=10)
    version = models.CharField(_("versi"), max_length=64)
    size = models.PositiveBigIntegerField(_("ukuran (byte)"))
    entries = models.JSONField(_("isi"), default=list)
    booklet_pending = models.BooleanField(_("buklet belum siap"), default=False)
    built_at = models.DateTimeField(_("dibuat"), auto_now=True)

    class Meta:
        verbose_name = _("paket offline")
        verbose_name_plural = _("paket offline")
        constraints = [
            models.UniqueConstraint(
                fields=["module", "language"], name="one_offline_package_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.module} ({self.language})"
