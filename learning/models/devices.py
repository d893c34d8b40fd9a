from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Device(models.Model):
    """One phone or browser on which one person used the site offline, known by
    the UUID that browser made for itself (no IP address is kept)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("akun"),
        on_delete=models.CASCADE,
        related_name="devices",
    )
    uuid = models.UUIDField(_("kode perangkat"))
    # Read from the browser's User-Agent when first seen: "Android · Chrome".
    label = models.CharField(_("perangkat"), max_length=60, blank=True)
    created_at = models.DateTimeField(_("pertama dipakai"), default=timezone.now)
    last_seen_at = models.DateTimeField(_("terakhir dipakai"), default=timezone.now)
    revoked_at = models.DateTimeField(_("dicabut"), null=True, blank=True)
    # The sync key ("kunci sinkron") lets this device send the person's own
    # records with no session. Only its SHA-256 is kept: the key itself lives
    # on the device and nowhere else.
    token_hash = models.CharField(
        _("sidik kunci sinkron"),
        max_length=64,
        unique=True,
        null=True,
        blank=True,
        editable=False,
    )
    token_issued_at = models.DateTimeField(
        _("kunci sinkron dibuat"), null=True, blank=True
    )
    token_used_at = models.DateTimeField(
        _("kunci sinkron terakhir dipakai"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("perangkat")
        verbose_name_plural = _("perangkat")
        ordering = ["-last_seen_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "uuid"], name="learning_device_once_per_person"
            )
        ]

    def __str__(self) -> str:
        return self.label or str(self.uuid)

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def holds_token(self) -> bool:
        return self.token_hash is not None and self.revoked_at is None
