import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.formats import date_format
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
        # Two sessions of one programme in one year are told apart by when
        # and where ("I-WILL · 2026 · 12–13 Mar · Soe").
        return (
            f"{self.programme} · {self.year} · {self.dates_label} · {self.place.name}"
        )

    @property
    def dates_label(self) -> str:
        """The days, short and in the reader's language: "12–13 Mar",
        "30 Mar – 2 Apr", "30 Des 2026 – 2 Jan 2027"."""
        start, end = self.start_date, self.end_date
        if start == end:
            return date_format(start, "j M")
        if start.year != end.year:
            return f"{date_format(start, 'j M Y')} – {date_format(end, 'j M Y')}"
        if start.month != end.month:
            return f"{date_format(start, 'j M')} – {date_format(end, 'j M')}"
        return f"{start.day}–{date_format(end, 'j M')}"


class SessionAttendanceMark(models.Model):
    """The last time someone's presence at a session was set, and to what.

    `attendees` holds who is present; this row says when that was last
    decided for the person, so an older action arriving later (a phone's
    outbox sent days after a facilitator unticked someone) changes nothing.
    """

    session = models.ForeignKey(
        ReflectionSession, on_delete=models.CASCADE, related_name="attendance_marks"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("peserta"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    present = models.BooleanField(_("hadir"))
    marked_at = models.DateTimeField(_("waktu dicatat"))
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dicatat oleh"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("catatan kehadiran refleksi")
        verbose_name_plural = _("catatan kehadiran refleksi")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person"], name="one_attendance_mark_each"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.session}"


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
