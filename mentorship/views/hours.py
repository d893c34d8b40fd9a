"""The trainee's magang pages: the hour log, an entry, the exports, the home panel.

Views collect input and call the rules in `hours` and `verification`; every
query a trainee's page makes is limited to their own rows, so another
person's entry or link simply does not exist for them (404).
"""

import uuid
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from learning import audit
from learning.bounds import parse_id
from learning.models import User
from learning.offline import offline_copy_requested

from .. import exports
from ..choices import EntryStatus
from ..forms.hours import HourEntryForm, apply_errors
from ..hours import (
    Totals,
    can_withdraw,
    delete_draft,
    placements_open_on,
    record_entry,
    submit_entries,
    totals_for,
    update_entry,
    withdraw_entry,
)
from ..models import HourEntry, Placement
from ..selectors import placements_visible_to
from .records import SubmitWords, submit_ticked


def duration_label(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return _("%(hours)s jam %(minutes)s menit") % {"hours": hours, "minutes": rest}
    if hours:
        return _("%(hours)s jam") % {"hours": hours}
    return _("%(minutes)s menit") % {"minutes": rest}


@dataclass
class Progress:
    """Hours of a placement (or all of them) as the progress bar shows them."""

    totals: Totals

    @property
    def verified(self) -> float:
        return self.totals.hours(self.totals.verified)

    @property
    def waiting(self) -> float:
        return self.totals.hours(self.totals.waiting)

    @property
    def returned(self) -> float:
        return self.totals.hours(self.totals.returned)

    @property
    def draft(self) -> float:
        return self.totals.hours(self.totals.draft)

    @property
    def target(self) -> float:
        return self.totals.hours(self.totals.target_minutes)

    @property
    def by_category(self) -> list[tuple[str, float]]:
        return [
            (label, self.totals.hours(minutes))
            for label, minutes in self.totals.by_category
        ]


def own_placements(user: User):
    return Placement.objects.filter(trainee=user).select_related("host", "supervisor")


# --- The log -----------------------------------------------------------------


@login_required
def log(request: HttpRequest) -> HttpResponse:
    """My placements with their progress, my totals, and every entry, newest first."""
    user = request.user
    placements = list(own_placements(user).order_by("-start_date", "pk"))
    cards = [
        {
            "placement": placement,
            "progress": Progress(totals_for(trainee=user, placement=placement)),
        }
        for placement in placements
    ]
    entries = list(
        HourEntry.objects.filter(trainee=user)
        .select_related("placement__host", "verified_by")
        .order_by("-date", "-start_time", "-pk")
    )
    for entry in entries:
        entry.duration_label = duration_label(entry.minutes)
    overall = None
    if len(placements) == 1:
        overall = cards[0]["progress"]
    elif placements:
        overall = Progress(totals_for(trainee=user))
    return render(
        request,
        "mentorship/log.html",
        {
            "cards": cards,
            "overall": overall,
            "entries": entries,
            "submittable": [entry for entry in entries if entry.is_editable],
            "has_outside_supervisor": any(
                placement.has_outside_supervisor for placement in placements
            ),
        },
    )


@login_required
@require_POST
def entries_submit(request: HttpRequest) -> HttpResponse:
    """Send the chosen drafts and corrected entries to the supervisor."""
    return submit_ticked(
        request,
        model=HourEntry,
        field="entri",
        submit=lambda chosen: submit_entries(trainee=request.user, entries=chosen),
        back="mentorship:log",
        words=SubmitWords(
            nothing_ticked=lambda: _("Pilih dulu catatan yang akan diajukan."),
            sent=lambda count: (
                ngettext(
                    "%(count)s catatan diajukan ke pembimbing.",
                    "%(count)s catatan diajukan ke pembimbing.",
                    count,
                )
                % {"count": count}
            ),
            already_sent=lambda: _("Catatan yang dipilih sudah diajukan sebelumnya."),
        ),
    )


# --- One entry -----------------------------------------------------------------


@login_required
def entry_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    placements = own_placements(user)
    if not placements.exists():
        return render(request, "mentorship/no_placement.html")
    if request.method == "POST":
        form = HourEntryForm(request.POST, trainee=user)
        if form.is_valid():
            submit = request.POST.get("aksi") == "ajukan"
            try:
                entry, created = record_entry(
                    trainee=user,
                    uuid=form.cleaned_data["uuid"],
                    data=form.entry_input(),
                    submit=submit,
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                if not created:
                    messages.info(
                        request,
                        _("Catatan ini sudah tersimpan; tidak dicatat dua kali."),
                    )
                elif submit:
                    messages.success(
                        request, _("Catatan disimpan dan diajukan ke pembimbing.")
                    )
                else:
                    messages.success(
                        request,
                        _("Catatan disimpan sebagai draf. Ajukan bila sudah siap."),
                    )
                return redirect("mentorship:log")
        if "uuid" in form.errors:
            form.add_error(
                None,
                _("Formulir ini tidak lengkap. Muat ulang halaman lalu coba lagi."),
            )
    else:
        open_today = placements_open_on(trainee=user).order_by("-start_date").first()
        form = HourEntryForm(
            trainee=user,
            initial={
                "uuid": uuid.uuid4(),
                "placement": open_today or placements.order_by("-start_date").first(),
                "date": timezone.localdate(),
            },
        )
    return render(
        request,
        "mentorship/entry_form.html",
        {"form": form, "offline_copy": offline_copy_requested(request)},
    )


def _entry_initial(entry: HourEntry) -> dict:
    return {
        "placement": entry.placement,
        "date": entry.date,
        "start_time": entry.start_time,
        "end_time": entry.end_time,
        "past_midnight": entry.past_midnight,
        # With times, the minutes follow from them; showing both invites a mismatch.
        "minutes": None if entry.start_time else entry.minutes,
        "category": entry.category,
        "activity": entry.activity,
    }


@login_required
def entry_detail(request: HttpRequest, entry_uuid) -> HttpResponse:
    """One of my entries, its history, and (while it may change) a form to fix it."""
    user = request.user
    entry = get_object_or_404(
        HourEntry.objects.select_related(
            "placement__host", "placement__supervisor", "verified_by"
        ),
        uuid=entry_uuid,
        trainee=user,
    )
    form = None
    if request.method == "POST":
        action = request.POST.get("aksi", "simpan")
        if action == "hapus":
            try:
                delete_draft(entry=entry, trainee=user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return redirect("mentorship:entry_detail", entry_uuid=entry.uuid)
            messages.success(request, _("Draf dihapus."))
            return redirect("mentorship:log")
        if not entry.is_editable:
            messages.error(
                request,
                _("Catatan yang sudah diajukan atau diverifikasi tidak dapat diubah."),
            )
            return redirect("mentorship:entry_detail", entry_uuid=entry.uuid)
        form = HourEntryForm(request.POST, trainee=user, with_uuid=False)
        if form.is_valid():
            try:
                entry = update_entry(entry=entry, trainee=user, data=form.entry_input())
                if action == "ajukan":
                    submit_entries(trainee=user, entries=[entry])
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Perubahan disimpan dan diajukan ke pembimbing.")
                    if action == "ajukan"
                    else _("Perubahan disimpan."),
                )
                return redirect("mentorship:log")
    elif entry.is_editable:
        form = HourEntryForm(
            trainee=user, with_uuid=False, initial=_entry_initial(entry)
        )
    history = list(entry.history.select_related("actor").order_by("at", "pk"))
    entry.duration_label = duration_label(entry.minutes)
    return render(
        request,
        "mentorship/entry_detail.html",
        {
            "entry": entry,
            "history": history,
            "form": form,
            "can_withdraw": can_withdraw(user, entry),
        },
    )


@login_required
@require_POST
def entry_withdraw(request: HttpRequest, entry_uuid) -> HttpResponse:
    """Take my waiting entry back to a draft, until the supervisor has acted."""
    entry = get_object_or_404(HourEntry, uuid=entry_uuid, trainee=request.user)
    try:
        withdraw_entry(entry=entry, trainee=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _(
                "Catatan ditarik kembali dan menjadi draf lagi. Pembimbing tidak "
                "melihatnya sampai kamu mengajukannya lagi."
            ),
        )
    return redirect("mentorship:entry_detail", entry_uuid=entry.uuid)


# --- Exports -------------------------------------------------------------------


def _export_trainee(request: HttpRequest) -> User:
    """Me, or (for staff) the trainee named by ?peserta= if the scope rule allows."""
    wanted = request.GET.get("peserta", "")
    if not wanted or wanted == str(request.user.pk):
        return request.user
    trainee_id = parse_id(wanted)
    if trainee_id is None:
        raise Http404
    placement = (
        placements_visible_to(request.user)
        .filter(trainee_id=trainee_id)
        .select_related("trainee")
        .first()
    )
    if placement is None:
        raise Http404
    return placement.trainee


def _audit_download(request: HttpRequest, trainee, file_format: str) -> None:
    """Staff downloading a trainee's log is a line of the audit trail; a
    trainee downloading their own is not."""
    if trainee.pk != request.user.pk:
        audit.record_export(
            request,
            what="catatan-magang",
            file_format=file_format,
            target=trainee,
            subject=trainee,
            programme=audit.programme_of(trainee),
        )


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@never_cache
def log_pdf(request: HttpRequest) -> HttpResponse:
    trainee = _export_trainee(request)
    _audit_download(request, trainee, "pdf")
    return _download(
        exports.log_pdf(trainee),
        "application/pdf",
        f"catatan-magang-{trainee.username}.pdf",
    )


@login_required
@never_cache
def log_csv(request: HttpRequest) -> HttpResponse:
    trainee = _export_trainee(request)
    _audit_download(request, trainee, "csv")
    return _download(
        exports.log_csv(trainee),
        "text/csv; charset=utf-8",
        f"catatan-magang-{trainee.username}.csv",
    )


# --- Home panel ------------------------------------------------------------------


def home_panel(request: HttpRequest) -> dict:
    """The trainee's "Magang" panel: verified hours against the target, drafts."""
    user = request.user
    if not Placement.objects.filter(trainee=user).exists():
        return {"has_placement": False}
    to_submit = HourEntry.objects.filter(
        trainee=user, status__in=[EntryStatus.DRAFT, EntryStatus.RETURNED]
    ).count()
    return {
        "has_placement": True,
        "progress": Progress(totals_for(trainee=user)),
        "to_submit": to_submit,
    }
