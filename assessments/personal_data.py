"""The person's quiz papers, competence assessments, workshop attendance and
certificates for "Unduh data saya" (`learning.personal_data`)."""

from collections.abc import Iterable

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from learning.models import User
from learning.personal_data import CHUNK, PersonalDataKind, name_of, when

from .models import (
    Attendance,
    Certificate,
    CompetenceAssessment,
    Sitting,
    SittingQuestion,
)


def _number(value) -> str | None:
    return None if value is None else str(value)


def _question(item: SittingQuestion) -> dict:
    # The question as the person saw it, with what they answered and its
    # mark; never the options' weights (a graded quiz's answer key).
    snapshot = item.snapshot or {}
    options = {
        option.get("id"): option.get("text") for option in snapshot.get("options", [])
    }
    answer = getattr(item, "answer", None)
    return {
        "nomor": item.position,
        "pertanyaan": snapshot.get("text", ""),
        "pilihan": list(options.values()),
        "jawabanmu": (
            {
                "pilihan": [
                    options.get(str(chosen), "") for chosen in answer.chosen or []
                ],
                "esai": answer.text,
                "nilai": _number(answer.mark),
                "komentar": answer.comment,
                "dinilai_oleh": name_of(answer.marked_by),
                "dijawab": when(answer.answered_at),
            }
            if answer is not None
            else None
        ),
    }


def _sittings(person: User) -> Iterable[dict]:
    sittings = (
        Sitting.objects.filter(user=person)
        .select_related("quiz")
        .prefetch_related(
            Prefetch(
                "questions",
                queryset=SittingQuestion.objects.select_related(
                    "answer__marked_by"
                ).order_by("position"),
            )
        )
        .order_by("started_at", "pk")
    )
    for sitting in sittings.iterator(chunk_size=CHUNK):
        yield {
            "kuis": sitting.quiz.title,
            "percobaan_ke": sitting.attempt,
            "status": sitting.get_status_display(),
            "mulai": when(sitting.started_at),
            "selesai": when(sitting.finished_at),
            "nilai": _number(sitting.score),
            "nilai_maksimal": _number(sitting.max_score),
            "persen": sitting.percent,
            "lulus": sitting.passed,
            "soal": [_question(item) for item in sitting.questions.all()],
        }


def _competence(person: User) -> Iterable[dict]:
    assessments = (
        CompetenceAssessment.objects.filter(trainee=person)
        .select_related("competency", "assessor")
        .prefetch_related("evidence")
        .order_by("assessed_on", "pk")
    )
    for assessment in assessments.iterator(chunk_size=CHUNK):
        yield {
            "kompetensi": assessment.competency.name,
            "tingkat": assessment.get_level_display(),
            "tanggal": when(assessment.assessed_on),
            "komentar": assessment.comment,
            "penilai": name_of(assessment.assessor),
            "pengamatan": [
                evidence.note for evidence in assessment.evidence.all() if evidence.note
            ],
        }


def _attendance(person: User) -> Iterable[dict]:
    days = (
        Attendance.objects.filter(trainee=person)
        .select_related("event")
        .order_by("day", "pk")
    )
    for attendance in days.iterator(chunk_size=CHUNK):
        yield {"pelatihan": attendance.event.title, "hari": when(attendance.day)}


def _certificates(person: User) -> Iterable[dict]:
    certificates = Certificate.objects.filter(holder=person).order_by("issued_on", "pk")
    for certificate in certificates.iterator(chunk_size=CHUNK):
        yield {
            "kode": certificate.code,
            "nama_pada_sertifikat": certificate.holder_name,
            "program": certificate.programme_name,
            "lembaga_penerbit": certificate.organisation_names,
            "pelatihan_mulai": when(certificate.training_started_on),
            "pelatihan_selesai": when(certificate.training_ended_on),
            "terbit": when(certificate.issued_on),
            "berlaku_sampai": when(certificate.valid_until),
            "dasar_penerbitan": certificate.basis,
            "penanda_tangan": certificate.signatories,
            "dicabut": when(certificate.revoked_at),
            "alasan_pencabutan": certificate.revocation_reason,
        }


KINDS = [
    PersonalDataKind(
        "kuis.json",
        _(
            "Setiap kuis yang kamu kerjakan: soal seperti yang kamu lihat, "
            "jawabanmu, nilai, dan komentar fasilitator."
        ),
        _sittings,
    ),
    PersonalDataKind(
        "penilaian_kompetensi.json",
        _("Penilaian kompetensimu oleh fasilitator, dengan tingkat dan komentarnya."),
        _competence,
    ),
    PersonalDataKind(
        "kehadiran_pelatihan.json",
        _("Hari-hari pelatihan tatap muka yang kamu hadiri."),
        _attendance,
    ),
    PersonalDataKind(
        "sertifikat.json",
        _("Sertifikat yang diterbitkan untukmu, termasuk yang dicabut."),
        _certificates,
    ),
]
