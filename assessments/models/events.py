from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel

from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import ClusterableModel

from learning.choices import RegionLevel


class TrainingEvent(ClusterableModel):
    """An in-person workshop, e.g. a two-day training on case documentation."""

    title = models.CharField(_("judul"), max_length=200)
    programme = models.ForeignKey(
        "learning.Programme",
        verbose_name=_("program"),
        on_delete=models.PROTECT,
        related_name="training_events",
    )
    start_date = models.DateField(_("mulai"))
    end_date = models.DateField(_("selesai"))
    place = models.ForeignKey(
        "learning.Region",
        verbose_name=_("tempat"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={
            "level__in": [
                RegionLevel.KABUPATEN,
                RegionLevel.KECAMATAN,
                RegionLevel.DESA,
            ]
        },
    )
    venue = models.CharField(_("gedung"), max_length=200, blank=True)
    organisers = ParentalManyToManyField(
        "learning.Organisation", verbose_name=_("penyelenggara"), related_name="+"
    )
    facilitators = ParentalManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("fasilitator"),
        blank=True,
        related_name="facilitated_events",
    )
    modules = ParentalManyToManyField(
        "modules.ModulePage",
        verbose_name=_("modul yang dibahas"),
        blank=True,
        related_name="+",
    )
    notes = models.TextField(_("catatan"), blank=True)

    panels = [
        FieldPanel("title"),
        FieldPanel("programme"),
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
        FieldPanel("place"),
        FieldPanel("venue"),
        FieldPanel("organisers"),
        FieldPanel("facilitators"),
        FieldPanel("modules"),
        FieldPanel("notes"),
    ]

    class Meta:
        verbose_name = _("pelatihan tatap muka")
        verbose_name_plural = _("pelatihan tatap muka")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="event_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def days(self) -> list:
        from datetime import timedelta

        count = (self.end_date - self.start_date).days + 1
        return [self.start_date + timedelta(days=n) for n in range(count)]


class Attendance(models.Model):
    """A trainee was present on one day of a workshop."""

    event = models.ForeignKey(
        TrainingEvent, on_delete=models.CASCADE, related_name="attendance"
    )
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("peserta"),
        on_delete=models.CASCADE,
        related_name="attendance",
    )
    day = models.DateField(_("hari"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dicatat oleh"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("dicatat"), default=timezone.now)

    class Meta:
        verbose_name = _("kehadiran")
        verbose_name_plural = _("kehadiran")
        ordering = ["event", "day"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "trainee", "day"], name="present_once_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.event} · {self.trainee} · {self.day}"
