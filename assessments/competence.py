"""Competence assessments: who may judge whom, on what evidence.

Evidence is a link to any record of a registered kind. This app registers
quiz sittings and workshop attendance; the magang and practice-case work
registers its own kinds the same way, without changing this module.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from learning.models import User
from learning.scope import can_see_person, is_active_staff

from .choices import CompetenceLevel, SittingStatus
from .models import (
    Attendance,
    CompetenceAssessment,
    Competency,
    Evidence,
    Sitting,
)


class CompetenceError(Exception):
    """A judgement the rules refuse; the message is for the facilitator."""


@dataclass(frozen=True)
class EvidenceKind:
    model: type[models.Model]
    label: str
    belongs_to: Callable[[User, models.Model], bool]


_kinds: dict[str, EvidenceKind] = {}


def register_evidence_kind(
    model: type[models.Model], *, label: str, belongs_to: Callable[[User, object], bool]
) -> None:
    """Let a record of `model` back an assessment when `belongs_to(trainee, record)`."""
    _kinds[model._meta.label_lower] = EvidenceKind(model, label, belongs_to)


def evidence_kind(record: models.Model) -> EvidenceKind | None:
    return _kinds.get(record._meta.label_lower)


def evidence_kinds() -> list[EvidenceKind]:
    return list(_kinds.values())


register_evidence_kind(
    Sitting,
    label=gettext_lazy("Kuis"),
    belongs_to=lambda trainee, sitting: (
        sitting.user_id == trainee.pk and sitting.status != SittingStatus.IN_PROGRESS
    ),
)
register_evidence_kind(
    Attendance,
    label=gettext_lazy("Pengamatan di pelatihan tatap muka"),
    belongs_to=lambda trainee, attendance: attendance.trainee_id == trainee.pk,
)


def can_assess(assessor: User, trainee: User) -> bool:
    """Facilitators and coordinators judge the trainees in their scope."""
    if not is_active_staff(assessor) or assessor.pk == trainee.pk:
        return False
    return can_see_person(assessor, trainee)


def record_assessment(
    *,
    assessor: User,
    trainee: User,
    competency: Competency,
    level: str,
    assessed_on: datetime.date | None = None,
    comment: str = "",
    evidence: Iterable[tuple[models.Model, str]] = (),
) -> CompetenceAssessment:
    """Add a judgement (earlier ones stay) with the records it rests on."""
    if not can_assess(assessor, trainee):
        raise CompetenceError(_("Kamu tidak dapat menilai orang ini."))
    if level not in CompetenceLevel.values:
        raise CompetenceError(
            _("Pilih tingkat: belum kompeten, berkembang atau kompeten.")
        )
    assessed_on = assessed_on or timezone.localdate()
    if assessed_on > timezone.localdate():
        raise CompetenceError(_("Tanggal penilaian tidak boleh di masa depan."))
    evidence = list(evidence)
    for record, _note in evidence:
        kind = evidence_kind(record)
        if kind is None:
            raise CompetenceError(_("Jenis bukti ini tidak dikenal."))
        if not kind.belongs_to(trainee, record):
            raise CompetenceError(
                _("Bukti %(record)s bukan milik %(name)s.")
                % {"record": record, "name": trainee.display_name}
            )
    with transaction.atomic():
        assessment = CompetenceAssessment.objects.create(
            trainee=trainee,
            competency=competency,
            level=level,
            assessed_on=assessed_on,
            comment=comment.strip(),
            assessor=assessor,
        )
        Evidence.objects.bulk_create(
            Evidence(
                assessment=assessment,
                content_type=ContentType.objects.get_for_model(record),
                object_id=record.pk,
                note=note.strip(),
            )
            for record, note in evidence
        )
    return assessment


def latest_assessments(
    *, trainees: Iterable[User], competencies: Iterable[Competency]
) -> dict[tuple[int, int], CompetenceAssessment]:
    """The latest judgement per (trainee id, competency id), in one query."""
    latest: dict[tuple[int, int], CompetenceAssessment] = {}
    rows = CompetenceAssessment.objects.filter(
        trainee__in=list(trainees), competency__in=list(competencies)
    ).order_by("assessed_on", "recorded_at")
    for assessment in rows:
        latest[(assessment.trainee_id, assessment.competency_id)] = assessment
    return latest
