from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CountersignLink(models.Model):
    """A single-use link for a supervisor without an account to verify entries.

    Only a hash of the token is stored: the link itself is shown to the trainee
    once, to send by e-mail, WhatsApp or SMS.
    """

    placement = models.ForeignKey(
        "mentorship.Placement",
        verbose_name=_("penempatan"),
        on_delete=models.CASCADE,
        related_name="countersign_links",
    )
    entries = models.ManyToManyField(
        "mentorship.HourEntry", verbose_name=_("jam magang"), related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    expires_at = models.DateTimeField(_("berlaku sampai"))
    used_at = models.DateTimeField(_("dipakai"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("dibatalkan"), null=True, blank=True)
    signer_name = models.CharField(_("nama penanda tangan"), max_length=120, blank=True)
    signer_position = models.CharField(_("jabatan"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("tautan verifikasi")
        verbose_name_plural = _("tautan verifikasi")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.placement} · {self.created_at:%d-%m-%Y}"
