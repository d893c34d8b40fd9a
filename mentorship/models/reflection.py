import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReflectionSession(models.Model):
    """A yearly gathering where companions reflect on the service they gave."""

    programme = models.ForeignKey(
        "learning.Programme",
        verbose_name=_("program"),
        on_delete=models.PROTECT,
        related_name="reflection_sessions",
    )
    organisation = models.ForeignKey(
        "learning.Organisation",
        verbose_name=_("lembaga penyelenggara"),
        on_delete=models.PROTECT,
        related_name="reflection_sessions",
    )
    year = models.PositiveSmallIntegerField(_("tahun refleksi"))
    start_date = models.DateField(_("mulai"))
    end_date = models.DateField(_("selesai"))
    place = models.ForeignKey(
        "learning.Region",
        verbose_name=_("tempat (desa atau kecamatan)"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    venue = models.CharField(_("tempat pertemuan"), max_length=160, blank=True)
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("fasilitator"),
        related_name="facilitated_reflections",
        blank=True,
    )
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("peserta yang hadir"),
        related_name="attended_reflections",
        blank=True,
    )
    agenda = models.TextField(_("agenda"), blank=True)
    notes = models.TextField(_("catatan pertemuan"), blank=True)
    findings = models.TextField(_("temuan bersama"), blank=True)
    recommendations = models.TextField(_("rekomendasi"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("sesi refleksi")
        verbose_name_plural = _("sesi refleksi")
        ordering = ["-start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="reflection_session_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return f"{self.programme} · {self.year}"


class Reflection(models.Model):
    """One companion's look back on a year of service: counts and words, no identities.

    `case_counts` is a list of {"type": ViolenceType, "path": CasePath,
    "count": n}; `obstacles` a list of {"category": Obstacle, "text": "…"};
    `partners` a list of ReferralPartner codes.
    """

    uuid = models.UUIDField(_("kode refleksi"), unique=True, default=uuid.uuid4)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pendamping"),
        on_delete=models.CASCADE,
        related_name="reflections",
    )
    session = models.ForeignKey(
        ReflectionSession,
        verbose_name=_("sesi refleksi"),
        on_delete=models.CASCADE,
        related_name="reflections",
    )
    case_counts = models.JSONField(_("kasus yang didampingi"), default=list)
    partners = models.JSONField(_("mitra rujukan"), default=list)
    obstacles = models.JSONField(_("kendala"), default=list)
    support_needed = models.TextField(_("dukungan yang dibutuhkan"), blank=True)
    learning_needs = models.TextField(_("kebutuhan belajar"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diisi oleh"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("refleksi pendamping")
        verbose_name_plural = _("refleksi pendamping")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "session"], name="one_reflection_per_session"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.session}"


class FollowUpAction(models.Model):
    """Something a reflection session decided to do, by whom and by when."""

    session = models.ForeignKey(
        ReflectionSession, on_delete=models.CASCADE, related_name="follow_ups"
    )
    description = models.CharField(_("tindak lanjut"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("penanggung jawab"),
        on_delete=models.PROTECT,
        related_name="follow_up_actions",
    )
    due_date = models.DateField(_("tenggat"))
    done_at = models.DateTimeField(_("selesai"), null=True, blank=True)

    class Meta:
        verbose_name = _("tindak lanjut")
        verbose_name_plural = _("tindak lanjut")
        ordering = ["due_date", "pk"]

    def __str__(self) -> str:
        return self.description


class RefresherAssignment(models.Model):
    """A refresher module a session asked one attendee to study."""

    session = models.ForeignKey(
        ReflectionSession, on_delete=models.CASCADE, related_name="refreshers"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pendamping"),
        on_delete=models.CASCADE,
        related_name="refresher_assignments",
    )
    module = models.ForeignKey(
        "modules.ModulePage",
        verbose_name=_("modul penyegaran"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    assigned_at = models.DateTimeField(default=timezone.now)
    # Set when the person says they studied it again: someone who finished the
    # module years ago has no new completion to show for it.
    studied_at = models.DateTimeField(_("sudah dipelajari"), null=True, blank=True)

    class Meta:
        verbose_name = _("tugas penyegaran")
        verbose_name_plural = _("tugas penyegaran")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person", "module"], name="one_refresher_each"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.module}"
