"""Paper logs: hour entries kept on paper, typed into a sheet and imported.

A facilitator downloads a placement's XLSX template (`mentorship.paper_log`),
fills it from the trainee's paper log and uploads it (`mentorship.admin.paper_import`
holds the screens). Every row goes through `mentorship.hours` (the same rules
as the trainee's form and the API) inside one transaction: one refused row
means nothing is saved, and every problem of every row is listed. A row
already in the log (imported before, or logged by the trainee with the same
date, times and activity) is reported and skipped, so importing the same
sheet twice saves it once. Imported entries wait for the supervisor's
verification like any submitted entry. Without "ya" in `lewat_tengah_malam`,
an end at or before the start is refused.

A supervisor without an account has no queue: the import's screen then
offers a countersign link for the entries it made, or recording that the
supervisor signed the paper log (`verification.record_paper_signature`).
"""

import uuid
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from learning import audit
from learning.choices import AuditAction
from learning.models import User
from learning.scope import is_active_staff
from learning.spreadsheets import ImportReport

from .hours import check_entry, record_entry
from .models import HourEntry, Placement
from .paper_log import STAND_INS, PaperRow, read_paper_log
from .selectors import placements_visible_to


@dataclass
class PaperImportReport(ImportReport):
    """An import's report, with the entries it made (in the sheet's order)."""

    entries: list[HourEntry] = field(default_factory=list)


def _entry_key(date, start, end, minutes, category) -> tuple:
    """What makes two entries the same work: the day, times (or length), kind."""
    return (date, start, end, None if start else minutes, category)


def import_paper_log(
    *, placement: Placement, actor: User, content: bytes
) -> PaperImportReport:
    """Record a filled template's rows as submitted entries; all or none.

    Rows already in the log are in the report's `skipped`, not saved again.
    """
    report = PaperImportReport()
    if not (
        is_active_staff(actor)
        and placements_visible_to(actor).filter(pk=placement.pk).exists()
    ):
        report.errors.add(
            0, _("Kamu tidak dapat mengimpor catatan untuk penempatan ini.")
        )
        return report
    rows = read_paper_log(placement=placement, content=content, problems=report.errors)
    if not rows:
        return report

    trainee = placement.trainee
    readable = [row for row in rows if row.entry_uuid is not None]
    already_imported = set(
        HourEntry.objects.filter(
            uuid__in=[row.entry_uuid for row in readable]
        ).values_list("uuid", flat=True)
    )
    logged = {
        _entry_key(*values)
        for values in HourEntry.objects.filter(
            trainee=trainee, date__in={row.data.date for row in readable}
        ).values_list("date", "start_time", "end_time", "minutes", "category")
    }
    seen: dict[uuid.UUID, int] = {}
    to_check = []
    for row in rows:
        data = row.data
        key = _entry_key(
            data.date, data.start_time, data.end_time, data.minutes, data.category
        )
        if row.entry_uuid is None:
            to_check.append(row)
        elif row.entry_uuid in seen:
            report.skipped.add(
                row.number,
                _("sama dengan baris %(row)s; dilewati.")
                % {"row": seen[row.entry_uuid]},
            )
        elif row.entry_uuid in already_imported:
            report.skipped.add(row.number, _("sudah diimpor sebelumnya; dilewati."))
        elif key in logged:
            report.skipped.add(
                row.number,
                _(
                    "sudah ada di catatan peserta (tanggal, jam dan kegiatan sama); "
                    "dilewati."
                ),
            )
        else:
            seen[row.entry_uuid] = row.number
            to_check.append(row)

    created = []
    with transaction.atomic():
        # In the sheet's order, so a row is checked against the rows above it.
        for row in to_check:
            try:
                if row.unreadable:
                    check_entry(trainee=trainee, data=row.data)
                    continue
                entry, was_created = record_entry(
                    trainee=trainee,
                    uuid=row.entry_uuid,
                    data=row.data,
                    submit=True,
                    actor=actor,
                    imported=True,
                )
            except ValidationError as error:
                for message in _row_messages(error, row, trainee):
                    report.errors.add(row.number, message)
                continue
            if was_created:
                created.append(entry)
        if report.errors:
            transaction.set_rollback(True)
        else:
            report.created = len(created)
            report.entries = created
            audit.record(
                AuditAction.HOURS_IMPORTED,
                actor=actor,
                target=placement,
                target_label=f"Catatan jam kertas ({len(created)} catatan)",
                subject=trainee,
                programme=audit.programme_of(trainee),
                detail={"created": len(created), "skipped": len(report.skipped)},
            )
    return report


def _row_messages(error: ValidationError, row: PaperRow, trainee: User) -> list[str]:
    """The rules' messages for one row, said to the facilitator.

    The rules speak to the trainee ("catatanmu", "centang"); here they are
    said about the trainee, and about the sheet's column instead of the
    form's checkbox. What a stand-in value caused is left out.
    """
    if not hasattr(error, "error_dict"):
        return list(error.messages)
    ignored = set().union(*(STAND_INS[name][1] for name in row.unreadable))
    data = row.data
    timed = data.start_time is not None and data.end_time is not None
    times = (
        {
            "start": data.start_time.strftime("%H:%M"),
            "end": data.end_time.strftime("%H:%M"),
        }
        if timed
        else {}
    )
    messages = []
    for name, errors in error.error_dict.items():
        if name in ignored:
            continue
        if any(_about_the_trainee(each, trainee) for each in errors):
            messages += [
                _about_the_trainee(each, trainee) or message
                for each in errors
                for message in each.messages
            ]
        elif (
            name == "end_time"
            and timed
            and data.end_time < data.start_time
            and not data.past_midnight
        ):
            messages.append(
                _(
                    "Jam selesai (%(end)s) harus sesudah jam mulai (%(start)s). Bila "
                    "kegiatannya berlanjut lewat tengah malam, isi ya di kolom "
                    "lewat_tengah_malam."
                )
                % times
            )
        elif name == "past_midnight":
            messages.append(
                _(
                    "Jam selesai (%(end)s) sesudah jam mulai (%(start)s) pada hari "
                    "yang sama, jadi tidak lewat tengah malam: kosongkan kolom "
                    "lewat_tengah_malam, atau perbaiki jamnya."
                )
                % times
                if timed
                else _(
                    "Kolom lewat_tengah_malam hanya untuk catatan dengan jam mulai "
                    "dan jam selesai."
                )
            )
        else:
            messages += [message for each in errors for message in each.messages]
    return messages


def _about_the_trainee(error: ValidationError, trainee: User) -> str | None:
    """A rule's words to the trainee ("catatanmu", "kamu"), said about them."""
    params = {**(error.params or {}), "trainee": trainee.display_name}
    if error.code == "overlap":
        return (
            _(
                "Bertumpang tindih dengan catatan %(trainee)s tanggal %(date)s jam "
                "%(start)s–%(end)s."
            )
            % params
        )
    if error.code == "daily_cap":
        return (
            _(
                "Pada %(date)s %(trainee)s sudah mencatat %(logged)s. Dengan baris ini "
                "jumlahnya lebih dari %(limit)s jam sehari."
            )
            % params
        )
    if error.code == "activity_required":
        return _("Tulis singkat apa yang dilakukan dan dipelajari %(trainee)s.") % (
            params
        )
    return None
