"""The annual reflection in the JSON API.

Sessions and their attendance for the staff who may open them; the
signed-in companion's own reflections (created and changed by the UUID the
client made, so an offline phone can send one twice safely) and the
refresher modules assigned to them. Rules: `mentorship.reflection`.
"""

import datetime
import uuid as uuid_module

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from learning.api_devices import SYNC_AUTH
from learning.bounds import Id, Number, Year, paginate
from learning.models import User

from ..choices import (
    CasePath,
    Obstacle,
    ReferralPartner,
    ViolenceType,
)
from ..models import (
    Reflection,
    ReflectionSession,
)
from ..reflection import (
    ReflectionExists,
    ReflectionInput,
    change_reflection,
    is_invited,
    record_reflection,
    sessions_attendance_changeable_by,
    sessions_to_fill,
    sessions_visible_to,
)
from ..reflection_attendance import AttendanceError, save_session_attendance
from ..reflection_outcomes import open_refreshers_for
from .common import (
    ErrorOut,
    Refused,
    change_refusal,
    codes,
    create_refusal,
    refused,
)

router = Router(tags=["refleksi"])


class SessionPersonOut(Schema):
    id: int
    username: str
    name: str

    @staticmethod
    def resolve_name(person) -> str:
        return person.display_name


class SessionOut(Schema):
    id: int
    name: str = Field(description="Program, tahun, tanggal dan tempat")
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
    def resolve_name(session) -> str:
        return str(session)

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
    name: str = Field(description="Program, tahun, tanggal dan tempat")
    programme: str
    start_date: datetime.date
    end_date: datetime.date
    place_label: str
    venue: str

    @staticmethod
    def resolve_name(session) -> str:
        return str(session)

    @staticmethod
    def resolve_programme(session) -> str:
        return str(session.programme)

    @staticmethod
    def resolve_place_label(session) -> str:
        return session.place.label


class SessionAttendanceIn(Schema):
    person_ids: list[Id] = Field(..., max_length=500)
    absent_ids: list[Id] = Field(
        [],
        max_length=500,
        description="Yang tadi tercatat hadir lalu dihapus tandanya (halaman "
        "kehadiran di ponsel): tidak hadir. Yang tidak disebut tetap seperti "
        "semula, jadi dua fasilitator tidak saling menghapus.",
    )
    marked_at: datetime.datetime | None = Field(
        None,
        description="Kapan fasilitator mencentang (ponsel: saat isian disimpan "
        "tanpa sinyal). Tindakan yang lebih lama daripada keputusan terakhir "
        "untuk seseorang tidak mengubah orang itu; waktu di masa depan dianggap "
        "sekarang. Kosong: sekarang.",
    )


class CaseCountIO(Schema):
    type: str = Field(..., description=codes(ViolenceType))
    path: str = Field(..., description=codes(CasePath))
    count: Number


class ObstacleIO(Schema):
    category: str = Field(..., description=codes(Obstacle))
    text: str = ""


class ReflectionContentIn(Schema):
    case_counts: list[CaseCountIO] = []
    partners: list[str] = Field([], description=codes(ReferralPartner))
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
        .annotate(reflection_count=Count("reflections", distinct=True))
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
    response={200: SessionOut, 404: ErrorOut, 422: ErrorOut},
    summary="Catat kehadiran di sesi refleksi (semua atau tidak sama sekali)",
)
def reflection_attendance(
    request: HttpRequest, session_id: Id, payload: SessionAttendanceIn
):
    """`person_ids` are present, `absent_ids` are not; nobody else changes,
    and nobody whose last decision is later than `marked_at`.
    404: a session the caller may not change; 422: the rules refuse (an
    unknown person, someone outside the cohorts, someone whose presence a
    refresher or a facilitator-entered reflection rests on): nothing is saved."""
    session = (
        sessions_attendance_changeable_by(request.auth).filter(pk=session_id).first()
    )
    if session is None:
        raise HttpError(404, _("Sesi refleksi ini tidak ditemukan."))
    wanted = set(payload.person_ids)
    absent = set(payload.absent_ids)
    try:
        known = User.objects.filter(pk__in=wanted | absent).count()
        if known != len(wanted | absent):
            raise AttendanceError(_("Sebagian peserta yang dipilih tidak dikenal."))
        save_session_attendance(
            session=session,
            present_ids=wanted,
            absent_ids=absent,
            by=request.auth,
            at=payload.marked_at,
        )
    except AttendanceError as error:
        message = str(error)
        return Status(422, {"detail": message, "errors": {"person_ids": [message]}})
    fresh = ReflectionSession.objects.filter(pk=session.pk)
    return Status(200, _sessions_with_details(fresh).get())


@router.get(
    "/reflection/mine",
    response=list[ReflectionOut],
    auth=SYNC_AUTH,
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
    auth=SYNC_AUTH,
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
    if session.end_date < timezone.localdate():
        message = _("Sesi ini sudah selesai; refleksinya tidak dapat diubah lagi.")
        raise Refused(409, {"detail": message, "errors": {}})
    return session


def _reflection_out(reflection: Reflection) -> Reflection:
    return Reflection.objects.select_related("entered_by").get(pk=reflection.pk)


@router.post(
    "/reflection/mine",
    response={
        201: ReflectionOut,
        404: ErrorOut,
        409: ReflectionConflictOut | ErrorOut,
        422: ErrorOut,
    },
    auth=SYNC_AUTH,
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
    except Refused as refusal:
        return Status(refusal.status, refusal.body)
    except ReflectionExists as error:
        body = refused(error)
        return Status(
            409, {**body, "existing_uuid": error.existing.uuid, "link": error.link}
        )
    except ValidationError as error:
        return create_refusal(error)
    return Status(201, _reflection_out(reflection))


@router.put(
    "/reflection/mine/{uuid:reflection_uuid}",
    response={200: ReflectionOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    auth=SYNC_AUTH,
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
    except Refused as refusal:
        return Status(refusal.status, refusal.body)
    except ValidationError as error:
        return change_refusal(error)
    return Status(200, _reflection_out(reflection))


@router.get(
    "/refreshers/mine",
    response=list[RefresherOut],
    summary="Modul penyegaran yang ditugaskan kepada saya dan belum selesai",
)
def my_refreshers(request: HttpRequest):
    return open_refreshers_for(request.auth)
