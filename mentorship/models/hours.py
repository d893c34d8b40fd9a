import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..choices import ActivityCategory, EntryAction, EntryStatus
from .workflow import FlowEvent, FlowRecord


class HourEntry(FlowRecord):
    """A stretch of magang work one trainee logged, and where its verification is.

    `uuid` is made by the client (the page's form or the offline app), so
    sending the same entry twice creates it once.
    """

    uuid = models.UUIDField(_("kode entri"), unique=True, default=uuid.uuid4)
    placement = models.ForeignKey(
        "mentorship.Placement",
        verbose_name=_("penempatan"),
        on_delete=models.PROTECT,
        related_name="entries",
    )
    # The placement's trainee, kept on the row: overlap and the daily cap are
    # checked across all of a trainee's placements.
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("peserta"),
        on_delete=models.PROTECT,
        related_name="hour_entries",
    )
    date = models.DateField(_("tanggal"))
    start_time = models.TimeField(_("jam mulai"), null=True, blank=True)
    end_time = models.TimeField(_("jam selesai"), null=True, blank=True)
    minutes = models.PositiveIntegerField(_("lama (menit)"))
    category = models.CharField(
        _("kegiatan"), max_length=30, choices=ActivityCategory.choices
    )
    activity = models.TextField(
        _("apa yang kamu lakukan dan pelajari"),
        help_text=_("Jangan menulis nama, alamat atau ciri korban."),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=EntryStatus.choices,
        default=EntryStatus.DRAFT,
    )
    supervisor_comment = models.TextField(_("komentar pembimbing"), blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diverifikasi oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # An outside supervisor has no account: their name and position as given.
    verified_by_name = models.CharField(
        _("nama pemverifikasi"), max_length=200, blank=True
    )
    verified_at = models.DateTimeField(_("waktu verifikasi"), null=True, blank=True)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        # A row is one entry, not one hour: "3 catatan jam magang".
        verbose_name = _("catatan jam magang")
        verbose_name_plural = _("catatan jam magang")
        ordering = ["-date", "-start_time", "-pk"]
        indexes = [
            models.Index(fields=["trainee", "date"]),
            models.Index(fields=["placement", "status"]),
            # The admin list of entries, newest first a page at a time: read in
            # this order (backwards), a page stops after its rows instead of
            # sorting every entry in the person's scope. The programme view's
            # hours of a year read their date range through it too.
            models.Index(
                fields=["date", "start_time", "id"], name="hour_entry_date_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gt=0), name="hour_entry_has_a_duration"
            ),
            models.CheckConstraint(
                condition=(
                    Q(start_time__isnull=True, end_time__isnull=True)
                    | Q(start_time__isnull=False, end_time__isnull=False)
                ),
                name="hour_entry_has_both_times_or_none",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d-%m-%Y} · {self.get_category_display()}"

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 2)

    @property
    def past_midnight(self) -> bool:
        """The work went past midnight: the end time is on the next day.

        Not stored: the rules accept an end at or before the start only when
        the person chose "lewat tengah malam", so the times say it.
        """
        return (
            self.start_time is not None
            and self.end_time is not None
            and self.end_time <= self.start_time
        )

    @property
    def time_label(self) -> str:
        """ "08:00–10:30", or "22:00–02:00 (lewat tengah malam)"; "" without times."""
        if self.start_time is None or self.end_time is None:
            return ""
        times = f"{self.start_time:%H:%M}–{self.end_time:%H:%M}"
        if self.past_midnight:
            return _("%(times)s (lewat tengah malam)") % {"times": times}
        return times

    @property
    def verifier_label(self) -> str:
        if self.verified_by_id:
            return self.verified_by.display_name
        return self.verified_by_name


class HourEntryEvent(FlowEvent):
    """One step in an hour entry's history: who did what, when, with what comment."""

    entry = models.ForeignKey(
        HourEntry, on_delete=models.CASCADE, related_name="history"
    )
    action = models.CharField(_("tindakan"), max_length=20, choices=EntryAction.choices)
    # A countersigning outside supervisor: name and position as they typed them.
    actor_name = models.CharField(_("nama"), max_length=200, blank=True)
    # Verified from a paper log: the day the supervisor signed it on paper (the
    # facilitator who saw it is `actor`, their attestation the `comment`).
    signed_on = models.DateField(
        _("tanggal tanda tangan di kertas"), null=True, blank=True
    )

    class Meta(FlowEvent.Meta):
        verbose_name = _("riwayat jam magang")
        verbose_name_plural = _("riwayat jam magang")

    @property
    def actor_label(self) -> str:
        return super().actor_label or self.actor_name
