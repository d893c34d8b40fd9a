from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PrivacyConsent(models.Model):
    """A person read the privacy notice of one version and said "Saya mengerti
    dan setuju" (`learning.privacy.accept_notice`); one row per version."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("orang"),
        on_delete=models.CASCADE,
        related_name="privacy_consents",
    )
    version = models.CharField(_("versi pemberitahuan"), max_length=20)
    accepted_at = models.DateTimeField(_("waktu setuju"), default=timezone.now)

    class Meta:
        verbose_name = _("persetujuan pemberitahuan privasi")
        verbose_name_plural = _("persetujuan pemberitahuan privasi")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "version"], name="privacy_consent_once_per_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id} · {self.version}"


class PersonalDataExport(models.Model):
    """One "Unduh data saya" request: a ZIP of a person's own records, built by
    the worker (`learning.personal_data.build_export`), kept privately and
    handed only to that person until it expires."""

    class Kind(models.TextChoices):
        RECORDS = "catatan", _("Data saya")
        WELLBEING = "kesejahteraan", _("Cek kesejahteraan saya")

    class Status(models.TextChoices):
        PENDING = "menunggu", _("Sedang dibuat")
        READY = "siap", _("Siap diunduh")
        FAILED = "gagal", _("Gagal dibuat")

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("orang"),
        on_delete=models.CASCADE,
        related_name="personal_data_exports",
    )
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    requested_at = models.DateTimeField(_("diminta"), default=timezone.now)
    ready_at = models.DateTimeField(_("siap"), null=True, blank=True)
    expires_at = models.DateTimeField(_("kedaluwarsa"), null=True, blank=True)
    # Under MEDIA_ROOT but outside the public folders: served only by
    # `learning.views_privacy.export_download`, to its owner.
    file = models.FileField(_("berkas"), upload_to="unduh-data/", blank=True)

    class Meta:
        verbose_name = _("salinan data pribadi")
        verbose_name_plural = _("salinan data pribadi")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            # Requesting again (a double tap, twenty at once) while one is
            # being built builds nothing more.
            models.UniqueConstraint(
                fields=["person", "kind"],
                condition=Q(status="menunggu"),
                name="personal_data_export_one_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id} · {self.kind} · {self.status}"
