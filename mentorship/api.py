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

from assessments.models import Competency
from learning.bounds import Id, LocalTime, Number, Year, paginate
from learning.models import Region

from .cases import (
    CaseInput,
    can_review,
    case_warning,
    cases_visible_to,
    record_case,
    return_case,
    review_case,
    review_queue,
    submit_cases,
    update_case,
)
from .choices import (
    ActivityCategory,
    AgeGroup,
    CasePath,
    CaseService,
    CaseStatus,
    EntryStatus,
    IncidentPlace,
    PerpetratorAge,
    Relation,
    VictimSex,
    ViolenceType,
)
from .hours import EntryInput, record_entry, submit_entries, totals_for, update_entry
from .models import (
    HourEntry,
    HourEntryEvent,
    Placement,
    PracticeCase,
    PracticeCaseEvent,
)
from .selectors import entries_visible_to, placements_visible_to, supervision_queue
from .verification import return_entries, verify_entries

router = Router(tags=["magang"])

MAX_UUIDS = 200


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


class EventOut(Schema):
    action: str
    action_label: str
    by: str
    comment: str
    at: datetime.datetime

    @staticmethod
    def resolve_action_label(event: HourEntryEvent) -> str:
        return str(event.get_action_display())

    @staticmethod
    def resolve_by(event: HourEntryEvent) -> str:
        return event.actor_label


class EntryOut(Schema):
    uuid: uuid_module.UUID
    placement_id: int
    date: datetime.date
    start_time: datetime.time | None
    end_time: datetime.time | None
    past_midnight: bool = Field(
        description="Jam selesai pada hari berikutnya (lewat tengah malam)."
    )
    minutes: int
    category: str
    category_label: str
    activity: str
    status: str
    status_label: str
    editable: bool
    supervisor_comment: str
    verifier: str | None
    verified_at: datetime.datetime | None
    history: list[EventOut]

    @staticmethod
    def resolve_category_label(entry: HourEntry) -> str:
        return str(entry.get_category_display())

    @staticmethod
    def resolve_status_label(entry: HourEntry) -> str:
        return str(entry.get_status_display())

    @staticmethod
    def resolve_editable(entry: HourEntry) -> bool:
        return entry.is_editable

    @staticmethod
    def resolve_verifier(entry: HourEntry) -> str | None:
        return entry.verifier_label or None

    @staticmethod
    def resolve_history(entry: HourEntry) -> list[HourEntryEvent]:
        return list(entry.history.all())


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


class UuidsIn(Schema):
    uuids: list[uuid_module.UUID] = Field(..., max_length=MAX_UUIDS)


class DecisionIn(UuidsIn):
    comment: str = ""


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] = {}


# --- Helpers ----------------------------------------------------------------


class _Refused(Exception):
    """Carries a status and body out of a helper to the endpoint."""

    def __init__(self, status: int, body: dict):
        self.status = status
        self.body = body


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


def _own_entries(request: HttpRequest) -> QuerySet[HourEntry]:
    return entries_visible_to(request.auth).filter(trainee=request.auth)


def _refused(error: ValidationError) -> dict:
    """An error body: the first message as `detail`, every message by field."""
    if hasattr(error, "error_dict"):
        errors = error.message_dict
        detail = next(iter(errors.values()))[0]
    else:
        errors = {}
        detail = error.messages[0]
    return {"detail": detail, "errors": errors}


def _create_refusal(error: ValidationError) -> Status:
    """A refused create: a UUID already on someone else's record is a conflict
    (409); anything else is bad input (422)."""
    body = _refused(error)
    return Status(409 if "uuid" in body["errors"] else 422, body)


def _change_refusal(error: ValidationError) -> Status:
    """A refused change: field errors are bad input (422); an error about the
    record itself means it is locked or no longer waiting (409)."""
    body = _refused(error)
    return Status(422 if body["errors"] else 409, body)


def _entry_input(request: HttpRequest, payload: EntryIn) -> EntryInput:
    placement = placements_visible_to(request.auth).filter(pk=payload.placement_id)
    placement = placement.select_related("trainee").first()
    if placement is None:
        message = _("Penempatan magang ini tidak ditemukan.")
        raise _Refused(422, {"detail": message, "errors": {"placement": [message]}})
    return EntryInput(
        placement=placement,
        date=payload.date,
        start_time=payload.start_time,
        end_time=payload.end_time,
        minutes=payload.minutes,
        past_midnight=payload.past_midnight,
        category=payload.category,
        activity=payload.activity,
    )


def _entries_by_uuid(entries: QuerySet[HourEntry], uuids) -> list[HourEntry]:
    """The entries named, all of them, or 404 when one is not within reach."""
    wanted = set(uuids)
    if not wanted:
        message = _("Pilih sedikitnya satu catatan.")
        raise _Refused(422, {"detail": message, "errors": {"uuids": [message]}})
    found = list(entries.filter(uuid__in=wanted).order_by("date", "pk"))
    if len(found) != len(wanted):
        raise HttpError(404, _("Sebagian catatan yang dipilih tidak ditemukan."))
    return found


def _entry(pk: int) -> HourEntry:
    return _with_details(HourEntry.objects.filter(pk=pk)).get()


def _fresh(entries: QuerySet[HourEntry], found: list[HourEntry]) -> list[HourEntry]:
    """The entries as they are now, after a change, in the order given."""
    return list(
        _with_details(entries.filter(pk__in=[entry.pk for entry in found])).order_by(
            "date", "pk"
        )
    )


# --- Placements and entries of the signed-in trainee -------------------------


@router.get(
    "/placements",
    response=list[PlacementOut],
    summary="Penempatan magang yang terlihat oleh saya, dengan jumlah jam milik saya",
)
@paginate
def placements(request: HttpRequest):
    return (
        placements_visible_to(request.auth)
        .select_related("trainee", "host", "supervisor")
        .order_by("-start_date", "pk")
    )


@router.get("/entries", response=list[EntryOut], summary="Catatan jam magang saya")
@paginate
def entries(
    request: HttpRequest,
    placement: Id | None = None,
    status: EntryStatus | None = None,
):
    own = _own_entries(request)
    if placement is not None:
        own = own.filter(placement_id=placement)
    if status is not None:
        own = own.filter(status=status)
    return _with_details(own).order_by("-date", "-start_time", "-pk")


@router.post(
    "/entries",
    response={201: EntryOut, 409: ErrorOut, 422: ErrorOut},
    summary="Catat jam magang (aman dikirim ulang dengan UUID yang sama)",
)
def create_entry(request: HttpRequest, payload: EntryCreateIn):
    """Sending the same UUID again creates nothing and answers as the first time."""
    try:
        data = _entry_input(request, payload)
        entry, _created = record_entry(
            trainee=request.auth, uuid=payload.uuid, data=data, submit=payload.submit
        )
    except _Refused as refused:
        return Status(refused.status, refused.body)
    except ValidationError as error:
        return _create_refusal(error)
    return Status(201, _entry(entry.pk))


@router.put(
    "/entries/{uuid:entry_uuid}",
    response={200: EntryOut, 409: ErrorOut, 422: ErrorOut},
    summary="Ubah draf atau catatan yang dikembalikan",
)
def change_entry(request: HttpRequest, entry_uuid: uuid_module.UUID, payload: EntryIn):
    entry = _own_entries(request).filter(uuid=entry_uuid).first()
    if entry is None:
        raise HttpError(404, _("Catatan ini tidak ditemukan."))
    try:
        data = _entry_input(request, payload)
        entry = update_entry(entry=entry, trainee=request.auth, data=data)
    except _Refused as refused:
        return Status(refused.status, refused.body)
    except ValidationError as error:
        return _change_refusal(error)
    return Status(200, _entry(entry.pk))


@router.post(
    "/entries/submit",
    response={200: list[EntryOut], 422: ErrorOut},
    summary="Ajukan catatan ke pembimbing (aman diulang)",
)
def submit(request: HttpRequest, payload: UuidsIn):
    own = _own_entries(request)
    try:
        chosen = _entries_by_uuid(own, payload.uuids)
        submit_entries(trainee=request.auth, entries=chosen)
    except _Refused as refused:
        return Status(refused.status, refused.body)
    except ValidationError as error:
        return Status(422, _refused(error))
    return Status(200, _fresh(own, chosen))


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
        chosen = _entries_by_uuid(visible, payload.uuids)
        decide(entries=chosen, supervisor=request.auth, comment=payload.comment)
    except _Refused as refused:
        return Status(refused.status, refused.body)
    except ValidationError as error:
        body = _refused(error)
        if body["errors"]:
            return Status(422, body)
        # With entries chosen, the only refusal left is not being their
        # supervisor.
        raise HttpError(403, body["detail"]) from error
    return Status(200, _fresh(visible, chosen))


@router.post(
    "/queue/verify",
    response={200: list[EntryOut], 422: ErrorOut},
    summary="Verifikasi catatan yang menunggu (satu atau banyak)",
)
def verify(request: HttpRequest, payload: DecisionIn):
    return _decide(request, payload, verify_entries)


@router.post(
    "/queue/return",
    response={200: list[EntryOut], 422: ErrorOut},
    summary="Kembalikan catatan kepada peserta dengan komentar",
)
def send_back(request: HttpRequest, payload: DecisionIn):
    return _decide(request, payload, return_entries)


# --- Practice cases ---------------------------------------------------------
#
# The same rules as the pages, through `mentorship.cases`: a case is read
# through `cases_visible_to` (the trainee, the supervisor, and after review
# the trainee's facilitators), changed only by its trainee, reviewed only by
# its placement's supervisor. Errors follow the entries' convention: 422 with
# `errors` by field, 409 for a state that forbids the change (a locked case,
# a UUID someone else used), 404 outside one's view, 403 for a decision on a
# case one does not supervise.


class CompetencyOut(Schema):
    id: int
    name: str


class CaseEventOut(Schema):
    action: str
    action_label: str
    by: str
    comment: str
    at: datetime.datetime

    @staticmethod
    def resolve_action_label(event: PracticeCaseEvent) -> str:
        return str(event.get_action_display())

    @staticmethod
    def resolve_by(event: PracticeCaseEvent) -> str:
        return event.actor.display_name if event.actor else ""


class CaseOut(Schema):
    uuid: uuid_module.UUID
    trainee_id: int
    trainee: str
    placement_id: int
    violence_types: list[str]
    victim_sex: str
    victim_age_group: str
    victim_disability: bool | None
    perpetrator_relation: str
    perpetrator_age: str
    incident_place: str
    month: int
    year: int
    kecamatan: str = Field(..., description="Kode Kemendagri kecamatan.")
    kecamatan_label: str
    services: list[str]
    path: str
    trainee_role: str
    actions: str
    went_well: str
    was_hard: str
    learned: str
    status: str
    status_label: str
    editable: bool
    warning: str | None = Field(
        None,
        description="Peringatan UU 12/2022 pasal 23 bila kasus ini ditandai.",
    )
    supervisor_feedback: str
    competencies_shown: list[CompetencyOut]
    reviewer: str | None
    reviewed_at: datetime.datetime | None
    history: list[CaseEventOut]

    @staticmethod
    def resolve_trainee(case: PracticeCase) -> str:
        return case.trainee.display_name

    @staticmethod
    def resolve_kecamatan(case: PracticeCase) -> str:
        return case.kecamatan.code

    @staticmethod
    def resolve_kecamatan_label(case: PracticeCase) -> str:
        return case.kecamatan.label

    @staticmethod
    def resolve_status_label(case: PracticeCase) -> str:
        return str(case.get_status_display())

    @staticmethod
    def resolve_editable(case: PracticeCase) -> bool:
        return case.is_editable

    @staticmethod
    def resolve_warning(case: PracticeCase) -> str | None:
        return case_warning(case)

    @staticmethod
    def resolve_competencies_shown(case: PracticeCase) -> list:
        return list(case.competencies_shown.all())

    @staticmethod
    def resolve_reviewer(case: PracticeCase) -> str | None:
        return case.reviewed_by.display_name if case.reviewed_by else None

    @staticmethod
    def resolve_history(case: PracticeCase) -> list[PracticeCaseEvent]:
        return list(case.history.all())


def _codes(choices) -> str:
    return ", ".join(f"`{code}`" for code in choices.values)


class CaseIn(Schema):
    placement_id: Id
    violence_types: list[str] = Field(
        ..., description="Satu atau lebih: " + _codes(ViolenceType)
    )
    victim_sex: str = Field(..., description=_codes(VictimSex))
    victim_age_group: str = Field(..., description=_codes(AgeGroup))
    victim_disability: bool | None = None
    perpetrator_relation: str = Field(..., description=_codes(Relation))
    perpetrator_age: str = Field(..., description=_codes(PerpetratorAge))
    incident_place: str = Field(..., description=_codes(IncidentPlace))
    month: Number = Field(..., description="1–12; tanpa tanggal.")
    year: Year
    kecamatan: str = Field(
        ..., description="Kode Kemendagri kecamatan, misalnya `53.02.01`; bukan desa."
    )
    services: list[str] = Field([], description=_codes(CaseService))
    path: str = Field(..., description=_codes(CasePath))
    trainee_role: str
    actions: str
    learned: str
    went_well: str = ""
    was_hard: str = ""


class CaseCreateIn(CaseIn):
    uuid: uuid_module.UUID = Field(
        ..., description="Dibuat oleh aplikasi; mengirim ulang UUID yang sama aman."
    )
    submit: bool = Field(False, description="Langsung ajukan ke pembimbing.")


class ReviewIn(Schema):
    feedback: str = ""
    competency_ids: list[Id] = Field([], max_length=50)


class ReturnIn(Schema):
    feedback: str = ""


def _case_details(cases: QuerySet[PracticeCase]) -> QuerySet[PracticeCase]:
    """What CaseOut reads, fetched in a fixed number of queries."""
    return cases.select_related("trainee", "kecamatan", "reviewed_by").prefetch_related(
        "competencies_shown",
        Prefetch(
            "history",
            queryset=PracticeCaseEvent.objects.select_related("actor").order_by(
                "at", "pk"
            ),
        ),
    )


def _case(pk: int) -> PracticeCase:
    return _case_details(PracticeCase.objects.filter(pk=pk)).get()


def _own_cases(request: HttpRequest) -> QuerySet[PracticeCase]:
    return cases_visible_to(request.auth).filter(trainee=request.auth)


def _case_input(request: HttpRequest, payload: CaseIn) -> CaseInput:
    placement = (
        placements_visible_to(request.auth)
        .filter(pk=payload.placement_id)
        .select_related("trainee")
        .first()
    )
    if placement is None:
        message = _("Penempatan magang ini tidak ditemukan.")
        raise _Refused(422, {"detail": message, "errors": {"placement": [message]}})
    # An unknown code reaches check_case as no kecamatan and gets its message,
    # together with every other problem of the same case.
    kecamatan = Region.objects.filter(code=payload.kecamatan.strip()).first()
    return CaseInput(
        placement=placement,
        violence_types=payload.violence_types,
        victim_sex=payload.victim_sex,
        victim_age_group=payload.victim_age_group,
        victim_disability=payload.victim_disability,
        perpetrator_relation=payload.perpetrator_relation,
        perpetrator_age=payload.perpetrator_age,
        incident_place=payload.incident_place,
        month=payload.month,
        year=payload.year,
        kecamatan=kecamatan,
        services=payload.services,
        path=payload.path,
        trainee_role=payload.trainee_role,
        actions=payload.actions,
        learned=payload.learned,
        went_well=payload.went_well,
        was_hard=payload.was_hard,
    )


@router.get(
    "/cases",
    response=list[CaseOut],
    summary="Catatan kasus praktik yang boleh saya baca",
)
@paginate
def cases(
    request: HttpRequest,
    status: CaseStatus | None = None,
    mine: bool = False,
):
    """My own cases; for a supervisor also their placements' cases; for a
    facilitator the reviewed cases of the trainees they teach."""
    visible = cases_visible_to(request.auth)
    if mine:
        visible = visible.filter(trainee=request.auth)
    if status is not None:
        visible = visible.filter(status=status)
    return _case_details(visible).order_by("-year", "-month", "-pk")


@router.post(
    "/cases",
    response={201: CaseOut, 409: ErrorOut, 422: ErrorOut},
    summary="Catat kasus praktik (aman dikirim ulang dengan UUID yang sama)",
)
def create_case(request: HttpRequest, payload: CaseCreateIn):
    """Sending the same UUID again creates nothing and answers as the first time."""
    try:
        data = _case_input(request, payload)
        case, _created = record_case(
            trainee=request.auth, uuid=payload.uuid, data=data, submit=payload.submit
        )
    except _Refused as refused:
        return Status(refused.status, refused.body)
    except ValidationError as error:
        return _create_refusal(error)
    return Status(201, _case(case.pk))


@router.put(
    "/cases/{uuid:case_uuid}",
    response={200: CaseOut, 409: ErrorOut, 422: ErrorOut},
    summary="Ubah draf atau catatan kasus yang dikembalikan",
)
def change_case(request: HttpRequest, case_uuid: uuid_module.UUID, payload: CaseIn):
    case = _own_cases(request).filter(uuid=case_uuid).first()
    if case is None:
        raise HttpError(404, _("Catatan kasus ini tidak ditemukan."))
    try:
        data = _case_input(request, payload)
        case = update_case(case=case, trainee=request.auth, data=data)
    except _Refused as refused:
        return Status(refused.status, refused.body)
    except ValidationError as error:
        return _change_refusal(error)
    return Status(200, _case(case.pk))


@router.post(
    "/cases/submit",
    response={200: list[CaseOut], 422: ErrorOut},
    summary="Ajukan catatan kasus ke pembimbing (aman diulang)",
)
def submit_practice_cases(request: HttpRequest, payload: UuidsIn):
    own = _own_cases(request)
    wanted = set(payload.uuids)
    if not wanted:
        message = _("Pilih sedikitnya satu catatan.")
        return Status(422, {"detail": message, "errors": {"uuids": [message]}})
    chosen = list(own.filter(uuid__in=wanted))
    if len(chosen) != len(wanted):
        raise HttpError(404, _("Sebagian catatan yang dipilih tidak ditemukan."))
    try:
        submit_cases(trainee=request.auth, cases=chosen)
    except ValidationError as error:
        return Status(422, _refused(error))
    return Status(
        200,
        list(
            _case_details(own.filter(pk__in=[case.pk for case in chosen])).order_by(
                "-year", "-month", "-pk"
            )
        ),
    )


@router.get(
    "/cases/queue",
    response=list[CaseOut],
    summary="Catatan kasus yang menunggu tinjauan saya sebagai pembimbing",
)
@paginate
def case_queue(request: HttpRequest):
    return _case_details(review_queue(request.auth))


def _decide_case(request: HttpRequest, case_uuid, decide) -> Status:
    case = (
        cases_visible_to(request.auth)
        .select_related("placement", "trainee")
        .filter(uuid=case_uuid)
        .first()
    )
    if case is None:
        raise HttpError(404, _("Catatan kasus ini tidak ditemukan."))
    if not can_review(request.auth, case):
        raise HttpError(403, _("Kamu bukan pembimbing untuk catatan kasus ini."))
    try:
        case = decide(case)
    except _Refused as refused:
        return Status(refused.status, refused.body)
    except ValidationError as error:
        return _change_refusal(error)
    return Status(200, _case(case.pk))


@router.post(
    "/cases/{uuid:case_uuid}/review",
    response={200: CaseOut, 409: ErrorOut, 422: ErrorOut},
    summary="Tinjau catatan kasus: umpan balik dan kompetensi yang ditunjukkan",
)
def review_practice_case(
    request: HttpRequest, case_uuid: uuid_module.UUID, payload: ReviewIn
):
    def decide(case):
        wanted = set(payload.competency_ids)
        competencies = list(Competency.objects.filter(pk__in=wanted))
        if len(competencies) != len(wanted):
            message = _("Pilih kompetensi dari daftar.")
            raise _Refused(
                422, {"detail": message, "errors": {"competency_ids": [message]}}
            )
        return review_case(
            case=case,
            supervisor=request.auth,
            feedback=payload.feedback,
            competencies=competencies,
        )

    return _decide_case(request, case_uuid, decide)


@router.post(
    "/cases/{uuid:case_uuid}/return",
    response={200: CaseOut, 409: ErrorOut, 422: ErrorOut},
    summary="Kembalikan catatan kasus kepada peserta dengan umpan balik",
)
def return_practice_case(
    request: HttpRequest, case_uuid: uuid_module.UUID, payload: ReturnIn
):
    return _decide_case(
        request,
        case_uuid,
        lambda case: return_case(
            case=case, supervisor=request.auth, feedback=payload.feedback
        ),
    )


# --- Wellbeing check-ins (issue 10) ------------------------------------------
#
# Health data under UU PDP: a person reads and deletes only their own. Creating
# is idempotent by the client's UUID (the same body answers a repeat); a UUID
# someone else used is 409; a note that names someone is 422. Facilitators
# learn of a risk through `mentorship.wellbeing`, never through this API.

import datetime as _datetime  # noqa: E402

from django.core.exceptions import PermissionDenied as _PermissionDenied  # noqa: E402

from .choices import Feeling  # noqa: E402
from .models import WellbeingCheckIn  # noqa: E402
from .wellbeing import (  # noqa: E402
    delete_checkin,
    may_check_in,
    own_checkins,
    record_checkin,
)


class CheckInOut(Schema):
    uuid: uuid_module.UUID
    feeling: str = Field(description=f"Salah satu dari: {_codes(Feeling)}")
    feeling_label: str
    threatened: bool
    wants_contact: bool
    note: str
    created_at: _datetime.datetime
    signals_risk: bool
    facilitator_told: bool = Field(
        description="Fasilitator sudah diberi tahu (hanya bila menandai risiko)."
    )
    contacted_at: _datetime.datetime | None

    @staticmethod
    def resolve_feeling_label(checkin: WellbeingCheckIn) -> str:
        return str(checkin.get_feeling_display())

    @staticmethod
    def resolve_facilitator_told(checkin: WellbeingCheckIn) -> bool:
        return bool(checkin.alerted.all())


class CheckInIn(Schema):
    uuid: uuid_module.UUID
    feeling: str = Field(description=f"Salah satu dari: {_codes(Feeling)}")
    threatened: bool = False
    wants_contact: bool = False
    note: str = ""


def _own_checkins(request: HttpRequest) -> QuerySet[WellbeingCheckIn]:
    if not may_check_in(request.auth):
        raise HttpError(403, _("Cek kesejahteraan hanya untuk pendamping."))
    return own_checkins(request.auth).prefetch_related("alerted")


@router.get(
    "/wellbeing/mine",
    response=list[CheckInOut],
    summary="Cek kesejahteraan saya (hanya milik sendiri)",
)
@paginate
def my_checkins(request: HttpRequest):
    return _own_checkins(request)


@router.post(
    "/wellbeing",
    response={201: CheckInOut, 403: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Isi cek kesejahteraan (aman dikirim ulang dengan UUID yang sama)",
)
def create_checkin(request: HttpRequest, payload: CheckInIn):
    """Sending the same UUID again creates nothing and answers as the first time."""
    try:
        checkin, _created = record_checkin(
            person=request.auth,
            uuid=payload.uuid,
            feeling=payload.feeling,
            threatened=payload.threatened,
            wants_contact=payload.wants_contact,
            note=payload.note,
        )
    except _PermissionDenied as refused:
        message = str(refused) or _("Cek kesejahteraan hanya untuk pendamping.")
        return Status(403, {"detail": message, "errors": {}})
    except ValidationError as error:
        return _create_refusal(error)
    return Status(201, _own_checkins(request).get(pk=checkin.pk))


@router.delete(
    "/wellbeing/{uuid:checkin_uuid}",
    response={204: None},
    summary="Hapus cek kesejahteraan saya untuk selamanya",
)
def remove_checkin(request: HttpRequest, checkin_uuid: uuid_module.UUID):
    checkin = _own_checkins(request).filter(uuid=checkin_uuid).first()
    if checkin is None:
        raise HttpError(404, _("Cek kesejahteraan ini tidak ditemukan."))
    delete_checkin(checkin=checkin, person=request.auth)
    return Status(204, None)


# --- Annual reflection (issue 10) -------------------------------------------
#
# Sessions and their attendance for the staff who may open them; the
# signed-in companion's own reflections (created and changed by the UUID the
# client made, so an offline phone can send one twice safely) and the
# refresher modules assigned to them. Rules: `mentorship.reflection`.

from django.db.models import Count as _Count  # noqa: E402
from django.utils import timezone as _timezone  # noqa: E402

from learning.models import User as _User  # noqa: E402

from .choices import Obstacle, ReferralPartner  # noqa: E402
from .models import Reflection, ReflectionSession  # noqa: E402
from .reflection import (  # noqa: E402
    AttendanceError,
    ReflectionExists,
    ReflectionInput,
    change_reflection,
    is_invited,
    open_refreshers_for,
    record_attendance,
    record_reflection,
    sessions_to_fill,
    sessions_visible_to,
)


class SessionPersonOut(Schema):
    id: int
    username: str
    name: str

    @staticmethod
    def resolve_name(person) -> str:
        return person.display_name


class SessionOut(Schema):
    id: int
    programme: str
    organisation: str
    year: int
    start_date: datetime.date
    end_date: datetime.date
    place: str = Field(description="Kode wilayah desa atau kecamatan")
    place_label: str
    venue: str
    facilitators: list[SessionPersonOut]
    attendees: list[SessionPersonOut]
    attendance: int
    reflections: int

    @staticmethod
    def resolve_programme(session) -> str:
        return str(session.programme)

    @staticmethod
    def resolve_organisation(session) -> str:
        return str(session.organisation)

    @staticmethod
    def resolve_place(session) -> str:
        return session.place.code

    @staticmethod
    def resolve_place_label(session) -> str:
        return session.place.label

    @staticmethod
    def resolve_facilitators(session) -> list:
        return list(session.facilitators.all())

    @staticmethod
    def resolve_attendees(session) -> list:
        return list(session.attendees.all())

    @staticmethod
    def resolve_attendance(session) -> int:
        return len(session.attendees.all())

    @staticmethod
    def resolve_reflections(session) -> int:
        return session.reflection_count


class InvitationOut(Schema):
    id: int
    programme: str
    start_date: datetime.date
    end_date: datetime.date
    place_label: str
    venue: str

    @staticmethod
    def resolve_programme(session) -> str:
        return str(session.programme)

    @staticmethod
    def resolve_place_label(session) -> str:
        return session.place.label


class SessionAttendanceIn(Schema):
    person_ids: list[Id] = Field(..., max_length=500)


class CaseCountIO(Schema):
    type: str = Field(..., description=_codes(ViolenceType))
    path: str = Field(..., description=_codes(CasePath))
    count: Number


class ObstacleIO(Schema):
    category: str = Field(..., description=_codes(Obstacle))
    text: str = ""


class ReflectionContentIn(Schema):
    case_counts: list[CaseCountIO] = []
    partners: list[str] = Field([], description=_codes(ReferralPartner))
    obstacles: list[ObstacleIO] = []
    support_needed: str = ""
    learning_needs: str = ""


class ReflectionIn(ReflectionContentIn):
    uuid: uuid_module.UUID = Field(
        ..., description="Dibuat oleh aplikasi; mengirim ulang UUID yang sama aman."
    )
    session_id: Id


class ReflectionOut(Schema):
    uuid: uuid_module.UUID
    session_id: int
    case_counts: list[CaseCountIO]
    partners: list[str]
    obstacles: list[ObstacleIO]
    support_needed: str
    learning_needs: str
    entered_by: str | None
    updated_at: datetime.datetime

    @staticmethod
    def resolve_entered_by(reflection) -> str | None:
        person = reflection.entered_by
        return person.display_name if person else None


class ReflectionConflictOut(ErrorOut):
    existing_uuid: uuid_module.UUID
    link: str


class RefresherOut(Schema):
    module_id: int
    title: str
    url: str | None
    session_id: int
    assigned_at: datetime.datetime

    @staticmethod
    def resolve_title(assignment) -> str:
        return assignment.module.title

    @staticmethod
    def resolve_url(assignment, context) -> str | None:
        return assignment.module.get_url(context["request"])


def _sessions_with_details(sessions):
    return (
        sessions.select_related("programme", "organisation", "place")
        .prefetch_related("facilitators", "attendees")
        .annotate(reflection_count=_Count("reflections", distinct=True))
    )


@router.get(
    "/reflection/sessions",
    response=list[SessionOut],
    summary="Sesi refleksi tahunan yang dapat saya buka, dengan kehadirannya",
)
@paginate
def reflection_sessions(request: HttpRequest, year: Year | None = None):
    sessions = sessions_visible_to(request.auth)
    if year is not None:
        sessions = sessions.filter(year=year)
    return _sessions_with_details(sessions).order_by("-start_date", "pk")


@router.post(
    "/reflection/sessions/{session_id}/attendance",
    response={200: SessionOut, 422: ErrorOut},
    summary="Catat kehadiran di sesi refleksi (semua atau tidak sama sekali)",
)
def reflection_attendance(
    request: HttpRequest, session_id: Id, payload: SessionAttendanceIn
):
    session = sessions_visible_to(request.auth).filter(pk=session_id).first()
    if session is None:
        raise HttpError(404, _("Sesi refleksi ini tidak ditemukan."))
    wanted = set(payload.person_ids)
    people = list(_User.objects.filter(pk__in=wanted))
    try:
        if len(people) != len(wanted):
            raise AttendanceError(_("Sebagian peserta yang dipilih tidak dikenal."))
        record_attendance(session=session, people=people, by=request.auth)
    except AttendanceError as error:
        message = str(error)
        return Status(422, {"detail": message, "errors": {"person_ids": [message]}})
    fresh = ReflectionSession.objects.filter(pk=session.pk)
    return Status(200, _sessions_with_details(fresh).get())


@router.get(
    "/reflection/mine",
    response=list[ReflectionOut],
    summary="Refleksi tahunan saya",
)
def my_reflections(request: HttpRequest):
    return list(
        Reflection.objects.filter(person=request.auth)
        .select_related("entered_by")
        .order_by("-created_at", "pk")
    )


@router.get(
    "/reflection/mine/sessions",
    response=list[InvitationOut],
    summary="Sesi refleksi yang mengundang saya dan belum selesai",
)
def my_reflection_sessions(request: HttpRequest):
    return list(sessions_to_fill(request.auth).select_related("programme", "place"))


def _reflection_input(payload: ReflectionContentIn) -> ReflectionInput:
    return ReflectionInput(
        case_counts=[item.dict() for item in payload.case_counts],
        partners=payload.partners,
        obstacles=[item.dict() for item in payload.obstacles],
        support_needed=payload.support_needed,
        learning_needs=payload.learning_needs,
    )


def _open_session(request: HttpRequest, session_id: int) -> ReflectionSession:
    """The session, if I am invited and it is not over; else 404 or 409."""
    session = ReflectionSession.objects.filter(pk=session_id).first()
    if session is None or not is_invited(request.auth, session):
        raise HttpError(404, _("Sesi refleksi ini tidak ditemukan."))
    if session.end_date < _timezone.localdate():
        message = _("Sesi ini sudah selesai; refleksinya tidak dapat diubah lagi.")
        raise _Refused(409, {"detail": message, "errors": {}})
    return session


def _reflection_out(reflection: Reflection) -> Reflection:
    return Reflection.objects.select_related("entered_by").get(pk=reflection.pk)


@router.post(
    "/reflection/mine",
    response={
        201: ReflectionOut,
        409: ReflectionConflictOut | ErrorOut,
        422: ErrorOut,
    },
    summary="Isi refleksi saya (aman dikirim ulang dengan UUID yang sama)",
)
def create_my_reflection(request: HttpRequest, payload: ReflectionIn):
    """201 with the reflection, for the first request and for every repeat of
    its UUID (a repeat changes nothing: change it with PUT).

    A second UUID for a session I already reflected on is 409, with the
    existing reflection's UUID and link.
    """
    try:
        session = _open_session(request, payload.session_id)
        reflection, _created = record_reflection(
            person=request.auth,
            session=session,
            uuid=payload.uuid,
            data=_reflection_input(payload),
            entered_by=request.auth,
        )
    except _Refused as refused:
        return Status(refused.status, refused.body)
    except ReflectionExists as error:
        body = _refused(error)
        return Status(
            409, {**body, "existing_uuid": error.existing.uuid, "link": error.link}
        )
    except ValidationError as error:
        return _create_refusal(error)
    return Status(201, _reflection_out(reflection))


@router.put(
    "/reflection/mine/{uuid:reflection_uuid}",
    response={200: ReflectionOut, 409: ErrorOut, 422: ErrorOut},
    summary="Ubah refleksi saya (aman diulang)",
)
def change_my_reflection(
    request: HttpRequest,
    reflection_uuid: uuid_module.UUID,
    payload: ReflectionContentIn,
):
    reflection = (
        Reflection.objects.filter(person=request.auth, uuid=reflection_uuid)
        .select_related("person", "session")
        .first()
    )
    if reflection is None:
        raise HttpError(404, _("Refleksi ini tidak ditemukan."))
    try:
        _open_session(request, reflection.session_id)
        reflection = change_reflection(
            reflection=reflection,
            data=_reflection_input(payload),
            entered_by=request.auth,
        )
    except _Refused as refused:
        return Status(refused.status, refused.body)
    except ValidationError as error:
        return _change_refusal(error)
    return Status(200, _reflection_out(reflection))


@router.get(
    "/refreshers/mine",
    response=list[RefresherOut],
    summary="Modul penyegaran yang ditugaskan kepada saya dan belum selesai",
)
def my_refreshers(request: HttpRequest):
    return open_refreshers_for(request.auth)
