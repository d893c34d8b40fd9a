"""Magang in the JSON API: placements, hour entries, the supervisor's queue.

Every endpoint reads through `mentorship.selectors` and writes through the
functions of `hours.py` and `verification.py`, so the API refuses exactly what
the pages refuse, with the same words. Entries are addressed by the UUID the
client made, which is what lets an offline phone send an entry twice safely.

Errors: a refused entry answers 422 with `detail` (the first message) and
`errors` (every message, keyed by field); a state that forbids the change
(a locked entry, a UUID someone else used) answers 409; another person's
entry is 404; deciding on entries one does not supervise is 403.
"""

import datetime
import uuid as uuid_module

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from learning.api_devices import SYNC_AUTH, by_device
from learning.bounds import Id, LocalTime, Number, paginate

from ..choices import (
    ActivityCategory,
    EntryStatus,
)
from ..hours import (
    EntryInput,
    record_entry,
    submit_entries,
    totals_for,
    update_entry,
    withdraw_entry,
)
from ..models import (
    HourEntry,
    HourEntryEvent,
    Placement,
)
from ..selectors import entries_visible_to, placements_visible_to, supervision_queue
from ..verification import return_entries, verify_entries
from .common import (
    ErrorOut,
    Refused,
    UuidsIn,
    refused,
)
from .records import (
    FlowRecordOut,
    Records,
    Summaries,
    add_write_routes,
    placement_for,
)

router = Router(tags=["magang"])


# --- Schemas ----------------------------------------------------------------


class CategoryOut(Schema):
    label: str
    minutes: int


class TotalsOut(Schema):
    target_minutes: int
    verified_minutes: int
    waiting_minutes: int
    returned_minutes: int
    draft_minutes: int
    percent_verified: int
    percent_waiting: int
    verified_by_category: list[CategoryOut]


class PlacementOut(Schema):
    id: int
    trainee_id: int
    trainee: str
    host: str
    supervisor: str
    supervisor_has_account: bool
    start_date: datetime.date
    end_date: datetime.date
    target_hours: int
    totals: TotalsOut | None = Field(
        None, description="Hanya untuk penempatan milik pengguna yang masuk."
    )

    @staticmethod
    def resolve_trainee(placement: Placement) -> str:
        return placement.trainee.display_name

    @staticmethod
    def resolve_host(placement: Placement) -> str:
        return placement.host.short_name

    @staticmethod
    def resolve_supervisor(placement: Placement) -> str:
        return placement.supervisor_label

    @staticmethod
    def resolve_supervisor_has_account(placement: Placement) -> bool:
        return not placement.has_outside_supervisor

    @staticmethod
    def resolve_totals(placement: Placement, context) -> dict | None:
        user = context["request"].auth
        if placement.trainee_id != user.pk:
            return None
        totals = totals_for(trainee=user, placement=placement)
        return {
            "target_minutes": totals.target_minutes,
            "verified_minutes": totals.verified,
            "waiting_minutes": totals.waiting,
            "returned_minutes": totals.returned,
            "draft_minutes": totals.draft,
            "percent_verified": totals.percent_verified,
            "percent_waiting": totals.percent_waiting,
            "verified_by_category": [
                {"label": label, "minutes": minutes}
                for label, minutes in totals.by_category
            ],
        }


class EntryOut(FlowRecordOut):
    date: datetime.date
    start_time: LocalTime | None
    end_time: LocalTime | None
    past_midnight: bool = Field(
        description="Jam selesai pada hari berikutnya (lewat tengah malam)."
    )
    minutes: int
    category: str
    category_label: str
    activity: str
    supervisor_comment: str
    verifier: str | None
    verified_at: datetime.datetime | None

    @staticmethod
    def resolve_category_label(entry: HourEntry) -> str:
        return str(entry.get_category_display())

    @staticmethod
    def resolve_verifier(entry: HourEntry) -> str | None:
        return entry.verifier_label or None


class QueueEntryOut(EntryOut):
    trainee_id: int
    trainee: str
    host: str

    @staticmethod
    def resolve_trainee(entry: HourEntry) -> str:
        return entry.trainee.display_name

    @staticmethod
    def resolve_host(entry: HourEntry) -> str:
        return entry.placement.host.short_name


class EntryIn(Schema):
    placement_id: Id
    date: datetime.date
    start_time: LocalTime | None = Field(
        None, description="Jam setempat (WITA) tanpa zona waktu, misalnya `08:00`."
    )
    end_time: LocalTime | None = Field(
        None, description="Jam setempat (WITA) tanpa zona waktu, misalnya `10:30`."
    )
    past_midnight: bool = Field(
        False,
        description="Lewat tengah malam: jam selesai pada hari berikutnya (harus "
        "sama dengan atau sebelum jam mulai). Tanpa ini, jam selesai harus "
        "sesudah jam mulai.",
    )
    minutes: Number | None = Field(
        None, description="Lama dalam menit, bila jam mulai dan selesai kosong."
    )
    category: str = Field(
        ...,
        description="Kode jenis kegiatan: "
        + ", ".join(f"`{code}`" for code in ActivityCategory.values),
    )
    activity: str


class EntryCreateIn(EntryIn):
    uuid: uuid_module.UUID = Field(
        ..., description="Dibuat oleh aplikasi; mengirim ulang UUID yang sama aman."
    )
    submit: bool = Field(False, description="Langsung ajukan ke pembimbing.")


class DecisionIn(UuidsIn):
    comment: str = ""


# --- Helpers ----------------------------------------------------------------


def _with_details(entries: QuerySet[HourEntry]) -> QuerySet[HourEntry]:
    """What EntryOut reads, fetched in a fixed number of queries."""
    return entries.select_related("verified_by").prefetch_related(
        Prefetch(
            "history",
            queryset=HourEntryEvent.objects.select_related("actor").order_by(
                "at", "pk"
            ),
        )
    )


ENTRIES = Records(
    model=HourEntry,
    visible_to=entries_visible_to,
    with_details=_with_details,
    order=("date", "pk"),
    not_found=lambda: _("Catatan ini tidak ditemukan."),
)


def _entry_input(request: HttpRequest, payload: EntryIn) -> EntryInput:
    return EntryInput(
        placement=placement_for(request, payload.placement_id),
        date=payload.date,
        start_time=payload.start_time,
        end_time=payload.end_time,
        minutes=payload.minutes,
        past_midnight=payload.past_midnight,
        category=payload.category,
        activity=payload.activity,
    )


# --- Placements and entries of the signed-in trainee -------------------------


@router.get(
    "/placements",
    response=list[PlacementOut],
    auth=SYNC_AUTH,
    summary="Penempatan magang yang terlihat oleh saya, dengan jumlah jam milik saya",
)
@paginate
def placements(request: HttpRequest):
    """With a sync key: only my own placements, those the hour form offers."""
    visible = placements_visible_to(request.auth)
    if by_device(request):
        visible = visible.filter(trainee=request.auth)
    return visible.select_related("trainee", "host", "supervisor").order_by(
        "-start_date", "pk"
    )


@router.get(
    "/entries",
    response=list[EntryOut],
    auth=SYNC_AUTH,
    summary="Catatan jam magang saya",
)
@paginate
def entries(
    request: HttpRequest,
    placement: Id | None = None,
    status: EntryStatus | None = None,
):
    own = ENTRIES.own(request)
    if placement is not None:
        own = own.filter(placement_id=placement)
    if status is not None:
        own = own.filter(status=status)
    return _with_details(own).order_by("-date", "-start_time", "-pk")


add_write_routes(
    router,
    ENTRIES,
    path="/entries",
    out=EntryOut,
    create_in=EntryCreateIn,
    change_in=EntryIn,
    create=lambda request, payload: record_entry(
        trainee=request.auth,
        uuid=payload.uuid,
        data=_entry_input(request, payload),
        submit=payload.submit,
    ),
    change=lambda request, entry, payload: update_entry(
        entry=entry, trainee=request.auth, data=_entry_input(request, payload)
    ),
    submit=lambda request, chosen: submit_entries(trainee=request.auth, entries=chosen),
    summaries=Summaries(
        create="Catat jam magang (aman dikirim ulang dengan UUID yang sama)",
        change="Ubah draf atau catatan yang dikembalikan",
        submit="Ajukan catatan ke pembimbing (aman diulang)",
        withdraw="Tarik kembali catatan yang menunggu pembimbing (menjadi draf lagi)",
    ),
    name="entry",
    uuid_name="entry_uuid",
    withdraw=lambda request, entry: withdraw_entry(entry=entry, trainee=request.auth),
)


# --- The supervisor's queue ------------------------------------------------


@router.get(
    "/queue",
    response=list[QueueEntryOut],
    summary="Catatan yang menunggu verifikasi saya sebagai pembimbing",
)
@paginate
def queue(request: HttpRequest):
    return _with_details(supervision_queue(request.auth))


def _decide(request: HttpRequest, payload: DecisionIn, decide) -> Status:
    visible = entries_visible_to(request.auth)
    try:
        chosen = ENTRIES.named(visible, payload.uuids)
        decide(entries=chosen, supervisor=request.auth, comment=payload.comment)
    except Refused as refusal:
        return Status(refusal.status, refusal.body)
    except ValidationError as error:
        body = refused(error)
        if body["errors"]:
            return Status(422, body)
        # With entries chosen, the only refusal left is not being their
        # supervisor.
        raise HttpError(403, body["detail"]) from error
    return Status(200, ENTRIES.fresh(visible, chosen))


@router.post(
    "/queue/verify",
    response={200: list[EntryOut], 404: ErrorOut, 422: ErrorOut},
    summary="Verifikasi catatan yang menunggu (satu atau banyak)",
)
def verify(request: HttpRequest, payload: DecisionIn):
    return _decide(request, payload, verify_entries)


@router.post(
    "/queue/return",
    response={200: list[EntryOut], 404: ErrorOut, 422: ErrorOut},
    summary="Kembalikan catatan kepada peserta dengan komentar",
)
def send_back(request: HttpRequest, payload: DecisionIn):
    return _decide(request, payload, return_entries)
