"""Loading the sample quizzes and practice bank, edition by edition.

Quizzes are found by slug and bank questions by text, so a second load adds
nothing. A quiz or a bank from an older edition is replaced when nobody
edited it, or gets a notice when someone did (`modules.editions`); each
shares its module's edition. Every core module also gets a practice quiz
drawing five questions at random from its part of the bank.
"""

from pathlib import Path

from django.db import transaction
from django.db.models import Min
from django.utils.translation import gettext as _

from modules.demo import (
    load_curriculum,
    read_modules,
    read_toml,
)
from modules.directory import load_sample_services
from modules.editions import (
    Outcome,
    file_edition,
    logged_edits_since,
    record_loaded,
    update,
)
from modules.models import ModuleIndexPage, ModulePage, SampleKind

from .choices import FeedbackTiming, QuestionKind, QuizMode
from .curriculum_files import (
    BANK_DIR,
    PRACTICE_DRAW,
    QUIZ_CATEGORY,
    QuizFileError,
    bank_files,
    bank_module_slug,
    parsed_question,
    quiz_files,
    quiz_problems,
)
from .models import (
    Category,
    Question,
    QuestionPool,
    Quiz,
    QuizQuestion,
    Scenario,
)
from .question_io import (
    import_questions,
    parse_gift,
    save_question,
)
from .sample_competencies import load_sample_competencies


def _category(*path: str) -> Category:
    parent = None
    for name in path:
        parent, _created = Category.objects.get_or_create(name=name, parent=parent)
    return parent


def _quiz_fields(data: dict) -> dict:
    graded = data["mode"] == QuizMode.GRADED
    return {
        "title": data["title"],
        "description": data["description"],
        "mode": data["mode"],
        "feedback": FeedbackTiming.AT_END if graded else FeedbackTiming.AFTER_EACH,
        "attempt_limit": 3 if graded else None,
        "pass_mark": data["pass_mark"],
        "success_text": data["success_text"],
        "fail_text": data["fail_text"],
    }


def _fill_quiz(quiz: Quiz, data: dict, category: Category) -> None:
    scenarios = {
        item["key"]: Scenario.objects.create(
            title=item["title"], vignette=item["vignette"]
        )
        for item in data.get("scenarios", [])
    }
    for order, item in enumerate(data["questions"]):
        question = save_question(
            parsed_question(order, item),
            category=category,
            scenario=scenarios.get(item.get("scenario")),
        )
        QuizQuestion.objects.create(quiz=quiz, question=question, sort_order=order)


def _quiz_questions(quiz: Quiz):
    return Question.objects.filter(pk__in=quiz.picked_questions.values("question_id"))


def quiz_loaded_at(quiz: Quiz):
    return _quiz_questions(quiz).aggregate(first=Min("created_at"))["first"]


def quiz_edited_since(quiz: Quiz, since) -> bool:
    """The quiz or one of its questions changed in the admin since then."""
    questions = _quiz_questions(quiz)
    return (
        questions.filter(updated_at__gt=since).exists()
        or logged_edits_since(Quiz, [quiz.pk], since)
        or logged_edits_since(Question, questions.values_list("pk", flat=True), since)
    )


def _delete_unused(questions) -> None:
    """Questions no quiz picks any more; past papers keep their snapshots."""
    picked = QuizQuestion.objects.values("question_id")
    scenarios = set(questions.values_list("scenario_id", flat=True)) - {None}
    questions.exclude(pk__in=picked).delete()
    Scenario.objects.filter(pk__in=scenarios, questions__isnull=True).delete()


def replace_quiz(quiz: Quiz, data: dict) -> None:
    """A newer edition's questions and texts in place of the old ones.

    The quiz keeps its address and its sittings: each past paper was scored
    from its own snapshot.
    """
    old = list(_quiz_questions(quiz).values_list("pk", flat=True))
    for name, value in _quiz_fields(data).items():
        setattr(quiz, name, value)
    quiz.save()
    quiz.picked_questions.all().delete()
    _delete_unused(Question.objects.filter(pk__in=old))
    _fill_quiz(quiz, data, quiz.category or _category(QUIZ_CATEGORY, quiz.title))


def _load_quiz(data: dict, module, edition: tuple[int, list[str]]) -> Quiz:
    number, changes = edition
    existing = Quiz.objects.filter(slug=data["slug"]).first()
    if existing is not None:
        update(
            kind=SampleKind.QUIZ,
            key=data["slug"],
            title=data["title"],
            edition=number,
            changes=changes,
            loaded_at=lambda: quiz_loaded_at(existing),
            edited_since=lambda since: quiz_edited_since(existing, since),
            replace=lambda: replace_quiz(existing, data),
        )
        return existing
    category = _category(QUIZ_CATEGORY, module.title)
    quiz = Quiz.objects.create(
        slug=data["slug"], category=category, module=module, **_quiz_fields(data)
    )
    _fill_quiz(quiz, data, category)
    record_loaded(SampleKind.QUIZ, data["slug"], data["title"], number)
    return quiz


def _bank_category(path: Path) -> tuple[tuple[str, ...], Category | None]:
    """The category names a bank file fills, and that category if it exists.

    Walked name by name: a name may hold a slash ("IMS dan HIV/AIDS").
    """
    [first, *_rest] = parse_gift(path.read_text(encoding="utf-8")).questions
    category = None
    for name in first.category:
        category = Category.objects.filter(name=name, parent=category).first()
        if category is None:
            break
    return first.category, category


def _import_bank(path: Path) -> None:
    report = import_questions(content=path.read_bytes(), filename=path.name)
    if report.errors:
        raise QuizFileError(f"{path.name}: {report.errors}")
    Question.objects.filter(
        pk__in=[question.pk for question in report.created],
        kind=QuestionKind.MULTIPLE_CHOICE,
    ).update(shuffle_options=True)


def replace_bank(path: Path, stored) -> None:
    """A newer edition of one module's bank: questions it no longer holds go
    (unless a quiz picked them by hand), new ones come in."""
    parsed = parse_gift(path.read_text(encoding="utf-8"))
    texts = {question.text for question in parsed.questions}
    _delete_unused(stored.exclude(text__in=texts))
    _import_bank(path)


def _load_bank(path: Path, edition: tuple[int, list[str]]) -> Category:
    """One module's part of the bank, at this edition; its category."""
    number, changes = edition
    slug = bank_module_slug(path)
    names, category = _bank_category(path)
    # Shown in the notice as "Bank latihan: <module>".
    title = names[-1]
    stored = Question.objects.filter(category=category)
    if category is None or not stored.exists():
        _import_bank(path)
        record_loaded(SampleKind.BANK, slug, title, number)
        return _bank_category(path)[1]
    update(
        kind=SampleKind.BANK,
        key=slug,
        title=title,
        edition=number,
        changes=changes,
        loaded_at=lambda: stored.aggregate(first=Min("created_at"))["first"],
        edited_since=lambda since: (
            stored.filter(updated_at__gt=since).exists()
            or logged_edits_since(Question, stored.values_list("pk", flat=True), since)
        ),
        replace=lambda: replace_bank(path, stored),
    )
    return category


def _load_practice_draw(module, bank: Category) -> Quiz:
    """A practice quiz drawing five questions at random from the module's bank."""
    slug = f"latihan-acak-{module.slug}"[:80]
    quiz = Quiz.objects.filter(slug=slug).first()
    if quiz is None:
        quiz = Quiz.objects.create(
            title=f"Latihan acak: {module.title}"[:200],
            slug=slug,
            description=(
                "Lima soal acak dari bank latihan. Tidak dinilai: kerjakan "
                "sesering kamu mau dan baca penjelasan setiap soal."
            ),
            category=bank,
            module=module,
            mode=QuizMode.PRACTICE,
            feedback=FeedbackTiming.AFTER_EACH,
            random_order=True,
            pass_mark=60,
        )
        QuestionPool.objects.create(quiz=quiz, category=bank, count=PRACTICE_DRAW)
    return quiz


@transaction.atomic
def load_curriculum_assessments() -> list[Quiz]:
    """Every sample module's quiz, the practice bank and the random practice.

    A quiz or a bank from an older edition is replaced or given a notice as
    its module is (`modules.editions`); each shares its module's edition.
    """
    problems = quiz_problems()
    if problems:
        raise QuizFileError("\n".join(problems))
    modules = {page.slug: page for page in ModulePage.objects.all()}
    editions = {data["slug"]: file_edition(data) for data in read_modules()}
    quizzes = []
    for path in quiz_files():
        data = read_toml(path, [])
        if data["module"] in modules:
            quizzes.append(
                _load_quiz(data, modules[data["module"]], editions[data["module"]])
            )
    for path in bank_files(BANK_DIR):
        bank = _load_bank(path, editions[bank_module_slug(path)])
        module = modules.get(bank_module_slug(path))
        if module is not None and module.is_core:
            quizzes.append(_load_practice_draw(module, bank))
    return quizzes


class SiteNotPrepared(Exception):
    """The site has no module index yet: `manage.py prepare_site` has not run."""


def load_sample_curriculum() -> dict[str, Outcome]:
    """The whole sample curriculum, marked *materi contoh*, without demo people.

    The sample referral services, the nine modules, the quizzes and practice
    bank, and the competency framework; what happened to each module, by
    slug. Each piece is loaded in its own transaction, so the site's other
    writers (a sign-in saving its session, on SQLite) wait seconds rather
    than the whole load; every piece is looked for before it is made, so a
    load cut short is completed by the next. Callers go through
    `sample_load`, which lets one load run at a time.
    """
    if not ModuleIndexPage.objects.exists():
        raise SiteNotPrepared(
            _("Situs belum disiapkan: jalankan dulu manage.py prepare_site.")
        )
    with transaction.atomic():
        load_sample_services()
    outcomes = load_curriculum()
    load_curriculum_assessments()
    with transaction.atomic():
        load_sample_competencies()
    return outcomes
