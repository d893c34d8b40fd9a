"""The demo curriculum's assessments, the competency framework and a workshop.

Each sample module has a quiz written as TOML in `assessments/curriculum/`
(graded for the six core modules, practice for the three short ones), and a
share of the practice bank written in Moodle's GIFT format in
`assessments/curriculum/bank/`, imported with the same function as an upload.
Every core module also gets a practice quiz that draws five questions at
random from its part of the bank. Loading is idempotent: quizzes are found by
slug and bank questions by text, so a second run adds nothing.
"""

import datetime
import tomllib
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone

from learning.demo import ALUMNA, demo_moment
from learning.models import Programme, Region, User
from modules.demo import (
    CURRICULUM_DIR,
    SOURCES_FILE,
    all_texts,
    citation_problems,
    cited_numbers,
    key_problems,
    read_modules,
    read_sources,
)
from modules.editions import file_edition, logged_edits_since, record_loaded, update
from modules.models import LessonProgress, ModuleCompletion, ModulePage, SampleKind

from .choices import CompetenceLevel, FeedbackTiming, QuestionKind, QuizMode
from .competence import record_assessment
from .curriculum_rules import (
    bank_size_problem,
    cast_problems,
    file_rule_problems,
    question_rule_problems,
)
from .events import record_attendance
from .grading import finish_sitting, mark_essay, start_sitting, submit_answer
from .models import (
    Answer,
    Attendance,
    Category,
    Competency,
    Question,
    QuestionPool,
    Quiz,
    QuizQuestion,
    Scenario,
    Sitting,
    TrainingEvent,
)
from .question_io import (
    FALSE_LABEL,
    TRUE_LABEL,
    ParsedOption,
    ParsedQuestion,
    import_questions,
    parse_gift,
    question_problem,
    save_question,
)

QUIZ_DIR = Path(__file__).resolve().parent / "curriculum"
BANK_DIR = QUIZ_DIR / "bank"
BANK_CATEGORY = "Bank latihan"
QUIZ_CATEGORY = "Kuis modul"
PRACTICE_DRAW = 5
MIN_GRADED_QUESTIONS = 8
MIN_PRACTICE_QUESTIONS = 5
MIN_BANK_QUESTIONS = 30

QUIZ_KEYS = {
    "required": {
        "module",
        "slug",
        "title",
        "mode",
        "description",
        "pass_mark",
        "success_text",
        "fail_text",
        "questions",
    },
    "optional": {"scenarios"},
}
QUESTION_KEYS = {
    "required": {"kind", "text", "explanation"},
    "optional": {"scenario", "several", "options", "answer"},
}


class QuizFileError(ValueError):
    """The quiz or bank files have problems; nothing was loaded."""


def quiz_files(directory: Path = QUIZ_DIR) -> list[Path]:
    return sorted(directory.glob("[0-9][0-9]-*.toml"))


def bank_files(directory: Path = BANK_DIR) -> list[Path]:
    return sorted(directory.glob("[0-9][0-9]-*.gift"))


def _parsed(number: int, item: dict) -> ParsedQuestion:
    """A question from a quiz file in the shape the GIFT and CSV readers make."""
    kind = item.get("kind", "")
    question = ParsedQuestion(
        line=number,
        kind=kind,
        text=item.get("text", "").strip(),
        explanation=item.get("explanation", "").strip(),
        several_correct=bool(item.get("several", False)),
        # Writers tend to put the right answer first; each paper shuffles.
        shuffle_options=kind == QuestionKind.MULTIPLE_CHOICE,
    )
    if kind == QuestionKind.TRUE_FALSE:
        right = bool(item.get("answer"))
        question.options = [
            ParsedOption(text=TRUE_LABEL, weight=Decimal(int(right))),
            ParsedOption(text=FALSE_LABEL, weight=Decimal(int(not right))),
        ]
    else:
        question.options = [
            ParsedOption(
                text=str(option.get("text", "")).strip(),
                weight=Decimal(str(option.get("weight", 0))),
                feedback=str(option.get("feedback", "")).strip(),
            )
            for option in item.get("options", [])
        ]
    return question


def _read_quiz(path: Path, problems: list[str]) -> dict | None:
    try:
        with path.open("rb") as file:
            return tomllib.load(file)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        problems.append(f"{path.name}: {error}")
        return None


def _question_problems(name: str, number: int, item: dict, scenarios: set) -> list:
    where = f"{name}, soal {number}"
    problems = key_problems(item, QUESTION_KEYS, where)
    if item.get("kind") not in QuestionKind.values:
        return [*problems, f"{where}: jenis {item.get('kind')!r} tidak dikenal"]
    if item.get("kind") == QuestionKind.TRUE_FALSE and "answer" not in item:
        problems.append(f"{where}: soal benar/salah perlu answer = true/false")
    if item.get("scenario") is not None and item["scenario"] not in scenarios:
        problems.append(f"{where}: kisah {item['scenario']!r} tidak ada")
    problem = question_problem(_parsed(number, item))
    if problem:
        problems.append(f"{where}: {problem}")
    if not item.get("explanation", "").strip():
        problems.append(f"{where}: setiap soal perlu penjelasan")
    return problems


def _quiz_problems(name: str, data: dict, modules: dict) -> list[str]:
    problems = key_problems(data, QUIZ_KEYS, name)
    module = modules.get(data.get("module"))
    if module is None:
        return [*problems, f"{name}: modul {data.get('module')!r} tidak ada"]
    scenarios = {s.get("key") for s in data.get("scenarios", [])}
    for scenario in data.get("scenarios", []):
        if "rekaan" not in scenario.get("vignette", "").lower():
            problems.append(f"{name}: kisah {scenario.get('key')!r} harus rekaan")
    questions = data.get("questions", [])
    for number, item in enumerate(questions, start=1):
        problems += _question_problems(name, number, item, scenarios)
        problems += question_rule_problems(f"{name}, soal {number}", _parsed(0, item))
    problems += file_rule_problems(
        name, [_parsed(number, item) for number, item in enumerate(questions, 1)]
    )
    kinds = [item.get("kind") for item in questions]
    if data.get("mode") == QuizMode.GRADED:
        if not module.get("core"):
            problems.append(f"{name}: kuis dinilai hanya untuk modul inti")
        if len(questions) < MIN_GRADED_QUESTIONS:
            problems.append(
                f"{name}: kuis dinilai perlu sedikitnya {MIN_GRADED_QUESTIONS} soal"
            )
        if set(kinds) != set(QuestionKind.values):
            problems.append(f"{name}: kuis dinilai perlu setiap jenis soal")
        if not any(item.get("scenario") for item in questions):
            problems.append(f"{name}: kuis dinilai perlu soal berdasarkan kisah")
    elif data.get("mode") == QuizMode.PRACTICE:
        if len(questions) < MIN_PRACTICE_QUESTIONS:
            problems.append(
                f"{name}: kuis latihan perlu sedikitnya {MIN_PRACTICE_QUESTIONS} soal"
            )
        if QuestionKind.ESSAY in kinds:
            problems.append(f"{name}: kuis latihan tanpa esai (tidak ada yang menilai)")
    else:
        problems.append(f"{name}: mode harus ujian atau latihan")
    return problems + citation_problems(name, data)


def quiz_problems(
    directory: Path = QUIZ_DIR, *, module_directory: Path | None = None
) -> list[str]:
    """Everything wrong with the quiz and bank files, one line each; [] if none.

    The bank is the `bank` folder inside `directory`; the modules the quizzes
    belong to are read from `module_directory` (the shipped ones by default).
    """
    modules = {
        data["slug"]: data
        for data in read_modules(module_directory or CURRICULUM_DIR)
        if "slug" in data
    }
    problems: list[str] = []
    quizzes = {}
    quoted: list[str] = []
    # Every text of a module's lessons, quiz and bank, by the module's number.
    cast = defaultdict(list)
    for data in modules.values():
        cast[data["file"][:2]] += list(all_texts(data))
    for path in quiz_files(directory):
        data = _read_quiz(path, problems)
        if data is not None:
            problems += _quiz_problems(path.name, data, modules)
            quizzes[data.get("module")] = data
            quoted += list(all_texts(data))
            cast[path.name[:2]] += list(all_texts(data))
    for slug in modules.keys() - quizzes.keys():
        problems.append(f"modul {slug!r} belum punya kuis")
    total = 0
    for path in bank_files(directory / "bank"):
        parsed = parse_gift(path.read_text(encoding="utf-8"))
        problems += [
            f"{path.name}, baris {line}: {error}" for line, error in parsed.errors
        ]
        for question in parsed.questions:
            where = f"{path.name}, baris {question.line}"
            if not question.category or question.category[0] != BANK_CATEGORY:
                problems.append(f"{where}: kategori harus di bawah {BANK_CATEGORY}")
            if not question.explanation:
                problems.append(f"{where}: setiap soal perlu penjelasan (####)")
            problems += question_rule_problems(where, question)
        problems += file_rule_problems(path.name, parsed.questions)
        module = modules.get(_module_slug(path))
        if module is not None:
            problems += bank_size_problem(
                path.name, len(parsed.questions), core=bool(module.get("core"))
            )
        if len({question.category for question in parsed.questions}) > 1:
            problems.append(f"{path.name}: satu kategori untuk semua soal berkas")
        if _module_slug(path) not in modules:
            problems.append(f"{path.name}: nama berkas harus NN-<slug modul>.gift")
        bank_texts = [q.text + " " + q.explanation for q in parsed.questions]
        cast[path.name[:2]] += [path.read_text(encoding="utf-8")]
        problems += citation_problems(path.name, bank_texts)
        quoted += bank_texts
        total += len(parsed.questions)
    cited = cited_numbers(all_texts(list(modules.values()))) | cited_numbers(quoted)
    for source in read_sources(module_directory or CURRICULUM_DIR):
        if source.number_year not in cited:
            problems.append(f"{SOURCES_FILE}: {source.cite} tidak dikutip di mana pun")
    problems += cast_problems(cast)
    if total < MIN_BANK_QUESTIONS:
        problems.append(
            f"bank latihan: {total} soal, perlu sedikitnya {MIN_BANK_QUESTIONS}"
        )
    return problems


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
            _parsed(order, item),
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


def _bank_questions(path: Path):
    """The questions of the bank category a bank file fills, as stored."""
    [first, *_rest] = parse_gift(path.read_text(encoding="utf-8")).questions
    category = None
    for name in first.category:
        category = Category.objects.filter(name=name, parent=category).first()
        if category is None:
            return Question.objects.none()
    return Question.objects.filter(category=category)


def _import_bank(path: Path) -> None:
    report = import_questions(content=path.read_bytes(), filename=path.name)
    if report.errors:
        raise QuizFileError(f"{path.name}: {report.errors}")
    Question.objects.filter(
        pk__in=[question.pk for question in report.created],
        kind=QuestionKind.MULTIPLE_CHOICE,
    ).update(shuffle_options=True)


def replace_bank(path: Path) -> None:
    """A newer edition of one module's bank: questions it no longer holds go
    (unless a quiz picked them by hand), new ones come in."""
    parsed = parse_gift(path.read_text(encoding="utf-8"))
    texts = {question.text for question in parsed.questions}
    _delete_unused(_bank_questions(path).exclude(text__in=texts))
    _import_bank(path)


def _load_bank(path: Path, edition: tuple[int, list[str]]) -> None:
    number, changes = edition
    slug = _module_slug(path)
    existing = _bank_questions(path)
    if not existing.exists():
        _import_bank(path)
        record_loaded(SampleKind.BANK, slug, _bank_title(path), number)
        return
    update(
        kind=SampleKind.BANK,
        key=slug,
        title=_bank_title(path),
        edition=number,
        changes=changes,
        loaded_at=lambda: existing.aggregate(first=Min("created_at"))["first"],
        edited_since=lambda since: (
            existing.filter(updated_at__gt=since).exists()
            or logged_edits_since(
                Question, existing.values_list("pk", flat=True), since
            )
        ),
        replace=lambda: replace_bank(path),
    )


def _bank_title(path: Path) -> str:
    [first, *_rest] = parse_gift(path.read_text(encoding="utf-8")).questions
    return "/".join(first.category)


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
        data = _read_quiz(path, [])
        if data["module"] in modules:
            quizzes.append(
                _load_quiz(data, modules[data["module"]], editions[data["module"]])
            )
    for path in bank_files(BANK_DIR):
        _load_bank(path, editions[_module_slug(path)])
        module = modules.get(_module_slug(path))
        if module is not None and module.is_core:
            path_names = parse_gift(path.read_text(encoding="utf-8")).questions[0]
            quizzes.append(_load_practice_draw(module, _category(*path_names.category)))
    return quizzes


def _module_slug(path: Path) -> str:
    """The module a bank file belongs to: "03-konseling.gift" is "konseling"."""
    return path.stem.split("-", 1)[1]


def prepare_assessments(*, demo: bool) -> None:
    if demo:
        load_curriculum_assessments()
        load_demo_competencies()
        load_demo_event()
        load_demo_alumna_record()


# The demo framework: the competencies the seeds' training builds, each with
# the law it answers to. Level descriptors are short on purpose: sample content.
DEMO_COMPETENCIES = [
    (
        "Analisis gender",
        "Melihat bagaimana peran dan relasi kuasa laki-laki dan perempuan "
        "membentuk kerentanan terhadap kekerasan.",
        "Membedakan jenis kelamin dan gender\nMengenali ketimpangan relasi kuasa "
        "dalam kasus",
        "UU 12/2022 (TPKS) pasal 26: perspektif hak asasi manusia dan sensitif gender",
    ),
    (
        "Mengenali bentuk dan dampak KTP/KTA",
        "Mengenali kekerasan fisik, psikis, seksual, penelantaran dan eksploitasi, "
        "serta dampaknya bagi perempuan dan anak.",
        "Menyebut empat bentuk KDRT\nMengenali tanda kekerasan pada anak",
        "UU 23/2004 (PKDRT) pasal 5",
    ),
    (
        "Konseling awal dan penguatan korban",
        "Mendengarkan, menenangkan dan menguatkan korban tanpa menghakimi.",
        "Mendengarkan tanpa menyalahkan\nMenanyakan keselamatan korban\n"
        "Menghormati pilihan korban",
        "UU 23/2004 (PKDRT) pasal 23; Permenkumham 3/2021",
    ),
    (
        "Mekanisme penanganan dan rujukan kasus",
        "Merujuk korban ke layanan kesehatan, hukum dan sosial yang ia butuhkan.",
        "Mengenal layanan rujukan di wilayahnya\nMendampingi korban ke layanan",
        "UU 23/2004 (PKDRT) pasal 23; UU 12/2022 (TPKS) pasal 26",
    ),
    (
        "Pendokumentasian kasus (offline dan SIMFONI-PPA)",
        "Mencatat kasus dengan kategori yang benar tanpa membuka identitas korban.",
        "Mengisi formulir dokumentasi\nMemakai kategori SIMFONI-PPA",
        "UU 27/2022 (PDP); UU 11/2012 (SPPA) pasal 19",
    ),
    (
        "Proses litigasi dan non-litigasi",
        "Menjelaskan jalur hukum dan penyelesaian di luar pengadilan beserta "
        "batasannya.",
        "Menjelaskan tahapan laporan polisi\nMengetahui larangan penyelesaian di "
        "luar pengadilan untuk kekerasan seksual",
        "UU 12/2022 (TPKS) pasal 23; Permenkumham 3/2021",
    ),
    (
        "Kerja sama dengan pemerintah desa, tokoh masyarakat dan Polsek",
        "Membangun dukungan desa dan aparat untuk pencegahan dan penanganan.",
        "Menghadiri musyawarah desa\nMenjalin kontak dengan Polsek",
        "UU 23/2004 (PKDRT) pasal 15",
    ),
    (
        "Etika, kerahasiaan dan keselamatan pendamping",
        "Menjaga kerahasiaan korban dan keselamatan diri sendiri.",
        "Tidak menyebarkan identitas korban\nMengenali ancaman bagi pendamping",
        "UU 12/2022 (TPKS): kerahasiaan identitas korban; UU 27/2022 (PDP)",
    ),
]


# Which sample modules teach each competency (by slug). Every module teaches
# at least one competency and every competency is taught by at least one module.
DEMO_TEACHING = {
    "Analisis gender": [
        "gender-dan-kesetaraan-gender",
        "kekerasan-terhadap-perempuan-dan-anak",
        "perdagangan-orang-dan-migrasi-aman",
    ],
    "Mengenali bentuk dan dampak KTP/KTA": [
        "kekerasan-terhadap-perempuan-dan-anak",
        "perdagangan-orang-dan-migrasi-aman",
        "ims-dan-hiv-aids",
    ],
    "Konseling awal dan penguatan korban": [
        "konseling-awal-dan-penguatan-korban",
    ],
    "Mekanisme penanganan dan rujukan kasus": [
        "mekanisme-penanganan-dan-rujukan-kasus",
        "perdagangan-orang-dan-migrasi-aman",
        "ims-dan-hiv-aids",
    ],
    "Pendokumentasian kasus (offline dan SIMFONI-PPA)": ["pendokumentasian-kasus"],
    "Proses litigasi dan non-litigasi": [
        "penyelesaian-kasus-litigasi-dan-non-litigasi",
    ],
    "Kerja sama dengan pemerintah desa, tokoh masyarakat dan Polsek": [
        "advokasi-anggaran-desa",
        "mekanisme-penanganan-dan-rujukan-kasus",
        "penyelesaian-kasus-litigasi-dan-non-litigasi",
    ],
    "Etika, kerahasiaan dan keselamatan pendamping": [
        "konseling-awal-dan-penguatan-korban",
        "pendokumentasian-kasus",
        "ims-dan-hiv-aids",
    ],
}


def load_demo_competencies() -> list:
    """The framework, each competency linked to the sample modules that teach it.

    A competency an editor has already linked to modules keeps their choice.
    """
    modules = {page.slug: page for page in ModulePage.objects.all()}
    competencies = []
    for order, (name, description, criteria, basis) in enumerate(DEMO_COMPETENCIES):
        competency, _created = Competency.objects.get_or_create(
            name=name,
            defaults={
                "description": description,
                "criteria": criteria,
                "legal_basis": basis,
                "sort_order": order,
                "not_yet": "Belum menunjukkan kriteria di atas.",
                "developing": "Menunjukkan sebagian kriteria dengan bantuan.",
                "competent": "Menunjukkan semua kriteria secara mandiri.",
            },
        )
        if not competency.modules.exists():
            teaching = [modules[s] for s in DEMO_TEACHING[name] if s in modules]
            if teaching:
                competency.modules.set(teaching)
                competency.save()
        competencies.append(competency)
    return competencies


DEMO_EVENT_TITLE = "Pelatihan Pendokumentasian Kasus"
DOCUMENTATION_MODULE = "pendokumentasian-kasus"


def load_demo_event():
    """The seeds' two-day workshop in Soe, with the I-WILL cohort present."""
    programme = Programme.objects.filter(short_name="I-WILL").first()
    if (
        programme is None
        or TrainingEvent.objects.filter(title=DEMO_EVENT_TITLE).exists()
    ):
        return None
    event = TrainingEvent.objects.create(
        title=DEMO_EVENT_TITLE,
        programme=programme,
        start_date=datetime.date(2022, 11, 17),
        end_date=datetime.date(2022, 11, 18),
        place=Region.objects.get(code="53.02.01"),
        venue="Soe",
    )
    event.organisers.set(programme.organisations.all())
    event.facilitators.set(User.objects.filter(username="fasilitator"))
    event.modules.set(ModulePage.objects.filter(slug=DOCUMENTATION_MODULE))
    event.save()
    trainees = User.objects.filter(enrolments__cohort__programme=programme).distinct()
    Attendance.objects.bulk_create(
        Attendance(event=event, trainee=trainee, day=day)
        for trainee in trainees
        for day in event.days
    )
    return event


# --- The alumna's record: graded quizzes, her cohort's workshop, competence -----

ALUMNA_EVENT_TITLE = "Pelatihan Dasar Pendamping Korban 2025"
ALUMNA_EVENT_DAYS = (datetime.date(2025, 3, 17), datetime.date(2025, 3, 20))
ALUMNA_EVENT_MODULES = [
    "gender-dan-kesetaraan-gender",
    "kekerasan-terhadap-perempuan-dan-anak",
]
# A graded quiz is taken a week after the module's last lesson was studied.
QUIZ_AFTER_LESSONS = datetime.timedelta(days=7)
MARKED_AFTER = datetime.timedelta(days=3)
ALUMNA_ESSAY = (
    "Saya mendengarkan dulu tanpa menyalahkan, menanyakan apakah ia aman malam "
    "ini, lalu menjelaskan pilihan layanan dan membiarkan ia yang memutuskan."
)
ALUMNA_ESSAY_COMMENT = "Runtut dan menghormati pilihan korban."
# Her facilitator judged her "berkembang" midway, then "kompeten" at the end.
ALUMNA_MIDWAY = datetime.date(2025, 6, 30)
ALUMNA_FINAL = datetime.date(2025, 11, 24)
ALUMNA_MIDWAY_COMPETENCY = "Proses litigasi dan non-litigasi"


def _right_answers(sitting: Sitting, user: User) -> None:
    for item in sitting.questions.order_by("position"):
        if item.kind == QuestionKind.ESSAY:
            submit_answer(
                sitting=sitting, user=user, position=item.position, text=ALUMNA_ESSAY
            )
            continue
        chosen = [
            option["id"]
            for option in item.snapshot["options"]
            if Decimal(option["weight"]) > 0
        ]
        submit_answer(sitting=sitting, user=user, position=item.position, chosen=chosen)


def _take_graded_quiz(quiz: Quiz, alumna: User, marker: User, taken_on) -> Sitting:
    """One sitting through the grading rules, then dated to when she sat it."""
    sitting = start_sitting(user=alumna, quiz=quiz, seed=quiz.pk)
    _right_answers(sitting, alumna)
    sitting = finish_sitting(sitting=sitting, user=alumna)
    for answer in Answer.objects.filter(
        sitting_question__sitting=sitting,
        sitting_question__kind=QuestionKind.ESSAY,
    ):
        sitting = mark_essay(
            answer=answer, marker=marker, mark=Decimal(1), comment=ALUMNA_ESSAY_COMMENT
        )
    started = demo_moment(taken_on, 10)
    Sitting.objects.filter(pk=sitting.pk).update(
        started_at=started, finished_at=started + datetime.timedelta(minutes=25)
    )
    Answer.objects.filter(sitting_question__sitting=sitting).update(
        answered_at=started + datetime.timedelta(minutes=20)
    )
    Answer.objects.filter(
        sitting_question__sitting=sitting, marked_at__isnull=False
    ).update(marked_at=demo_moment(taken_on + MARKED_AFTER, 9))
    # Passing completed the module (its lessons were done): on the marking day.
    ModuleCompletion.objects.filter(user=alumna, module=quiz.module).update(
        completed_at=demo_moment(taken_on + MARKED_AFTER, 9)
    )
    sitting.refresh_from_db()
    return sitting


def _alumna_workshop(alumna: User, facilitator: User) -> TrainingEvent | None:
    """Her cohort's four-day basic training in Soe, every day attended."""
    programme = Programme.objects.filter(short_name="SSP-LBK").first()
    if programme is None:
        return None
    event = TrainingEvent.objects.filter(title=ALUMNA_EVENT_TITLE).first()
    if event is not None:
        return event
    start, end = ALUMNA_EVENT_DAYS
    event = TrainingEvent.objects.create(
        title=ALUMNA_EVENT_TITLE,
        programme=programme,
        start_date=start,
        end_date=end,
        place=Region.objects.get(code="53.02.01"),
        venue="Soe",
    )
    event.organisers.set(programme.organisations.all())
    event.facilitators.set([facilitator])
    event.modules.set(ModulePage.objects.filter(slug__in=ALUMNA_EVENT_MODULES))
    event.save()
    for day in event.days:
        record_attendance(recorder=facilitator, event=event, day=day, trainees=[alumna])
        Attendance.objects.filter(event=event, day=day).update(
            recorded_at=demo_moment(day, 16)
        )
    return event


def load_demo_alumna_record() -> None:
    """The alumna's graded quizzes, workshop days and competence assessments.

    Recorded through the rules a trainee and her facilitator use (a sitting
    answered and marked, attendance recorded, assessments with evidence), then
    dated in 2025, WITA. Done once: an alumna with a sitting is left alone.
    """
    alumna = User.objects.filter(username=ALUMNA).first()
    facilitator = User.objects.filter(username="fasilitator").first()
    if alumna is None or facilitator is None:
        return
    if Sitting.objects.filter(user=alumna).exists():
        return
    with transaction.atomic():
        sittings = {}
        graded = Quiz.objects.filter(
            mode=QuizMode.GRADED, module__is_core=True
        ).select_related("module")
        for quiz in sorted(graded, key=lambda quiz: quiz.module.path):
            studied = LessonProgress.objects.filter(
                user=alumna, lesson__path__startswith=quiz.module.path
            ).aggregate(last=Max("completed_at"))["last"]
            if studied is None:
                continue
            taken_on = timezone.localdate(studied) + QUIZ_AFTER_LESSONS
            sittings[quiz.module.slug] = _take_graded_quiz(
                quiz, alumna, facilitator, taken_on
            )
        event = _alumna_workshop(alumna, facilitator)
        _alumna_competence(alumna, facilitator, sittings, event)


def _alumna_competence(alumna, facilitator, sittings: dict, event) -> None:
    attended = (
        Attendance.objects.filter(event=event, trainee=alumna).order_by("day").first()
        if event
        else None
    )
    for competency in Competency.objects.prefetch_related("modules").order_by(
        "sort_order", "pk"
    ):
        evidence = [
            (sittings[module.slug], "Kuis dinilai modul ini lulus.")
            for module in competency.modules.all()
            if module.slug in sittings
        ][:2]
        if attended is not None:
            evidence.append(
                (attended, "Diamati saat latihan peran di pelatihan dasar.")
            )
        if competency.name == ALUMNA_MIDWAY_COMPETENCY:
            record_assessment(
                assessor=facilitator,
                trainee=alumna,
                competency=competency,
                level=CompetenceLevel.DEVELOPING,
                assessed_on=ALUMNA_MIDWAY,
                comment="Memahami jalur litigasi; perlu latihan menjelaskannya.",
                evidence=evidence,
            )
        record_assessment(
            assessor=facilitator,
            trainee=alumna,
            competency=competency,
            level=CompetenceLevel.COMPETENT,
            assessed_on=ALUMNA_FINAL,
            comment="Menunjukkan semua kriteria secara mandiri.",
            evidence=evidence,
        )
