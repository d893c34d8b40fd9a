"""Hour entries: the one place their rules live.

The trainee's form, the admin, the paper-log import and the API all write
entries through `record_entry`, `update_entry` and `submit_entries`, so they
refuse the same things with the same words:

- no day in the future (nor a time later today that has not come yet);
- inside the placement's period;
- a positive duration: start and end times, or minutes;
- an end after the start on the same day, unless the person says the work
  went past midnight (`past_midnight`, "lewat tengah malam"): then the end
  is on the next day and must be at or before the start. An end before the
  start without that choice is refused, never read as overnight work; the
  choice is not stored but follows from the times (`HourEntry.past_midnight`);
- times are local (WITA) clock times: a time with a zone offset is refused;
- no overlap with any of the trainee's other timed entries, in any placement;
- at most `MAGANG_MAX_HOURS_PER_DAY` on one calendar day, all entries
  together (work past midnight counts on each day for its part).

The overlap and the daily cap look at the trainee's other entries, so they
are checked and the entry written in one transaction that serialises the
trainee's writers (`idempotent.writes_of`): twenty entries sent at once are
judged one after another. The flow (draft, submitted, verified or returned,
resubmitted; created once by the client's UUID; every step in the history)
is `workflow.py`'s, shared with practice cases.
"""

import datetime
import uuid as uuid_module
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from learning.models import User

from . import workflow
from .choices import ActivityCategory, EntryAction, EntryStatus
from .models import CountersignLink, HourEntry, HourEntryEvent, Placement
from .narrative import narrative_problems

MAX_ACTIVITY_LENGTH = 2000


def minutes_between(start: datetime.time, end: datetime.time) -> int:
    """Minutes from start to end; an end at or before the start is the next day
    (which `check_entry` allows only when the person chose `past_midnight`)."""
    begin = start.hour * 60 + start.minute
    finish = end.hour * 60 + end.minute
    return finish - begin if finish > begin else finish + 24 * 60 - begin


def _interval(
    date: datetime.date, start: datetime.time, minutes: int
) -> tuple[datetime.datetime, datetime.datetime]:
    begin = datetime.datetime.combine(date, start)
    return begin, begin + datetime.timedelta(minutes=minutes)


def _minutes_by_day(
    date: datetime.date, start: datetime.time | None, minutes: int
) -> dict[datetime.date, int]:
    """How an entry's minutes fall on calendar days (past midnight: two days)."""
    if start is None:
        return {date: minutes}
    begin, end = _interval(date, start, minutes)
    midnight = datetime.datetime.combine(
        date + datetime.timedelta(days=1), datetime.time()
    )
    if end <= midnight:
        return {date: minutes}
    first = int((midnight - begin).total_seconds() // 60)
    return {date: first, date + datetime.timedelta(days=1): minutes - first}


def format_minutes(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if rest:
        return _("%(hours)s jam %(minutes)s menit") % {"hours": hours, "minutes": rest}
    return _("%(hours)s jam") % {"hours": hours}


@dataclass
class EntryInput:
    """What a person gives for an entry, before it is checked."""

    placement: Placement
    date: datetime.date
    category: str
    activity: str
    start_time: datetime.time | None = None
    end_time: datetime.time | None = None
    minutes: int | None = None
    # "Lewat tengah malam": the end time is on the next day. Only an explicit
    # choice makes an end at or before the start mean that.
    past_midnight: bool = False


def _time_errors(data: EntryInput, errors) -> int:
    """The minutes the times (or the minutes given) make; problems into `errors`."""
    start, end = data.start_time, data.end_time
    zoned = False
    for name, value in (("start_time", start), ("end_time", end)):
        if value is not None and value.tzinfo is not None:
            zoned = True
            errors[name].append(
                _(
                    "Tulis jam tanpa zona waktu (%(time)s): jam setempat (WITA), "
                    "misalnya 08:00."
                )
                % {"time": value.isoformat()}
            )
    if zoned:
        return 0
    if (start is None) != (end is None):
        errors["end_time" if start else "start_time"].append(
            _("Isi jam mulai dan jam selesai, atau kosongkan keduanya dan isi lamanya.")
        )
        return 0
    if start is None:
        if data.past_midnight:
            errors["past_midnight"].append(
                _(
                    "“Lewat tengah malam” hanya untuk catatan dengan jam mulai dan "
                    "jam selesai."
                )
            )
        if data.minutes is None or data.minutes <= 0:
            errors["minutes"].append(
                _("Isi jam mulai dan selesai, atau lamanya dalam menit (lebih dari 0).")
            )
            return 0
        return data.minutes
    times = {"start": start.strftime("%H:%M"), "end": end.strftime("%H:%M")}
    next_day = end <= start
    if end == start and not data.past_midnight:
        errors["end_time"].append(_("Jam selesai sama dengan jam mulai: lamanya nol."))
        return 0
    if next_day and not data.past_midnight:
        errors["end_time"].append(
            _(
                "Jam selesai (%(end)s) harus sesudah jam mulai (%(start)s). Bila "
                "kegiatannya berlanjut lewat tengah malam, centang “lewat tengah "
                "malam”."
            )
            % times
        )
        return 0
    if data.past_midnight and not next_day:
        errors["past_midnight"].append(
            _(
                "Jam selesai (%(end)s) sesudah jam mulai (%(start)s) pada hari yang "
                "sama, jadi tidak lewat tengah malam: hapus centangnya, atau "
                "perbaiki jamnya."
            )
            % times
        )
        return 0
    minutes = minutes_between(start, end)
    if data.minutes and data.minutes != minutes:
        errors["minutes"].append(
            _(
                "Lama %(given)s tidak cocok dengan jam mulai dan selesai "
                "(%(counted)s). Isi salah satu saja."
            )
            % {
                "given": format_minutes(data.minutes),
                "counted": format_minutes(minutes),
            }
        )
    return minutes


def check_entry(
    *, trainee: User, data: EntryInput, exclude: HourEntry | None = None
) -> int:
    """The entry's minutes if every rule holds; otherwise a ValidationError
    whose messages are keyed by field (`date`, `start_time`, `minutes`, …)."""
    errors: dict[str, list[str | ValidationError]] = defaultdict(list)
    placement = data.placement
    if placement.trainee_id != trainee.pk:
        errors["placement"].append(_("Penempatan ini bukan milikmu."))
    if data.category not in ActivityCategory.values:
        errors["category"].append(_("Pilih jenis kegiatan dari daftar."))
    activity = (data.activity or "").strip()
    if not activity:
        errors["activity"].append(
            ValidationError(
                _("Tulis singkat apa yang kamu lakukan dan pelajari."),
                code="activity_required",
            )
        )
    elif len(activity) > MAX_ACTIVITY_LENGTH:
        errors["activity"].append(
            _("Tulisan ini terlalu panjang: paling banyak %(max)s huruf.")
            % {"max": MAX_ACTIVITY_LENGTH}
        )
    else:
        for problem in narrative_problems(activity):
            errors["activity"].append(problem)

    minutes = _time_errors(data, errors)

    today = timezone.localdate()
    if data.date > today:
        errors["date"].append(
            _("Tanggal ini belum terjadi. Catat jam yang sudah lewat.")
        )
    elif minutes and data.start_time is not None:
        _begin, end = _interval(data.date, data.start_time, minutes)
        now = timezone.localtime().replace(tzinfo=None)
        if end > now + datetime.timedelta(minutes=5):
            errors["end_time"].append(
                _("Jam selesai belum lewat. Catat setelah kegiatan selesai.")
            )
    last_day = data.date
    # Only a day already past: the day after 9999-12-31 does not exist
    # (an OverflowError, a 500, before this was bounded).
    if minutes and data.start_time is not None and data.date <= today:
        last_day = max(_minutes_by_day(data.date, data.start_time, minutes))
    if data.date < placement.start_date or last_day > placement.end_date:
        errors["date"].append(
            _("Di luar masa magang (%(start)s sampai %(end)s).")
            % {
                "start": placement.start_date.strftime("%d-%m-%Y"),
                "end": placement.end_date.strftime("%d-%m-%Y"),
            }
        )
    if minutes > 24 * 60:
        errors["minutes"].append(_("Satu entri paling lama 24 jam."))

    if minutes and not errors:
        _check_against_other_entries(trainee, data, minutes, exclude, errors)
    if errors:
        raise ValidationError(dict(errors))
    return minutes


def _check_against_other_entries(trainee, data, minutes, exclude, errors) -> None:
    days = _minutes_by_day(data.date, data.start_time, minutes)
    window = [min(days) - datetime.timedelta(days=1), max(days)]
    others = HourEntry.objects.filter(trainee=trainee, date__range=window)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    others = list(others.only("pk", "date", "start_time", "minutes"))

    if data.start_time is not None:
        begin, end = _interval(data.date, data.start_time, minutes)
        for other in others:
            if other.start_time is None:
                continue
            other_begin, other_end = _interval(
                other.date, other.start_time, other.minutes
            )
            if begin < other_end and other_begin < end:
                errors["start_time"].append(
                    ValidationError(
                        _(
                            "Bertumpang tindih dengan catatanmu tanggal %(date)s "
                            "jam %(start)s–%(end)s."
                        ),
                        code="overlap",
                        params={
                            "date": other.date.strftime("%d-%m-%Y"),
                            "start": other_begin.strftime("%H:%M"),
                            "end": other_end.strftime("%H:%M"),
                        },
                    )
                )
                return

    limit = settings.MAGANG_MAX_HOURS_PER_DAY * 60
    logged: dict[datetime.date, int] = defaultdict(int)
    for other in others:
        for day, part in _minutes_by_day(
            other.date, other.start_time, other.minutes
        ).items():
            logged[day] += part
    for day, part in sorted(days.items()):
        if logged[day] + part > limit:
            errors["minutes"].append(
                ValidationError(
                    _(
                        "Pada %(date)s kamu sudah mencatat %(logged)s. Dengan entri "
                        "ini jumlahnya lebih dari %(limit)s jam sehari."
                    ),
                    code="daily_cap",
                    params={
                        "date": day.strftime("%d-%m-%Y"),
                        "logged": format_minutes(logged[day]),
                        "limit": settings.MAGANG_MAX_HOURS_PER_DAY,
                    },
                )
            )
            return


def _out_of_countersign_links(entry: HourEntry) -> None:
    """A withdrawn entry may change before it is sent again: no link made for
    it earlier may sign it (a new link is made for what is sent again)."""
    for link in CountersignLink.objects.filter(entries=entry, revoked_at__isnull=True):
        link.entries.remove(entry)


def _version(entry: HourEntry) -> dict[str, tuple[str, str, str]]:
    """What the trainee wrote, for `workflow.Flow.version` (needs
    `placement__host` loaded)."""
    times = (
        f"{entry.start_time:%H:%M}-{entry.end_time:%H:%M}" if entry.start_time else ""
    )
    return {
        "placement": (
            _("Tempat magang"),
            str(entry.placement_id),
            entry.placement.host.short_name,
        ),
        "date": (_("Tanggal"), entry.date.isoformat(), f"{entry.date:%d-%m-%Y}"),
        "time": (_("Jam"), times, str(entry.time_label) or "–"),
        "minutes": (_("Lama"), str(entry.minutes), format_minutes(entry.minutes)),
        "category": (_("Kegiatan"), entry.category, entry.get_category_display()),
        "activity": (_("Uraian"), entry.activity, entry.activity),
    }


ENTRIES = workflow.Flow(
    model=HourEntry,
    event_model=HourEntryEvent,
    event_field="entry",
    done=EntryStatus.VERIFIED,
    done_action=EntryAction.VERIFIED,
    words=workflow.Words(
        locked=lambda: _(
            "Catatan yang sudah diajukan atau diverifikasi tidak dapat diubah."
        ),
        changed_meanwhile=lambda: _(
            "Catatan ini baru saja diajukan atau diverifikasi; muat ulang."
        ),
        uuid_taken=lambda: _("Kode entri ini sudah dipakai."),
    ),
    withdrawn=_out_of_countersign_links,
    version=_version,
)


def _fields(data: EntryInput, minutes: int) -> dict:
    return {
        "placement": data.placement,
        "date": data.date,
        "start_time": data.start_time,
        "end_time": data.end_time,
        "minutes": minutes,
        "category": data.category,
        "activity": data.activity.strip(),
    }


def record_entry(
    *,
    trainee: User,
    uuid: uuid_module.UUID | str,
    data: EntryInput,
    submit: bool = False,
    actor: User | None = None,
    imported: bool = False,
) -> tuple[HourEntry, bool]:
    """Create the entry with this client-made UUID, once: (entry, created).

    The rules are checked and the entry written in one transaction that
    serialises the trainee's writes. Sending the same UUID again, even twenty
    times at once, returns the entry made the first time, as it is now, and
    changes nothing. A UUID already used by someone else's entry is refused.
    """
    return workflow.create(
        ENTRIES,
        trainee=trainee,
        uuid=uuid,
        values=lambda: _fields(data, check_entry(trainee=trainee, data=data)),
        submit=submit,
        actor=actor,
        created_action=EntryAction.IMPORTED if imported else EntryAction.CREATED,
    )


def update_entry(*, entry: HourEntry, trainee: User, data: EntryInput) -> HourEntry:
    """Change a draft or returned entry; verified and waiting ones are locked.

    Checked and written in one transaction that serialises the trainee's
    writes, like `record_entry`.
    """
    return workflow.change(
        ENTRIES,
        record=entry,
        trainee=trainee,
        values=lambda: _fields(
            data, check_entry(trainee=trainee, data=data, exclude=entry)
        ),
    )


def submit_entries(*, trainee: User, entries) -> list[HourEntry]:
    """Send drafts and corrected returned entries to the supervisor.

    Entries already waiting or verified are left as they are (submitting twice
    is once); another person's entries are refused.
    """
    return workflow.submit(ENTRIES, trainee=trainee, records=entries)


def withdraw_entry(*, entry: HourEntry, trainee: User) -> HourEntry:
    """Take a waiting entry back to a draft, until the supervisor has acted."""
    return workflow.withdraw(ENTRIES, record=entry, trainee=trainee)


def can_withdraw(user: User, entry: HourEntry) -> bool:
    """Only the entry's own trainee, while it waits for the supervisor (the
    reading rule is `selectors.entries_visible_to`)."""
    return workflow.can_withdraw(user, entry)


def delete_draft(*, entry: HourEntry, trainee: User) -> None:
    if entry.trainee_id != trainee.pk or entry.status != EntryStatus.DRAFT:
        raise ValidationError(_("Hanya draf milikmu sendiri yang dapat dihapus."))
    entry.delete()


@dataclass
class Totals:
    """A trainee's magang minutes by status and by category, against the target."""

    target_minutes: int = 0
    verified: int = 0
    waiting: int = 0
    returned: int = 0
    draft: int = 0
    by_category: list[tuple[str, int]] = field(default_factory=list)

    @property
    def percent_verified(self) -> int:
        if not self.target_minutes:
            return 0
        return min(100, round(100 * self.verified / self.target_minutes))

    @property
    def percent_waiting(self) -> int:
        if not self.target_minutes:
            return 0
        return min(
            100 - self.percent_verified,
            round(100 * self.waiting / self.target_minutes),
        )

    def hours(self, minutes: int) -> float:
        return round(minutes / 60, 1)


def totals_for(*, trainee: User, placement: Placement | None = None) -> Totals:
    """Two queries, however many entries the trainee has."""
    entries = HourEntry.objects.filter(trainee=trainee)
    placements = Placement.objects.filter(trainee=trainee)
    if placement is not None:
        entries = entries.filter(placement=placement)
        placements = placements.filter(pk=placement.pk)
    totals = Totals(
        target_minutes=60
        * (placements.aggregate(total=Sum("target_hours"))["total"] or 0)
    )
    labels = dict(ActivityCategory.choices)
    by_category: dict[str, int] = defaultdict(int)
    for row in entries.values("status", "category").annotate(total=Sum("minutes")):
        status, minutes = row["status"], row["total"]
        if status == EntryStatus.VERIFIED:
            totals.verified += minutes
            by_category[row["category"]] += minutes
        elif status == EntryStatus.SUBMITTED:
            totals.waiting += minutes
        elif status == EntryStatus.RETURNED:
            totals.returned += minutes
        else:
            totals.draft += minutes
    totals.by_category = [
        (str(labels.get(category, category)), minutes)
        for category, minutes in sorted(by_category.items(), key=lambda i: -i[1])
    ]
    return totals


def placements_open_on(*, trainee: User, date: datetime.date | None = None):
    """The trainee's placements that include `date` (today by default)."""
    date = date or timezone.localdate()
    return Placement.objects.filter(
        Q(trainee=trainee), Q(start_date__lte=date), Q(end_date__gte=date)
    )
