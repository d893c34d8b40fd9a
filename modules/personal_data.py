"""The person's learning records for "Unduh data saya" (`learning.personal_data`)."""

from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

from learning.models import User
from learning.personal_data import CHUNK, PersonalDataKind, when

from .models import LessonProgress, ModuleCompletion, ReflectionAnswer


def _progress(person: User) -> Iterable[dict]:
    completions = (
        ModuleCompletion.objects.filter(user=person)
        .select_related("module")
        .order_by("completed_at", "pk")
    )
    for completion in completions.iterator(chunk_size=CHUNK):
        yield {
            "jenis": "modul",
            "judul": completion.module.title,
            "selesai": when(completion.completed_at),
        }
    lessons = (
        LessonProgress.objects.filter(user=person)
        .select_related("lesson")
        .order_by("completed_at", "pk")
    )
    for progress in lessons.iterator(chunk_size=CHUNK):
        yield {
            "jenis": "pelajaran",
            "judul": progress.lesson.title,
            "selesai": when(progress.completed_at),
            "lewat": progress.via,
        }


def _lesson_reflections(person: User) -> Iterable[dict]:
    answers = (
        ReflectionAnswer.objects.filter(user=person)
        .select_related("lesson")
        .order_by("updated_at", "pk")
    )
    for answer in answers.iterator(chunk_size=CHUNK):
        yield {
            "pelajaran": answer.lesson.title,
            "pertanyaan": answer.prompt_id,
            "jawaban": answer.text,
            "diubah": when(answer.updated_at),
        }


KINDS = [
    PersonalDataKind(
        "kemajuan_belajar.json",
        _("Modul dan pelajaran yang sudah kamu selesaikan, dengan waktunya."),
        _progress,
    ),
    PersonalDataKind(
        "refleksi_pelajaran.json",
        _("Jawabanmu pada pertanyaan refleksi di dalam pelajaran."),
        _lesson_reflections,
    ),
]
