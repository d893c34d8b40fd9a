"""A newer edition of the sample curriculum on a site that loaded an older one.

An untouched sample module, quiz or bank is replaced in place, keeping what
learners did; an edited one stays as the organisation made it and its
editors see what the new edition corrected until they mark it handled.
"""

import datetime

from wagtail.models import Revision

import pytest

from assessments.grading import start_sitting
from assessments.models import Question, Quiz
from assessments.sample_curriculum import _load_bank, _load_quiz
from modules.demo import SOURCES_FILE, load_curriculum
from modules.editions import Outcome
from modules.models import LessonPage, LessonProgress, ModulePage, SampleContent
from modules.progress import mark_lesson_done
from tests.modules.test_curriculum import GOOD_MODULE, SOURCES

pytestmark = pytest.mark.django_db

SECOND = (
    GOOD_MODULE.replace(
        'content_note = "Membahas kekerasan dalam rumah tangga."',
        'content_note = "Membahas kekerasan dalam rumah tangga."\n'
        'edition = { number = 2, changes = ["Pasal yang dikutip diperbaiki."] }',
    ).replace(
        "pendamping mendengarkan dengan empati", "relawan pendamping mendengarkan"
    )
    + """
[[lessons]]
title = "Merujuk"
summary = "Langkah kedua."
study_minutes = 10

[[lessons.body]]
type = "key_points"
points = ["Tanyakan dulu persetujuannya."]

[[lessons.body]]
type = "case_scenario"
title = "Ke puskesmas"
story = "<p>Mama Yuli mengantar. (Kisah rekaan.)</p>"
questions = ["Apa yang kamu tanyakan dulu?"]

[[lessons.body]]
type = "reflection"
prompt = "Siapa yang kamu hubungi?"
"""
)


@pytest.fixture
def files(tmp_path, tree):
    (tmp_path / SOURCES_FILE).write_text(SOURCES, encoding="utf-8")
    (tmp_path / "01-contoh-uji.toml").write_text(GOOD_MODULE, encoding="utf-8")
    return tmp_path


def second_edition(files):
    (files / "01-contoh-uji.toml").write_text(SECOND, encoding="utf-8")


def lesson_text(lesson) -> str:
    return str(LessonPage.objects.get(pk=lesson.pk).body)


def test_an_untouched_module_is_replaced_and_keeps_its_learners(files, trainee):
    assert load_curriculum(files) == {"contoh-uji": Outcome.NEW}
    module = ModulePage.objects.get()
    [lesson] = LessonPage.objects.child_of(module)
    mark_lesson_done(user=trainee, lesson=lesson)
    second_edition(files)

    assert load_curriculum(files) == {"contoh-uji": Outcome.REPLACED}

    assert ModulePage.objects.get().pk == module.pk
    assert "relawan pendamping mendengarkan" in lesson_text(lesson)
    assert LessonProgress.objects.filter(user=trainee, lesson=lesson).exists()
    titles = [page.title for page in LessonPage.objects.child_of(module).live()]
    assert titles == ["Mendengarkan", "Merujuk"]
    assert SampleContent.objects.get(kind="modul").edition == 2
    # Loading the same edition again changes nothing.
    assert load_curriculum(files) == {"contoh-uji": Outcome.CURRENT}
    assert LessonPage.objects.count() == 2


def test_a_lesson_the_new_edition_drops_is_unpublished_not_deleted(files):
    (files / "01-contoh-uji.toml").write_text(SECOND, encoding="utf-8")
    load_curriculum(files)
    dropped = LessonPage.objects.get(title="Merujuk")
    third = SECOND.split('[[lessons]]\ntitle = "Merujuk"')[0].replace(
        "number = 2", "number = 3"
    )
    (files / "01-contoh-uji.toml").write_text(third, encoding="utf-8")
    assert load_curriculum(files) == {"contoh-uji": Outcome.REPLACED}
    dropped.refresh_from_db()
    assert not dropped.live


def test_a_new_lesson_takes_its_place_in_the_files_order(files, trainee):
    second_edition(files)
    load_curriculum(files)
    module = ModulePage.objects.get()
    first = LessonPage.objects.get(title="Mendengarkan")
    mark_lesson_done(user=trainee, lesson=first)
    lessons = SECOND.split("[[lessons]]")
    new_lesson = lessons[2].replace('title = "Merujuk"', 'title = "Cek bahaya"')
    third = lessons[0].replace("number = 2", "number = 3") + "[[lessons]]".join(
        ["", new_lesson, lessons[1], lessons[2]]
    )
    (files / "01-contoh-uji.toml").write_text(third, encoding="utf-8")

    assert load_curriculum(files) == {"contoh-uji": Outcome.REPLACED}

    titles = [page.title for page in module.lessons()]
    assert titles == ["Cek bahaya", "Mendengarkan", "Merujuk"]
    assert LessonProgress.objects.filter(user=trainee, lesson=first).exists()


def test_an_edited_module_keeps_its_edits_and_its_editors_see_the_corrections(
    files, client, facilitator, trainee, admin_user
):
    load_curriculum(files)
    module = ModulePage.objects.get()
    module.title = "Mendengarkan (versi yayasan kami)"
    module.save_revision().publish()
    second_edition(files)

    assert load_curriculum(files) == {"contoh-uji": Outcome.NOTICED}

    module.refresh_from_db()
    assert module.title == "Mendengarkan (versi yayasan kami)"
    assert LessonPage.objects.count() == 1
    notice = SampleContent.objects.get(kind="modul")
    assert (notice.edition, notice.newer_edition) == (1, 2)
    assert notice.newer_changes == ["Pasal yang dikutip diperbaiki."]

    # The trainee may not handle it; the panel is not theirs either.
    client.force_login(trainee)
    handled = f"/admin/materi-contoh/{notice.pk}/selesai/"
    assert client.post(handled).status_code in (302, 403)
    notice.refresh_from_db()
    assert notice.newer_edition == 2

    client.force_login(admin_user)
    home = client.get("/admin/").content.decode()
    assert "Edisi baru materi contoh" in home
    assert "Pasal yang dikutip diperbaiki." in home
    assert "edisi 2 memperbaiki 1 hal (lihat)" in home
    assert client.get(handled).status_code == 405
    assert client.post(handled).status_code == 302
    notice.refresh_from_db()
    assert (notice.edition, notice.newer_edition) == (2, None)
    assert "Edisi baru materi contoh" not in client.get("/admin/").content.decode()
    # Marked handled: the same edition does not come back over the edits.
    assert load_curriculum(files) == {"contoh-uji": Outcome.CURRENT}
    module.refresh_from_db()
    assert module.title == "Mendengarkan (versi yayasan kami)"


def test_a_site_loaded_before_editions_were_recorded_is_judged_by_its_revisions(
    files,
):
    load_curriculum(files)
    SampleContent.objects.all().delete()
    module = ModulePage.objects.get()
    # The first edition was loaded long ago...
    Revision.page_revisions.update(
        created_at=datetime.datetime(2025, 1, 6, 8, tzinfo=datetime.UTC)
    )
    second_edition(files)
    assert load_curriculum(files) == {"contoh-uji": Outcome.REPLACED}

    # ...and one edited after loading keeps its edits.
    SampleContent.objects.all().delete()
    Revision.page_revisions.update(
        created_at=datetime.datetime(2025, 1, 6, 8, tzinfo=datetime.UTC)
    )
    lesson = LessonPage.objects.child_of(module).first()
    lesson.save_revision().publish()
    third = SECOND.replace("number = 2", "number = 3")
    (files / "01-contoh-uji.toml").write_text(third, encoding="utf-8")
    assert load_curriculum(files) == {"contoh-uji": Outcome.NOTICED}


def test_a_module_no_longer_marked_as_sample_is_left_alone(files):
    load_curriculum(files)
    ModulePage.objects.update(is_sample=False)
    second_edition(files)
    assert load_curriculum(files) == {"contoh-uji": Outcome.NOTICED}
    assert LessonPage.objects.count() == 1


QUIZ = {
    "slug": "kuis-contoh-uji",
    "title": "Kuis: Contoh uji",
    "mode": "latihan",
    "description": "Kuis uji.",
    "pass_mark": 70,
    "success_text": "Bagus.",
    "fail_text": "Baca lagi.",
    "questions": [
        {
            "kind": "benar_salah",
            "text": "Korban dewasa memutuskan sendiri apakah melapor.",
            "answer": True,
            "explanation": "Ya.",
        }
    ],
}


def quiz_edition(text: str) -> dict:
    question = dict(QUIZ["questions"][0], text=text)
    return dict(QUIZ, questions=[question])


def test_an_untouched_quiz_is_replaced_and_old_papers_keep_their_questions(
    files, trainee
):
    load_curriculum(files)
    module = ModulePage.objects.get()
    quiz = _load_quiz(QUIZ, module, (1, []))
    sitting = start_sitting(user=trainee, quiz=quiz)
    new = quiz_edition("Pendamping tidak melapor tanpa persetujuan korban dewasa.")
    assert _load_quiz(new, module, (2, ["Soal diperbaiki."])).pk == quiz.pk
    assert [q.question.text for q in quiz.picked_questions.all()] == [
        new["questions"][0]["text"]
    ]
    assert not Question.objects.filter(text=QUIZ["questions"][0]["text"]).exists()
    paper = sitting.questions.get()
    assert paper.snapshot["text"] == QUIZ["questions"][0]["text"]


def test_an_edited_quiz_gets_a_notice_instead(files):
    load_curriculum(files)
    module = ModulePage.objects.get()
    quiz = _load_quiz(QUIZ, module, (1, []))
    question = quiz.picked_questions.get().question
    Question.objects.filter(pk=question.pk).update(
        updated_at=datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=1)
    )
    _load_quiz(quiz_edition("Soal baru."), module, (2, ["Soal diperbaiki."]))
    assert Quiz.objects.get().picked_questions.get().question.pk == question.pk
    notice = SampleContent.objects.get(kind="kuis")
    assert notice.newer_changes == ["Soal diperbaiki."]


BANK = """$CATEGORY: Bank latihan/Contoh uji

::a:: {text} {{T####Ya.}}
"""


def test_a_bank_edition_replaces_untouched_questions_and_keeps_edited_ones(
    files, tmp_path, admin_user
):
    path = tmp_path / "01-contoh-uji.gift"
    path.write_text(BANK.format(text="Anak belum berusia 18 tahun."), "utf-8")
    _load_bank(path, (1, []))
    path.write_text(BANK.format(text="Anak: di bawah 18 tahun."), "utf-8")
    _load_bank(path, (2, ["Soal anak diperbaiki."]))
    assert list(Question.objects.values_list("text", flat=True)) == [
        "Anak: di bawah 18 tahun."
    ]
    # An editor changes the question; the third edition must not overwrite it.
    question = Question.objects.get()
    question.explanation = "Menurut UU 35/2014."
    Question.objects.filter(pk=question.pk).update(
        explanation=question.explanation,
        updated_at=datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=1),
    )
    path.write_text(BANK.format(text="Anak: belum 18 tahun."), "utf-8")
    _load_bank(path, (3, ["Lagi."]))
    assert list(Question.objects.values_list("text", flat=True)) == [
        "Anak: di bawah 18 tahun."
    ]
    notice = SampleContent.objects.get(kind="bank")
    assert notice.newer_edition == 3
    # The notice says which bank and opens its questions in the admin.
    from modules.edition_admin import notices_for

    [(record, where)] = notices_for(admin_user)
    assert (record.get_kind_display(), record.title) == ("Bank latihan", "Contoh uji")
    assert where.endswith(f"?category={question.category_id}")


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("migrated_data")
def test_twenty_clicks_at_once_handle_a_notice_once(django_user_model):
    from django.utils import timezone

    from tests.concurrency import all_at_once, signed_in_clients

    editor = django_user_model.objects.create_superuser("penyunting", "", "x")
    notice = SampleContent.objects.create(
        kind="kuis",
        key="kuis-uji",
        title="Kuis uji",
        edition=1,
        recorded_at=timezone.now(),
        newer_edition=2,
        newer_changes=["Soal diperbaiki."],
        noticed_at=timezone.now(),
    )
    path = f"/admin/materi-contoh/{notice.pk}/selesai/"
    clients = signed_in_clients(editor, 20)
    answers = all_at_once(
        [lambda client=client: client.post(path).status_code for client in clients]
    )
    assert sorted(answers) == [302] + [404] * 19
    notice.refresh_from_db()
    assert (notice.edition, notice.newer_edition, notice.newer_changes) == (2, None, [])


def test_only_those_who_may_change_a_piece_see_or_handle_its_notice(
    files, trainee, facilitator, admin_user
):
    from django.contrib.auth.models import Permission

    from modules.edition_admin import can_handle, notices_for

    load_curriculum(files)
    ModulePage.objects.update(is_sample=False)
    second_edition(files)
    load_curriculum(files)
    module_notice = SampleContent.objects.get(kind="modul")
    quiz_notice = SampleContent.objects.create(
        kind="kuis",
        key="kuis-uji",
        title="Kuis uji",
        recorded_at=module_notice.recorded_at,
        newer_edition=2,
        newer_changes=["Soal diperbaiki."],
    )
    assert not can_handle(trainee, module_notice)
    assert not can_handle(trainee, quiz_notice)
    assert notices_for(trainee) == []
    assert can_handle(admin_user, module_notice) and can_handle(admin_user, quiz_notice)
    trainee.user_permissions.add(Permission.objects.get(codename="change_quiz"))
    trainee = type(trainee).objects.get(pk=trainee.pk)  # permissions are cached
    assert [record for record, _where in notices_for(trainee)] == [quiz_notice]


def test_the_notice_is_handled_from_the_admin_home_with_its_csrf_token(
    files, admin_user
):
    import re

    from django.test import Client

    load_curriculum(files)
    ModulePage.objects.update(is_sample=False)
    second_edition(files)
    load_curriculum(files)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(admin_user)
    home = browser.get("/admin/").content.decode()
    form = home[home.index("/admin/materi-contoh/") :]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    notice = SampleContent.objects.get(kind="modul")
    answer = browser.post(
        f"/admin/materi-contoh/{notice.pk}/selesai/", {"csrfmiddlewaretoken": token}
    )
    assert answer.status_code == 302
    notice.refresh_from_db()
    assert notice.newer_edition is None
