from datetime import timedelta

from django.utils import timezone

import pytest

from assessments.grading import QuizError, can_take, start_sitting, submit_answer
from assessments.models import Category, Question, QuestionPool, Quiz
from tests.factories.assessments import (
    CategoryFactory,
    choice_question,
    quiz_with,
)

pytestmark = pytest.mark.django_db


def texts(sitting):
    return [item.snapshot["text"] for item in sitting.questions.order_by("position")]


def numbered(count, **kwargs):
    return [choice_question(f"Soal {n}", **kwargs) for n in range(1, count + 1)]


def test_fixed_order_is_the_default(trainee):
    quiz = quiz_with(numbered(5))
    assert texts(start_sitting(user=trainee, quiz=quiz)) == [
        f"Soal {n}" for n in range(1, 6)
    ]


def test_random_order_and_a_maximum_number_of_questions(trainee):
    quiz = quiz_with(numbered(8), random_order=True, max_questions=5)
    sitting = start_sitting(user=trainee, quiz=quiz, seed=3)
    drawn = texts(sitting)
    assert len(drawn) == 5 and len(set(drawn)) == 5
    assert drawn != sorted(drawn, key=lambda text: int(text.split()[1]))


def test_a_pool_draws_n_from_a_category_and_its_subcategories(trainee):
    top = CategoryFactory(name="Hukum")
    sub = CategoryFactory(name="TPKS", parent=top)
    elsewhere = CategoryFactory(name="Kesehatan")
    pool_questions = numbered(3, category=top) + [choice_question("Sub", category=sub)]
    choice_question("Di luar", category=elsewhere)
    quiz = quiz_with([])
    QuestionPool.objects.create(quiz=quiz, category=top, count=3)
    drawn = texts(start_sitting(user=trainee, quiz=quiz, seed=1))
    assert len(drawn) == 3
    assert set(drawn) <= {q.text for q in pool_questions}


def test_questions_about_one_case_stay_together(trainee):
    from assessments.models import Scenario

    case = Scenario.objects.create(title="Kasus", vignette="Kisah rekaan.")
    together = [choice_question(f"Kasus {n}", scenario=case) for n in (1, 2, 3)]
    quiz = quiz_with(numbered(4) + together, random_order=True)
    for seed in range(5):
        drawn = texts(start_sitting(user=trainee, quiz=quiz, seed=seed))
        positions = [drawn.index(q.text) for q in together]
        assert max(positions) - min(positions) == 2
        quiz.sittings.all().delete()


def test_options_can_be_shuffled(trainee):
    question = choice_question(options=[(str(n), 1 if n == 0 else 0) for n in range(6)])
    question.shuffle_options = True
    question.save()
    sitting = start_sitting(user=trainee, quiz=quiz_with([question]), seed=2)
    shown = [o["text"] for o in sitting.questions.get().snapshot["options"]]
    assert sorted(shown) == [str(n) for n in range(6)] and shown != sorted(shown)


def test_a_draft_quiz_is_not_offered(client, trainee):
    quiz = quiz_with(numbered(1), draft=True, slug="konsep")
    assert not can_take(trainee, quiz)
    client.force_login(trainee)
    assert client.get("/kuis/konsep/").status_code == 404


def test_time_limit_closes_the_sitting(trainee):
    quiz = quiz_with(numbered(2), time_limit_minutes=10)
    sitting = start_sitting(user=trainee, quiz=quiz)
    assert sitting.deadline is not None
    item = sitting.questions.get(position=1)
    sitting.deadline = timezone.now() - timedelta(seconds=1)
    sitting.save()
    with pytest.raises(QuizError, match="Waktu kuis sudah habis"):
        submit_answer(
            sitting=sitting,
            user=trainee,
            position=1,
            chosen=[item.snapshot["options"][0]["id"]],
        )
    sitting.refresh_from_db()
    assert not sitting.is_open and sitting.percent == 0


def test_editing_a_quiz_after_sittings_keeps_their_papers(trainee):
    questions = numbered(3)
    quiz = quiz_with(questions, pass_mark=50)
    sitting = start_sitting(user=trainee, quiz=quiz)
    quiz.picked_questions.filter(question=questions[0]).delete()
    quiz.pass_mark = 90
    quiz.save()
    assert texts(sitting) == ["Soal 1", "Soal 2", "Soal 3"]
    sitting.refresh_from_db()
    assert sitting.pass_mark == 50


class TestEditorRoundTrip:
    def test_question_and_quiz_through_the_admin(self, client, facilitator, module):
        from wagtail.test.utils.form_data import inline_formset, nested_form_data

        client.force_login(facilitator)
        category = Category.objects.create(name="Rujukan")
        response = client.post(
            "/admin/snippets/assessments/question/add/",
            nested_form_data(
                {
                    "kind": "pilihan_ganda",
                    "category": category.pk,
                    "text": "Ke mana korban dirujuk untuk visum?",
                    "explanation": "Visum dibuat dokter atas permintaan penyidik.",
                    "options": inline_formset(
                        [
                            {
                                "text": "Puskesmas atau rumah sakit",
                                "weight": "1",
                                "feedback": "",
                            },
                            {"text": "Kantor desa", "weight": "0", "feedback": ""},
                        ]
                    ),
                }
            ),
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        question = Question.objects.get()
        assert [o.text for o in question.options.all()][
            0
        ] == "Puskesmas atau rumah sakit"
        response = client.post(
            "/admin/snippets/assessments/quiz/add/",
            nested_form_data(
                {
                    "title": "Kuis rujukan",
                    "slug": "kuis-rujukan",
                    "description": "",
                    "mode": "ujian",
                    "module": module.pk,
                    "picked_questions": inline_formset([{"question": question.pk}]),
                    "pools": inline_formset([]),
                    "feedback": "akhir",
                    "keep_paper": "on",
                    "pass_mark": 70,
                    "success_text": "",
                    "fail_text": "",
                }
            ),
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        quiz = Quiz.objects.get(slug="kuis-rujukan")
        assert quiz.module_id == module.pk
        assert [p.question_id for p in quiz.picked_questions.all()] == [question.pk]


def test_the_admin_refuses_a_question_passed_by_ticking_everything(client, facilitator):
    from wagtail.test.utils.form_data import inline_formset, nested_form_data

    client.force_login(facilitator)

    def post(wrong_weight):
        return client.post(
            "/admin/snippets/assessments/question/add/",
            nested_form_data(
                {
                    "kind": "pilihan_ganda",
                    "several_correct": "on",
                    "text": "Layanan mana yang menerima rujukan korban?",
                    "explanation": "Puskesmas dan UPTD PPA.",
                    "options": inline_formset(
                        [
                            {"text": "Puskesmas", "weight": "0.5", "feedback": ""},
                            {"text": "UPTD PPA", "weight": "0.5", "feedback": ""},
                            {"text": "Rumah pelaku", "weight": wrong_weight},
                        ]
                    ),
                }
            ),
        )

    refused = post("0")
    assert refused.status_code == 200
    assert "Memilih semua jawaban mendapat nilai penuh" in refused.content.decode()
    assert not Question.objects.exists()
    assert post("-1").status_code == 302
    assert Question.objects.count() == 1
