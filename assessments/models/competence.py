from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel

from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import ClusterableModel

from ..choices import CompetenceLevel


class Competency(ClusterableModel):
    """Something a companion must be able to do, and how to tell that they can."""

    name = models.CharField(_("nama"), max_length=200, unique=True)
    description = models.TextField(_("uraian"))
    criteria = models.TextField(
        _("kriteria yang teramati"),
        help_text=_("Satu kriteria per baris: apa yang terlihat bila ia mampu."),
    )
    not_yet = models.TextField(_("belum kompeten bila"), blank=True)
    developing = models.TextField(_("berkembang bila"), blank=True)
    competent = models.TextField(_("kompeten bila"), blank=True)
    legal_basis = models.TextField(
        _("dasar hukum"),
        blank=True,
        help_text=_("Misalnya UU 12/2022 (TPKS) pasal 26; Permenkumham 3/2021."),
    )
    modules = ParentalManyToManyField(
        "modules.ModulePage",
        verbose_name=_("modul yang mengajarkannya"),
        blank=True,
        related_name="competencies",
    )
    sort_order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    panels = [
        FieldPanel("name"),
        FieldPanel("description"),
        FieldPanel("criteria"),
        MultiFieldPanel(
            [FieldPanel("not_yet"), FieldPanel("developing"), FieldPanel("competent")],
            heading=_("Tingkat"),
        ),
        FieldPanel("legal_basis"),
        FieldPanel("modules"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        verbose_name = _("kompetensi")
        verbose_name_plural = _("kompetensi")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def criteria_list(self) -> list[str]:
        return [line.strip() for line in self.criteria.splitlines() if line.strip()]

    def descriptor(self, level: str) -> str:
        return {
            CompetenceLevel.NOT_YET: self.not_yet,
            CompetenceLevel.DEVELOPING: self.developing,
            CompetenceLevel.COMPETENT: self.competent,
        }.get(level, "")


class CompetenceAssessment(models.Model):
    """A facilitator's judgement of one trainee on one competency, on one day.

    Never edited: a new judgement is a new row, so the history stays.
    """

    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("peserta"),
        on_delete=models.CASCADE,
        related_name="competence_assessments",
    )
    competency = models.ForeignKey(
        Competency,
        verbose_name=_("kompetensi"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    level = models.CharField(
        _("tingkat"), max_length=20, choices=CompetenceLevel.choices
    )
    assessed_on = models.DateField(_("tanggal penilaian"), default=timezone.localdate)
    comment = models.TextField(_("catatan"), blank=True)
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("penilai"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("dicatat"), default=timezone.now)

    class Meta:
        verbose_name = _("penilaian kompetensi")
        verbose_name_plural = _("penilaian kompetensi")
        ordering = ["-assessed_on", "-recorded_at"]
        indexes = [models.Index(fields=["trainee", "competency", "-assessed_on"])]

    def __str__(self) -> str:
        return f"{self.trainee} · {self.competency} · {self.get_level_display()}"


class Evidence(models.Model):
    """What an assessment rests on: a link to any record of a registered kind
    (a quiz sitting, attendance at a workshop; magang hours and practice cases
    later), with an optional note of what was observed."""

    assessment = models.ForeignKey(
        CompetenceAssessment, on_delete=models.CASCADE, related_name="evidence"
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    note = models.TextField(_("pengamatan"), blank=True)

    class Meta:
        verbose_name = _("bukti")
        verbose_name_plural = _("bukti")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "content_type", "object_id"],
                name="evidence_once_per_assessment",
            )
        ]

    def __str__(self) -> str:
        return f"{self.content_type.model} {self.object_id}"
