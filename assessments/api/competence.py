"""Competence in the JSON API: profiles, recording an assessment, attendance."""

import datetime

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from ninja import Field, Router, Schema
from ninja.errors import HttpError

from learning.api_errors import ErrorOut
from learning.bounds import Id
from learning.models import User
from learning.scope import can_see_person

from ..competence import (
    CompetenceError,
    evidence_kind_named,
    latest_assessments,
    record_assessment,
)
from ..events import AttendanceError, events_managed_by, save_day_attendance
from ..models import Competency

router = Router(tags=["kompetensi"])

# More records than any judgement rests on: each is checked by its own query.
MAX_EVIDENCE = 200


class LevelOut(Schema):
    competency_id: int
    competency: str
    level: str | None
    level_label: str | None
    assessed_on: datetime.date | None
    comment: str
    modules: list[str]


class CompetenceProfileOut(Schema):
    person: str
    competencies: list[LevelOut]


class EvidenceIn(Schema):
    kind: str  # e.g. "assessments.sitting", "assessments.attendance"
    id: Id
    note: str = ""


class AssessmentIn(Schema):
    trainee_id: Id
    competency_id: Id
    level: str
    assessed_on: datetime.date | None = None
    comment: str = ""
    evidence: list[EvidenceIn] = Field([], max_length=MAX_EVIDENCE)


class AssessmentOut(Schema):
    id: int
    trainee_id: int
    competency_id: int
    level: str
    assessed_on: datetime.date
    evidence: int


def _profile(person: User) -> dict:
    competencies = list(Competency.objects.prefetch_related("modules"))
    latest = latest_assessments(trainees=[person], competencies=competencies)
    rows = []
    for competency in competencies:
        assessment = latest.get((person.pk, competency.pk))
        rows.append(
            {
                "competency_id": competency.pk,
                "competency": competency.name,
                "level": assessment.level if assessment else None,
                "level_label": assessment.get_level_display() if assessment else None,
                "assessed_on": assessment.assessed_on if assessment else None,
                "comment": assessment.comment if assessment else "",
                "modules": [module.title for module in competency.modules.all()],
            }
        )
    return {"person": person.display_name, "competencies": rows}


@router.get("/me", response=CompetenceProfileOut, summary="Profil kompetensi pengguna")
def my_profile(request: HttpRequest):
    return _profile(request.auth)


@router.get(
    "/people/{person_id}",
    response=CompetenceProfileOut,
    summary="Profil kompetensi seseorang",
)
def person_profile(request: HttpRequest, person_id: Id):
    person = get_object_or_404(User, pk=person_id)
    if not can_see_person(request.auth, person):
        raise Http404
    return _profile(person)


@router.post(
    "/assessments",
    response={200: AssessmentOut, 404: ErrorOut},
    summary="Catat penilaian kompetensi",
)
def add_assessment(request: HttpRequest, payload: AssessmentIn):
    trainee = User.objects.filter(pk=payload.trainee_id).first()
    if trainee is None or not can_see_person(request.auth, trainee):
        raise Http404
    competency = get_object_or_404(Competency, pk=payload.competency_id)
    evidence = []
    for item in payload.evidence:
        kind = evidence_kind_named(item.kind)
        if kind is None:
            raise HttpError(422, _("Jenis bukti ini tidak dikenal."))
        # Only the kind's own records, and judged by the one rule below: a
        # missing id and another person's record get the same answer.
        evidence.append((kind.model(pk=item.id), item.note))
    try:
        assessment = record_assessment(
            assessor=request.auth,
            trainee=trainee,
            competency=competency,
            level=payload.level,
            assessed_on=payload.assessed_on,
            comment=payload.comment,
            evidence=evidence,
        )
    except CompetenceError as error:
        raise HttpError(409, str(error)) from error
    return {
        "id": assessment.pk,
        "trainee_id": trainee.pk,
        "competency_id": competency.pk,
        "level": assessment.level,
        "assessed_on": assessment.assessed_on,
        "evidence": assessment.evidence.count(),
    }


class EventAttendanceIn(Schema):
    day: datetime.date
    trainee_ids: list[Id] = Field(..., max_length=500)
    present: bool = True
    absent_ids: list[Id] = Field(
        [],
        max_length=500,
        description="Yang tadi tercatat hadir lalu dihapus tandanya (halaman "
        "kehadiran di ponsel): tidak hadir. Yang tidak disebut tetap seperti "
        "semula, jadi dua fasilitator tidak saling menghapus.",
    )


class AttendanceOut(Schema):
    event_id: int
    day: datetime.date
    changed: int


class AttendanceRefusalOut(Schema):
    detail: str
    errors: dict[str, list[str]] = {}


@router.post(
    "/events/{event_id}/attendance",
    response={
        200: AttendanceOut,
        404: AttendanceRefusalOut,
        409: AttendanceRefusalOut,
        422: AttendanceRefusalOut,
    },
    summary="Catat kehadiran satu hari pelatihan (aman diulang)",
)
def event_attendance(request: HttpRequest, event_id: Id, payload: EventAttendanceIn):
    """`trainee_ids` are present (with `present: false`, absent); `absent_ids`
    are absent; nobody else changes. 404: a workshop the caller may not
    change, or an unknown person; 409: the rules refuse (nothing is saved)."""
    event = get_object_or_404(events_managed_by(request.auth), pk=event_id)
    named = set(payload.trainee_ids)
    absent = set(payload.absent_ids)
    if User.objects.filter(pk__in=named | absent).count() != len(named | absent):
        raise Http404
    present = named if payload.present else set()
    if not payload.present:
        absent |= named
    try:
        changed = save_day_attendance(
            recorder=request.auth,
            event=event,
            day=payload.day,
            present_ids=present,
            absent_ids=absent,
        )
    except AttendanceError as error:
        raise HttpError(409, str(error)) from error
    return {"event_id": event.pk, "day": payload.day, "changed": changed}
