from django.core.management import call_command

import pytest

from assessments.demo import DEMO_QUIZ_SLUG
from assessments.grading import can_take
from assessments.models import Quiz
from learning.models import User
from modules.models import ModulePage, ReferralService

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_sample_module_with_a_graded_quiz_of_every_kind():
    call_command("prepare_site", demo=True)
    call_command("prepare_site", demo=True)  # twice changes nothing
    module = ModulePage.objects.get()
    assert module.lessons().count() == 3
    assert ReferralService.objects.filter(is_sample=True).count() == 12
    quiz = Quiz.objects.get(slug=DEMO_QUIZ_SLUG)
    assert quiz.module_id == module.pk and quiz.is_graded
    questions = [item.question for item in quiz.picked_questions.all()]
    assert {q.kind for q in questions} == {"pilihan_ganda", "benar_salah", "esai"}
    assert any(q.several_correct for q in questions)
    assert any(q.scenario_id for q in questions)
    assert can_take(User.objects.get(username="peserta"), quiz)
    from assessments.models import Competency, TrainingEvent

    assert Competency.objects.count() == 8
    event = TrainingEvent.objects.get()
    assert (event.start_date.isoformat(), event.place.name) == (
        "2022-11-17",
        "Kota Soe",
    )
    assert event.attendance.filter(trainee__username="peserta").count() == 2
