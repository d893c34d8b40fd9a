"""The demo curriculum as an organisation meets it after `prepare_site --demo`.

One load per test is slow (forty-odd published pages), so each test looks at
a whole side of the curriculum at once.
"""

import re
from decimal import Decimal

from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

import pytest

from assessments.choices import QuestionKind, QuizMode
from assessments.curriculum_files import BANK_CATEGORY, quiz_files
from assessments.demo import DEMO_EVENT_TITLE
from assessments.grading import (
    can_take,
    finish_sitting,
    graded_quiz_passed,
    mark_essay,
    start_sitting,
    submit_answer,
)
from assessments.models import (
    Category,
    Competency,
    Question,
    Quiz,
    Scenario,
    TrainingEvent,
)
from assessments.question_io import export_gift, parse_gift
from assessments.sample_competencies import SAMPLE_TEACHING
from learning.models import User
from mentorship.province import real_people_present
from modules.booklets import build_booklet, request_booklet
from modules.choices import BookletStatus, ServiceKind
from modules.demo import SOURCES_SLUG, read_modules, read_sources
from modules.models import LessonPage, ModulePage, ReferralService, ResourcePage

pytestmark = pytest.mark.django_db

CORE = 6
SHORT = 3
# The sample's shape: a core module holds three to seven lessons, a short one one
# to three (edition 3 gave some modules a lesson on a topic they lacked).
CORE_LESSONS = range(3, 8)
SHORT_LESSONS = range(1, 4)


@pytest.fixture
def demo():
    call_command("prepare_site", demo=True)


def counts() -> dict:
    return {
        model.__name__: model.objects.count()
        for model in (
            ModulePage,
            LessonPage,
            ResourcePage,
            Quiz,
            Question,
            Scenario,
            Category,
            Competency,
            ReferralService,
        )
    }


def test_the_demo_builds_nine_sample_modules_once(demo):
    before = counts()
    call_command("prepare_site", demo=True)
    assert counts() == before, "loading the demo twice made something twice"

    modules = list(ModulePage.objects.live().order_by("path"))
    assert [m.slug for m in modules] == [data["slug"] for data in read_modules()]
    assert all(m.is_sample for m in modules)
    core = [m for m in modules if m.is_core]
    short = [m for m in modules if not m.is_core]
    assert (len(core), len(short)) == (CORE, SHORT)
    for module in core:
        assert module.lessons().count() in CORE_LESSONS, module.title
    for module in short:
        assert module.lessons().count() in SHORT_LESSONS, module.title
    assert ReferralService.objects.filter(is_sample=True).count() == 14
    # The lessons on returning migrant workers and on victims with disabilities
    # open the directory's entries for them, not a plain line of text.
    linked = {
        block.value["service"].kind
        for lesson in LessonPage.objects.live().specific()
        for block in lesson.body
        if block.block_type == "service"
    }
    assert {ServiceKind.MIGRANT_WORKERS, ServiceKind.DISABILITY} <= linked


def test_every_lesson_renders_for_a_trainee_on_the_site(demo, client):
    client.force_login(User.objects.get(username="peserta"))
    lessons = LessonPage.objects.live().specific()
    assert lessons.count() >= CORE * 3 + SHORT
    for lesson in lessons:
        response = client.get(lesson.url)
        assert response.status_code == 200, lesson.url
        # Light pages: even uncompressed, the HTML stays under the 50 KB budget.
        assert len(response.content) < 50_000, lesson.url
        html = response.content.decode()
        assert lesson.title.replace("'", "&#x27;").replace('"', "&quot;") in html
        kinds = {block.block_type for block in lesson.body}
        assert {"key_points", "reflection"} <= kinds, lesson.title
        # The reflection prompt is a form the trainee can answer.
        assert "refleksi" in html, lesson.url
        # Every form linked from a lesson is a real PDF.
        for block in lesson.body:
            if block.block_type == "document":
                assert block.value["document"].file.read(4) == b"%PDF"
            if block.block_type == "case_scenario":
                assert "rekaan" in block.value["story"].source.lower()


def _answer_all(sitting, user, *, right: bool) -> None:
    for item in sitting.questions.order_by("position"):
        if item.kind == QuestionKind.ESSAY:
            submit_answer(
                sitting=sitting,
                user=user,
                position=item.position,
                text="Saya mendengarkan dan bertanya apa yang ia butuhkan.",
            )
            continue
        options = item.snapshot["options"]
        if right:
            chosen = [o["id"] for o in options if Decimal(o["weight"]) > 0]
        else:
            chosen = [min(options, key=lambda o: Decimal(o["weight"]))["id"]]
        submit_answer(sitting=sitting, user=user, position=item.position, chosen=chosen)


def _take(quiz, user, marker, *, right: bool):
    sitting = start_sitting(user=user, quiz=quiz)
    _answer_all(sitting, user, right=right)
    sitting = finish_sitting(sitting=sitting, user=user)
    for item in sitting.questions.filter(kind=QuestionKind.ESSAY):
        sitting = mark_essay(
            answer=item.answer, marker=marker, mark=Decimal(int(right))
        )
    return sitting


def test_every_quiz_is_passed_with_its_right_answers_and_failed_with_wrong_ones(
    demo,
):
    trainee = User.objects.get(username="peserta")
    other = User.objects.get(username="paralegal-oelet")
    facilitator = User.objects.get(username="fasilitator")
    slugs = [path.stem for path in quiz_files()]
    quizzes = Quiz.objects.filter(module__isnull=False).select_related("module")
    written = [quiz for quiz in quizzes if quiz.slug.startswith(("kuis-", "latihan-"))]
    assert len(written) == CORE + SHORT + CORE  # one each, plus random practice
    assert len(slugs) == CORE + SHORT
    for quiz in written:
        assert can_take(trainee, quiz), quiz.slug
        passed = _take(quiz, trainee, facilitator, right=True)
        assert passed.passed and passed.score == passed.max_score, quiz.slug
        failed = _take(quiz, other, facilitator, right=False)
        assert not failed.passed, quiz.slug

    # Every paper shuffles the options: the right answer is not always first.
    choice = Question.objects.filter(kind=QuestionKind.MULTIPLE_CHOICE)
    assert choice.exists() and not choice.filter(shuffle_options=False).exists()

    graded = Quiz.objects.filter(mode=QuizMode.GRADED, module__isnull=False)
    assert graded.count() == CORE
    for quiz in graded.annotate(size=Count("picked_questions")):
        kinds = set(quiz.picked_questions.values_list("question__kind", flat=True))
        assert quiz.size >= 8 and kinds == set(QuestionKind.values), quiz.slug
        assert quiz.picked_questions.filter(question__scenario__isnull=False).exists()
        assert not quiz.picked_questions.filter(question__explanation="").exists()
        assert graded_quiz_passed(trainee, quiz.module)
        assert not graded_quiz_passed(other, quiz.module)
    practice = Quiz.objects.filter(mode=QuizMode.PRACTICE, slug__startswith="latihan-")
    for quiz in practice.exclude(slug__startswith="latihan-acak-"):
        assert quiz.picked_questions.count() >= 5 and not quiz.module.is_core


def test_the_practice_bank_round_trips_through_gift(demo):
    bank = Question.objects.filter(category__parent__name=BANK_CATEGORY)
    assert bank.count() >= 30
    assert not bank.filter(explanation="").exists()
    assert bank.values("category").distinct().count() == CORE + SHORT
    parsed = parse_gift(export_gift(bank.order_by("pk")))
    assert parsed.ok, parsed.errors
    exported = {
        (q.text, q.explanation, tuple((o.text, o.weight) for o in q.options))
        for q in parsed.questions
    }
    stored = {
        (
            q.text,
            q.explanation,
            tuple(
                (o.text, o.weight.normalize()) for o in q.options.order_by("sort_order")
            ),
        )
        for q in bank.prefetch_related("options")
    }
    normalised = {
        (text, explanation, tuple((o, w.normalize()) for o, w in options))
        for text, explanation, options in exported
    }
    assert normalised == stored


def test_every_module_teaches_a_competency_and_every_competency_is_taught(demo):
    modules = set(ModulePage.objects.values_list("slug", flat=True))
    taught = set()
    for competency in Competency.objects.prefetch_related("modules"):
        slugs = {module.slug for module in competency.modules.all()}
        assert slugs, f"{competency.name} is taught by no module"
        assert slugs == set(SAMPLE_TEACHING[competency.name])
        taught |= slugs
    assert taught == modules
    event = TrainingEvent.objects.get(title=DEMO_EVENT_TITLE)
    assert [m.slug for m in event.modules.all()] == ["pendokumentasian-kasus"]


def test_the_sources_page_lists_every_regulation_the_content_cites(demo, client):
    page = ResourcePage.objects.get(slug=SOURCES_SLUG)
    client.force_login(User.objects.get(username="peserta"))
    html = client.get(page.url).content.decode()
    for source in read_sources():
        assert source.cite in html and source.title in html
    # The facts the issue names are cited where they are taught.
    text = " ".join(
        block.render_as_block() if hasattr(block, "render_as_block") else str(block)
        for lesson in LessonPage.objects.live().specific()
        for block in lesson.body
    )
    for citation in (
        "UU 23/2004 pasal 5",
        "UU 23/2004 pasal 23",
        "UU 12/2022 pasal 23",
        "UU 12/2022 pasal 26",
        "UU 11/2012 pasal 19",
        "UU 21/2007",
        "Perpres 82/2018 pasal 52",
        "Permen PPPA 4/2018",
    ):
        assert re.search(re.escape(citation), text), citation
    assert "129" in text


def test_each_sample_module_booklet_builds(demo):
    for module in ModulePage.objects.live():
        booklet = build_booklet(booklet_id=request_booklet(module=module).pk)
        assert booklet.status == BookletStatus.READY, (module.slug, booklet.error)
        assert booklet.lessons_total == module.lessons().count()
        with booklet.file.open("rb") as handle:
            assert handle.read(4) == b"%PDF"


def test_the_demos_people_do_not_stop_a_synthetic_province_beside_them(demo):
    assert not real_people_present()
    User.objects.filter(username="peserta").update(last_login=timezone.now())
    assert not real_people_present()
