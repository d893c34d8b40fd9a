"""A quiz that people sat is retired, not deleted.

Every sitting is evidence of a person's learning, so `Sitting.quiz` is
`on_delete=PROTECT` and the database refuses to delete a quiz that has any.
This module says so in words before the admin tries: how many results the
quiz has, and to mark it a draft instead. A draft is hidden from trainees and
no longer needed to finish its module; its results stay where they were.
"""

from collections.abc import Sequence

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Quiz, Sitting


def quiz_results(*, quizzes: Sequence[Quiz]) -> dict[Quiz, int]:
    """The number of sittings of each quiz that has any, in one query."""
    counts = dict(
        Sitting.objects.filter(quiz__in=quizzes)
        .values_list("quiz")
        .annotate(sittings=Count("pk"))
        .order_by()
    )
    return {quiz: counts[quiz.pk] for quiz in quizzes if quiz.pk in counts}


def quiz_deletion_refusal(*, quizzes: Sequence[Quiz]) -> str | None:
    """Why these quizzes may not be deleted, or None when none has results."""
    results = quiz_results(quizzes=quizzes)
    if not results:
        return None
    advice = _(
        "Jadikan konsep saja (centang “Konsep” lalu simpan): kuis tidak tampil "
        "lagi bagi peserta, dan semua hasilnya tetap tersimpan."
    )
    if len(quizzes) == 1:
        quiz, count = next(iter(results.items()))
        reason = ngettext(
            "Kuis “%(title)s” tidak dapat dihapus: sudah ada %(count)d hasil peserta.",
            "Kuis “%(title)s” tidak dapat dihapus: sudah ada %(count)d hasil peserta.",
            count,
        ) % {"title": quiz.title, "count": count}
        return f"{reason} {advice}"
    listed = "; ".join(
        ngettext(
            "“%(title)s”: %(count)d hasil",
            "“%(title)s”: %(count)d hasil",
            count,
        )
        % {"title": quiz.title, "count": count}
        for quiz, count in results.items()
    )
    reason = _(
        "Tidak ada kuis yang dihapus: kuis berikut sudah punya hasil peserta: "
        "%(quizzes)s."
    ) % {"quizzes": listed}
    return f"{reason} {advice}"
