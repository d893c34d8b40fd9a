from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Placement(models.Model):
    """A trainee's magang at a host institution, under one supervisor."""

    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("peserta"),
        on_delete=models.PROTECT,
        related_name="placements",
    )
    host = models.ForeignKey(
        "learning.Organisation",
        verbose_name=_("lembaga tempat magang"),
        on_delete=models.PROTECT,
        related_name="hosted_placements",
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pembimbing (punya akun)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervised_placements",
        help_text=_("Fasilitator lembaga tempat magang yang memverifikasi jam."),
    )
    outside_supervisor_name = models.CharField(
        _("nama pembimbing tanpa akun"),
        max_length=120,
        blank=True,
        help_text=_(
            "Isi bila pembimbing tidak punya akun, misalnya bidan puskesmas atau "
            "petugas UPTD PPA. Ia memverifikasi lewat tautan yang dikirim peserta."
        ),
    )
    outside_supervisor_position = models.CharField(
        _("jabatan pembimbing"), max_length=120, blank=True
    )
    outside_supervisor_institution = models.CharField(
        _("instansi pembimbing"), max_length=160, blank=True
    )
    start_date = models.DateField(_("mulai"))
    end_date = models.DateField(_("selesai"))
    target_hours = models.PositiveSmallIntegerField(_("target jam"), default=120)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("penempatan magang")
        verbose_name_plural = _("penempatan magang")
        ordering = ["-start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="placement_ends_after_it_starts",
            ),
            # Exactly one supervisor: an account, or a named person without one.
            models.CheckConstraint(
                condition=(
                    Q(supervisor__isnull=False, outside_supervisor_name="")
                    | (Q(supervisor__isnull=True) & ~Q(outside_supervisor_name=""))
                ),
                name="placement_has_one_supervisor",
            ),
            models.CheckConstraint(
                condition=Q(target_hours__gt=0), name="placement_target_is_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.trainee.display_name} · {self.host.short_name}"

    @property
    def has_outside_supervisor(self) -> bool:
        return self.supervisor_id is None

    @property
    def supervisor_label(self) -> str:
        if self.supervisor_id:
            return self.supervisor.display_name
        parts = [self.outside_supervisor_name, self.outside_supervisor_position]
        return ", ".join(part for part in parts if part)
