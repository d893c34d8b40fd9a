from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..choices import AuditAction


class AuditEventQuerySet(models.QuerySet):
    """Lines of the trail are never changed; only `learning.audit.purge`
    removes those older than the retention period."""

    def update(self, **kwargs):
        raise PermissionDenied("The audit trail is append-only.")

    def delete(self):
        raise PermissionDenied("The audit trail is append-only.")


class AuditEvent(models.Model):
    """One sensitive act: who, when, what, to which record.

    Written by `learning.audit.record` only. The record is named by its kind,
    id and a short label that never holds a victim's details (a practice case
    is "Kasus praktik Agustus 2025", not its story). `subject` is the person
    whose data it is, `programme` what a coordinator's view is scoped by.
    """

    at = models.DateTimeField(_("waktu"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pelaku"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept as written at the time: the account may be renamed or anonymised.
    actor_label = models.CharField(_("pelaku (saat itu)"), max_length=200, blank=True)
    action = models.CharField(
        _("tindakan"), max_length=64, choices=AuditAction.choices, db_index=True
    )
    target_type = models.CharField(_("jenis catatan"), max_length=100, blank=True)
    target_id = models.CharField(_("id catatan"), max_length=64, blank=True)
    target_label = models.CharField(_("catatan"), max_length=200, blank=True)
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("orang yang datanya"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    programme = models.ForeignKey(
        "learning.Programme",
        verbose_name=_("program"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Small facts (a count, a file format, a reason code); never free text a
    # person typed.
    detail = models.JSONField(_("rincian"), default=dict, blank=True)
    address = models.GenericIPAddressField(_("alamat IP"), null=True, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("jejak audit")
        verbose_name_plural = _("jejak audit")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["programme", "-at"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionDenied("The audit trail is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("The audit trail is append-only.")
