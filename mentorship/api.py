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
from ninja.pagination import paginate

from assessments.models import Competency
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
    placement_id: int
    date: datetime.date
    start_time: datetime.time | None = None
    end_time: datetime.time | None = None
    minutes: int | None = Field(
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
    placement: int | None = None,
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
        body = _refused(error)
        # A UUID already on someone else's entry is a conflict, not bad input.
        return Status(409 if "uuid" in body["errors"] else 422, body)
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
        body = _refused(error)
        # Field errors are bad input; an error about the entry itself means
        # it is locked (submitted or verified) and cannot change now.
        return Status(422 if body["errors"] else 409, body)
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
    placement_id: int
    violence_types: list[str] = Field(
        ..., description="Satu atau lebih: " + _codes(ViolenceType)
    )
    victim_sex: str = Field(..., description=_codes(VictimSex))
    victim_age_group: str = Field(..., description=_codes(AgeGroup))
    victim_disability: bool | None = None
    perpetrator_relation: str = Field(..., description=_codes(Relation))
    perpetrator_age: str = Field(..., description=_codes(PerpetratorAge))
    incident_place: str = Field(..., description=_codes(IncidentPlace))
    month: int = Field(..., description="1–12; tanpa tanggal.")
    year: int
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
    competency_ids: list[int] = Field([], max_length=50)


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
        body = _refused(error)
        return Status(409 if "uuid" in body["errors"] else 422, body)
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
        body = _refused(error)
        # Field errors are bad input; an error about the case itself means it
        # is locked (submitted or reviewed).
        return Status(422 if body["errors"] else 409, body)
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
        body = _refused(error)
        # Without field errors, the case is not waiting for review (409).
        return Status(422 if body["errors"] else 409, body)
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
