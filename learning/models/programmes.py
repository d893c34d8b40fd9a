from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel

from ..admin_forms import CohortForm
from ..choices import OrganisationKind, RegionLevel


class Organisation(models.Model):
    """A lembaga that trains companions or hosts their magang (e.g. SSP SoE)."""

    name = models.CharField(_("nama lembaga"), max_length=200, unique=True)
    short_name = models.CharField(_("nama singkat"), max_length=40, unique=True)
    kind = models.CharField(_("jenis"), max_length=20, choices=OrganisationKind.choices)
    kabupaten = models.ForeignKey(
        "learning.Region",
        verbose_name=_("kabupaten/kota"),
        on_delete=models.PROTECT,
        limit_choices_to={"level": RegionLevel.KABUPATEN},
        related_name="+",
    )

    class Meta:
        verbose_name = _("lembaga")
        verbose_name_plural = _("lembaga")
        ordering = ["short_name"]

    def __str__(self) -> str:
        return self.short_name


class Programme(ClusterableModel):
    """A training programme, run by one organisation or by a consortium of several."""

    name = models.CharField(_("nama program"), max_length=200, unique=True)
    short_name = models.CharField(_("nama singkat"), max_length=40, unique=True)
    description = models.TextField(_("keterangan"), blank=True)
    organisations = ParentalManyToManyField(
        Organisation,
        verbose_name=_("lembaga pelaksana"),
        related_name="programmes",
        help_text=_("Satu lembaga, atau semua anggota konsorsium."),
    )
    coordinators = ParentalManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("koordinator"),
        related_name="coordinated_programmes",
        blank=True,
    )
    kabupaten = ParentalManyToManyField(
        "learning.Region",
        verbose_name=_("kabupaten wilayah kerja"),
        limit_choices_to={"level": RegionLevel.KABUPATEN},
        related_name="+",
        blank=True,
    )
    start_date = models.DateField(_("mulai"), null=True, blank=True)
    end_date = models.DateField(_("selesai"), null=True, blank=True)

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("program")
        ordering = ["short_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="programme_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return self.short_name


class Cohort(ClusterableModel):
    """An angkatan: trainees of one programme who learn together."""

    programme = models.ForeignKey(
        Programme,
        verbose_name=_("program"),
        on_delete=models.PROTECT,
        related_name="cohorts",
    )
    name = models.CharField(_("nama angkatan"), max_length=120)
    facilitators = ParentalManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("fasilitator"),
        related_name="facilitated_cohorts",
        blank=True,
    )
    villages = ParentalManyToManyField(
        "learning.Region",
        verbose_name=_("desa/kelurahan"),
        limit_choices_to={"level": RegionLevel.DESA},
        related_name="+",
        blank=True,
    )
    start_date = models.DateField(_("mulai"))
    end_date = models.DateField(_("selesai"), null=True, blank=True)

    base_form_class = CohortForm

    class Meta:
        verbose_name = _("angkatan")
        verbose_name_plural = _("angkatan")
        ordering = ["-start_date", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "name"], name="cohort_name_unique_in_programme"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="cohort_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.programme.short_name})"


class Enrolment(models.Model):
    """A trainee's place in a cohort."""

    cohort = ParentalKey(
        Cohort,
        verbose_name=_("angkatan"),
        on_delete=models.CASCADE,
        related_name="enrolments",
    )
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("peserta"),
        on_delete=models.CASCADE,
        related_name="enrolments",
    )
    enrolled_on = models.DateField(_("tanggal terdaftar"), default=timezone.localdate)

    class Meta:
        verbose_name = _("pendaftaran angkatan")
        verbose_name_plural = _("pendaftaran angkatan")
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "trainee"], name="one_enrolment_per_cohort"
            )
        ]

    def __str__(self) -> str:
        return f"{self.trainee} → {self.cohort}"
