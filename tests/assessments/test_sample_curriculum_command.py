"""`load_sample_curriculum`: the shipped edition onto a site that has an older one."""

import io

from django.core.management import CommandError, call_command

import pytest

from assessments.models import Quiz
from modules.models import ModulePage, SampleContent

pytestmark = pytest.mark.django_db

EDITED = "gender-dan-kesetaraan-gender"
UNTOUCHED_QUIZ = "kuis-konseling-awal-dan-penguatan-korban"


def run() -> str:
    out = io.StringIO()
    call_command("load_sample_curriculum", stdout=out)
    return out.getvalue()


def test_the_command_needs_a_prepared_site():
    with pytest.raises(CommandError, match="prepare_site"):
        run()


def test_an_older_edition_is_brought_up_to_date_except_what_was_edited(tree):
    first = run()
    assert first.count(": baru") == ModulePage.objects.count() == 9
    again = run()
    assert again.count(": sudah terbaru") == 9 and ": baru\n" not in again

    # Pretend the site holds edition 1, and someone edited one module since.
    SampleContent.objects.update(edition=1)
    module = ModulePage.objects.get(slug=EDITED)
    module.summary = "Ringkasan dari yayasan kami."
    module.save_revision().publish()
    quiz = Quiz.objects.get(slug=UNTOUCHED_QUIZ)
    old_questions = set(quiz.picked_questions.values_list("question_id", flat=True))

    report = run()

    assert f"{EDITED}: diberi catatan" in report
    assert "Diubah di situs ini, tidak ditimpa: Modul:" in report
    assert report.count(": diganti") == 8
    module.refresh_from_db()
    assert module.summary == "Ringkasan dari yayasan kami."
    notice = SampleContent.objects.get(kind="modul", key=EDITED)
    assert notice.newer_edition >= 2 and notice.newer_changes
    # The untouched quiz was replaced by fresh questions of the new edition.
    new_questions = set(quiz.picked_questions.values_list("question_id", flat=True))
    assert new_questions and not new_questions & old_questions
