import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..choices import Feeling


class WellbeingCheckIn(models.Model):
    """A companion's private word on how they are: health data under UU PDP.

    Nobody but the companion reads it; their facilitator is told only when it
    signals risk. It never appears in an export, and its author may delete it.
    """

    uuid = models.UUIDField(unique=True, default=uuid.uuid4)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pendamping"),
        on_delete=models.CASCADE,
        related_name="wellbeing_checkins",
    )
    feeling = models.CharField(_("perasaan"), max_length=10, choices=Feeling.choices)
    threatened = models.BooleanField(_("mendapat ancaman atau tekanan"), default=False)
    wants_contact = models.BooleanField(
        _("ingin bicara dengan seseorang"), default=False
    )
    note = models.TextField(_("catatan"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # The follow-up (mentorship.wellbeing): who was told of a risk, and the
    # facilitator who then made contact. Never the answers themselves.
    alerted = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("fasilitator yang diberi tahu"),
        related_name="wellbeing_alerts",
        blank=True,
    )
    contacted_at = models.DateTimeField(
        _("sudah dihubungi pada"), null=True, blank=True
    )
    contacted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dihubungi oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("cek kesejahteraan")
        verbose_name_plural = _("cek kesejahteraan")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.created_at:%d-%m-%Y}"

    @property
    def signals_risk(self) -> bool:
        return self.threatened or self.wants_contact or self.feeling == Feeling.HEAVY
