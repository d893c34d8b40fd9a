"""Competence assessments: who may judge whom, on what evidence.

Evidence is a link to any record of a registered kind. This app registers
quiz sittings and workshop attendance; the magang and practice-case work
registers its own kinds the same way (in its `apps.py`), without this module
importing it. Each kind says which of a trainee's records it offers (the same
rule decides what the form offers and what a save accepts), how one record is
described, and, optionally, which records suggest themselves for a competency.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from learning import audit
from learning.choices import AuditAction, Role
from learning.models import User
from learning.scope import is_active_staff, people_visible_to

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
    """A kind of record that can back a competence assessment.

    `offered(trainee)` is the one rule for which records of this kind may back
    a judgement of `trainee`: the form offers exactly these and a save accepts
    nothing else. `describe(record)` says what a record is, in a line, wherever
    evidence is shown; `related` names the foreign keys it reads, fetched with
    the records. `suggests(record, competency)` marks records that speak to a
    competency (a practice case where it was ticked). `observed` kinds take the
    assessor's note of what was observed.
    """

    model: type[models.Model]
    label: str
    offered: Callable[[User], models.QuerySet]
    describe: Callable[[models.Model], str]
    related: Sequence[str] = ()
    prefetch: Sequence[str] = ()
    suggests: Callable[[models.Model, Competency], bool] | None = None
    observed: bool = False

    @property
    def key(self) -> str:
        """E.g. "assessments.sitting": the kind's name in forms and the API."""
        return self.model._meta.label_lower

    def offer(self, trainee: User) -> models.QuerySet:
        """`trainee`'s records of this kind, with what describing them reads."""
        queryset = self.offered(trainee)
        if self.related:
            queryset = queryset.select_related(*self.related)
        if self.prefetch:
            queryset = queryset.prefetch_related(*self.prefetch)
        return queryset

    def belongs_to(self, trainee: User, record: models.Model) -> bool:
        return self.offered(trainee).filter(pk=record.pk).exists()

    def is_suggested(self, record: models.Model, competency: Competency | None) -> bool:
        return bool(competency and self.suggests and self.suggests(record, competency))


_kinds: dict[str, EvidenceKind] = {}


def register_evidence_kind(
    model: type[models.Model],
    *,
    label: str,
    offered: Callable[[User], models.QuerySet],
    describe: Callable[[models.Model], str],
    related: Sequence[str] = (),
    prefetch: Sequence[str] = (),
    suggests: Callable[[models.Model, Competency], bool] | None = None,
    observed: bool = False,
) -> None:
    """Let the records `offered(trainee)` of `model` back an assessment."""
    kind = EvidenceKind(
        model=model,
        label=label,
        offered=offered,
        describe=describe,
        related=tuple(related),
        prefetch=tuple(prefetch),
        suggests=suggests,
        observed=observed,
    )
    _kinds[kind.key] = kind


def evidence_kind(record: models.Model) -> EvidenceKind | None:
    return _kinds.get(record._meta.label_lower)


def evidence_kind_named(name: str) -> EvidenceKind | None:
    """The registered kind called `name` ("assessments.sitting"), or None."""
    return _kinds.get(str(name).lower())


def evidence_kinds() -> list[EvidenceKind]:
    return list(_kinds.values())


def describe_evidence(rows: Iterable[Evidence]) -> None:
    """Give each evidence row a `label` saying what it is ("Kuis Modul 1: 80%…").

    One query per kind present, whatever the number of rows. A record that is
    gone, or of a kind no longer registered, is named by its kind only.
    """
    rows = list(rows)
    wanted: dict[int, set[int]] = defaultdict(set)
    for row in rows:
        wanted[row.content_type_id].add(row.object_id)
    found: dict[tuple[int, int], str] = {}
    kinds: dict[int, EvidenceKind | None] = {}
    for content_type_id, ids in wanted.items():
        content_type = ContentType.objects.get_for_id(content_type_id)
        model = content_type.model_class()
        kind = _kinds.get(model._meta.label_lower) if model else None
        kinds[content_type_id] = kind
        if kind is None:
            continue
        records = kind.model._default_manager.filter(pk__in=ids)
        if kind.related:
            records = records.select_related(*kind.related)
        for record in records:
            found[(content_type_id, record.pk)] = kind.describe(record)
    for row in rows:
        label = found.get((row.content_type_id, row.object_id))
        if label is None:
            kind = kinds.get(row.content_type_id)
            label = _("%(kind)s (catatan tidak ada lagi)") % {
                "kind": kind.label if kind else _("Bukti")
            }
        row.label = label


def day_label(day: datetime.date) -> str:
    """A day as evidence names it: "14 Maret 2026" (in the active language)."""
    return date_format(day, "j F Y")


def describe_sitting(sitting: Sitting) -> str:
    """ "Kuis Modul 1: 80%, lulus (percobaan 2, 3 Maret 2026)"."""
    if sitting.status == SittingStatus.AWAITING_MARKING or sitting.percent is None:
        result = _("menunggu penilaian esai")
    elif sitting.passed:
        result = _("%(percent)s%%, lulus") % {"percent": sitting.percent}
    else:
        result = _("%(percent)s%%, belum lulus") % {"percent": sitting.percent}
    when = sitting.finished_at or sitting.started_at
    return _("%(quiz)s: %(result)s (percobaan %(attempt)s, %(day)s)") % {
        "quiz": sitting.quiz.title,
        "result": result,
        "attempt": sitting.attempt,
        "day": day_label(timezone.localtime(when).date()),
    }


def describe_attendance(attendance: Attendance) -> str:
    """ "Pelatihan dasar paralegal, hadir 12 Februari 2026"."""
    return _("%(event)s, hadir %(day)s") % {
        "event": attendance.event.title,
        "day": day_label(attendance.day),
    }


register_evidence_kind(
    Sitting,
    label=gettext_lazy("Kuis"),
    offered=lambda trainee: (
        Sitting.objects.filter(user=trainee)
        .exclude(status=SittingStatus.IN_PROGRESS)
        .order_by("-started_at", "-pk")
    ),
    describe=describe_sitting,
    related=("quiz",),
)
register_evidence_kind(
    Attendance,
    label=gettext_lazy("Hadir di pelatihan tatap muka"),
    offered=lambda trainee: Attendance.objects.filter(trainee=trainee).order_by(
        "-day", "-pk"
    ),
    describe=describe_attendance,
    related=("event",),
    observed=True,
)


def people_assessable_by(assessor: User) -> models.QuerySet[User]:
    """Whom `assessor` may judge: facilitators and coordinators judge the
    trainees and alumni in their scope (the one scope rule), never themselves
    nor the colleagues and coordinators that rule also lets them see."""
    if not is_active_staff(assessor):
        return User.objects.none()
    return (
        people_visible_to(assessor)
        .exclude(pk=assessor.pk)
        .filter(
            pk__in=User.objects.filter(
                groups__name__in=[Role.PESERTA, Role.ALUMNI]
            ).values("pk")
        )
    )


def can_assess(assessor: User, trainee: User) -> bool:
    """May `assessor` judge `trainee`? The rule of `people_assessable_by`."""
    return people_assessable_by(assessor).filter(pk=trainee.pk).exists()


def assessable_among(assessor: User, trainees: Iterable[User]) -> set[int]:
    """The ids of those `trainees` whom `assessor` may judge, in one query."""
    ids = [trainee.pk for trainee in trainees]
    if not ids:
        return set()
    return set(
        people_assessable_by(assessor).filter(pk__in=ids).values_list("pk", flat=True)
    )


# A second identical save this soon after the first is the same click twice.
REPEAT_WINDOW = datetime.timedelta(minutes=10)
# No judgement is dated before this day (a mistyped year 0001 or 1970).
EARLIEST_ASSESSMENT = datetime.date(2000, 1, 1)


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
    """Add a judgement (earlier ones stay) with the records it rests on.

    Every record must be one its kind offers for `trainee`. The same judgement
    sent twice within a few minutes (a double click, a re-sent form) is
    recorded once, and both get it back.
    """
    if level not in CompetenceLevel.values:
        raise CompetenceError(
            _("Pilih tingkat: belum kompeten, berkembang atau kompeten.")
        )
    assessed_on = assessed_on or timezone.localdate()
    if assessed_on > timezone.localdate():
        raise CompetenceError(_("Tanggal penilaian tidak boleh di masa depan."))
    if assessed_on < EARLIEST_ASSESSMENT:
        raise CompetenceError(
            _("Tanggal penilaian tidak boleh sebelum %(day)s.")
            % {"day": day_label(EARLIEST_ASSESSMENT)}
        )
    # The same record ticked twice (a repeated form value, an API list) is
    # one piece of evidence.
    evidence = list(
        {
            (record._meta.label_lower, record.pk): (record, note)
            for record, note in evidence
        }.values()
    )
    comment = comment.strip()
    # PostgreSQL cannot store a NUL character: refused here, not a 500 there.
    if "\x00" in comment or any("\x00" in note for _record, note in evidence):
        raise CompetenceError(
            _("Catatan berisi karakter NUL (byte nol). Hapus lalu kirim lagi.")
        )
    with transaction.atomic():
        # One writer per trainee at a time, so the repeat check below holds.
        User.objects.select_for_update().filter(pk=trainee.pk).first()
        if not can_assess(assessor, trainee):
            raise CompetenceError(_("Kamu tidak dapat menilai orang ini."))
        for record, _note in evidence:
            kind = evidence_kind(record)
            if kind is None:
                raise CompetenceError(_("Jenis bukti ini tidak dikenal."))
            if not kind.belongs_to(trainee, record):
                raise CompetenceError(
                    _(
                        "Salah satu bukti bukan milik %(name)s, atau belum "
                        "diverifikasi atau ditinjau. Tidak ada yang disimpan."
                    )
                    % {"name": trainee.display_name}
                )
        repeat = CompetenceAssessment.objects.filter(
            trainee=trainee,
            competency=competency,
            assessor=assessor,
            level=level,
            assessed_on=assessed_on,
            comment=comment,
            recorded_at__gte=timezone.now() - REPEAT_WINDOW,
        ).first()
        if repeat is not None:
            return repeat
        assessment = CompetenceAssessment.objects.create(
            trainee=trainee,
            competency=competency,
            level=level,
            assessed_on=assessed_on,
            comment=comment,
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
        audit.record(
            AuditAction.COMPETENCE_ASSESSED,
            actor=assessor,
            target=assessment,
            target_label=f"Kompetensi: {competency.name}",
            subject=trainee,
            programme=audit.programme_of(trainee),
            detail={"level": level, "evidence": len(evidence)},
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
