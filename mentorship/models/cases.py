import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..choices import (
    AgeGroup,
    CaseAction,
    CasePath,
    CaseStatus,
    IncidentPlace,
    PerpetratorAge,
    Relation,
    VictimSex,
)
from .workflow import FlowEvent, FlowRecord


class PracticeCase(FlowRecord):
    """What a trainee learned from one real case handled under supervision.

    It records the case in SIMFONI-PPA's categories and never who the victim
    is: no field for a name, an address or an identity number, the month and
    year but never the day, the kecamatan but never the desa. A test holds the
    fields to an allow-list, so a new one that could identify someone cannot
    slip in unnoticed. Free text passes `mentorship.narrative` first.
    """

    uuid = models.UUIDField(_("kode catatan"), unique=True, default=uuid.uuid4)
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("peserta"),
        on_delete=models.PROTECT,
        related_name="practice_cases",
    )
    placement = models.ForeignKey(
        "mentorship.Placement",
        verbose_name=_("penempatan magang"),
        on_delete=models.PROTECT,
        related_name="practice_cases",
        help_text=_("Pembimbing penempatan ini meninjau catatan kasus."),
    )
    # In SIMFONI-PPA's words. Lists of ViolenceType / CaseService codes.
    violence_types = models.JSONField(_("jenis kekerasan"), default=list)
    victim_sex = models.CharField(
        _("jenis kelamin korban"), max_length=1, choices=VictimSex.choices
    )
    victim_age_group = models.CharField(
        _("kelompok umur korban"), max_length=5, choices=AgeGroup.choices
    )
    victim_disability = models.BooleanField(
        _("korban penyandang disabilitas"), null=True, blank=True
    )
    perpetrator_relation = models.CharField(
        _("hubungan pelaku dengan korban"), max_length=20, choices=Relation.choices
    )
    perpetrator_age = models.CharField(
        _("umur pelaku"), max_length=20, choices=PerpetratorAge.choices
    )
    incident_place = models.CharField(
        _("tempat kejadian"), max_length=30, choices=IncidentPlace.choices
    )
    month = models.PositiveSmallIntegerField(
        _("bulan"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    year = models.PositiveSmallIntegerField(
        _("tahun"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    kecamatan = models.ForeignKey(
        "learning.Region",
        verbose_name=_("kecamatan"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Tidak lebih rinci dari kecamatan."),
    )
    services = models.JSONField(_("layanan yang dirujuk"), default=list)
    path = models.CharField(
        _("jalur penyelesaian"), max_length=20, choices=CasePath.choices
    )
    trainee_role = models.TextField(_("peranmu dalam kasus ini"))
    actions = models.TextField(_("langkah yang kamu ambil"))
    went_well = models.TextField(_("yang berjalan baik"), blank=True)
    was_hard = models.TextField(_("yang sulit"), blank=True)
    learned = models.TextField(_("yang kamu pelajari"))
    status = models.CharField(
        _("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.DRAFT
    )
    supervisor_feedback = models.TextField(_("umpan balik pembimbing"), blank=True)
    competencies_shown = models.ManyToManyField(
        "assessments.Competency",
        verbose_name=_("kompetensi yang ditunjukkan"),
        blank=True,
        related_name="+",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ditinjau oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("waktu tinjauan"), null=True, blank=True)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        verbose_name = _("catatan kasus praktik")
        verbose_name_plural = _("catatan kasus praktik")
        ordering = ["-year", "-month", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12), name="practice_case_month"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:02d}/{self.year} · {self.get_path_display()}"


class PracticeCaseEvent(FlowEvent):
    """One step in a practice case's history: who did what, when, with what comment."""

    case = models.ForeignKey(
        PracticeCase, on_delete=models.CASCADE, related_name="history"
    )
    action = models.CharField(_("tindakan"), max_length=20, choices=CaseAction.choices)

    class Meta(FlowEvent.Meta):
        verbose_name = _("riwayat catatan kasus")
        verbose_name_plural = _("riwayat catatan kasus")
