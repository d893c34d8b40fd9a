"""The sample curriculum's quiz and practice-bank files: reading and checking.

Each sample module has a quiz written as TOML in `assessments/curriculum/`
(graded for the six core modules, practice for the three short ones), and a
share of the practice bank written in Moodle's GIFT format in
`assessments/curriculum/bank/`. `quiz_problems` says what is wrong with them,
file by file, without a database, for `manage.py check_curriculum`; the item
writing rules it applies are in `curriculum_rules`.
"""

from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from modules.demo import (
    CURRICULUM_DIR,
    SOURCES_FILE,
    all_texts,
    citation_problems,
    cited_numbers,
    key_problems,
    read_modules,
    read_sources,
    read_toml,
)

from .choices import QuestionKind, QuizMode
from .curriculum_rules import (
    bank_size_problem,
    cast_problems,
    file_rule_problems,
    question_rule_problems,
)
from .question_io import (
    FALSE_LABEL,
    TRUE_LABEL,
    ParsedOption,
    ParsedQuestion,
    parse_gift,
    question_problem,
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


def parsed_question(number: int, item: dict) -> ParsedQuestion:
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


def _question_problems(name: str, number: int, item: dict, scenarios: set) -> list:
    where = f"{name}, soal {number}"
    problems = key_problems(item, QUESTION_KEYS, where)
    if item.get("kind") not in QuestionKind.values:
        return [*problems, f"{where}: jenis {item.get('kind')!r} tidak dikenal"]
    if item.get("kind") == QuestionKind.TRUE_FALSE and "answer" not in item:
        problems.append(f"{where}: soal benar/salah perlu answer = true/false")
    if item.get("scenario") is not None and item["scenario"] not in scenarios:
        problems.append(f"{where}: kisah {item['scenario']!r} tidak ada")
    problem = question_problem(parsed_question(number, item))
    if problem:
        problems.append(f"{where}: {problem}")
    if not item.get("explanation", "").strip():
        problems.append(f"{where}: setiap soal perlu penjelasan")
    return problems


def _quiz_problems(name: str, data: dict, modules: dict, sources) -> list[str]:
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
        problems += question_rule_problems(
            f"{name}, soal {number}", parsed_question(0, item)
        )
    problems += file_rule_problems(
        name,
        [parsed_question(number, item) for number, item in enumerate(questions, 1)],
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
    return problems + citation_problems(name, data, sources)


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
    # The regulations listed beside the modules checked, not the shipped ones.
    sources = read_sources(module_directory or CURRICULUM_DIR)
    problems: list[str] = []
    quizzes = {}
    quoted: list[str] = []
    # Every text of a module's lessons, quiz and bank, by the module's number.
    cast = defaultdict(list)
    for data in modules.values():
        cast[data["file"][:2]] += list(all_texts(data))
    for path in quiz_files(directory):
        data = read_toml(path, problems)
        if data is not None:
            problems += _quiz_problems(path.name, data, modules, sources)
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
        module = modules.get(bank_module_slug(path))
        if module is not None:
            problems += bank_size_problem(
                path.name, len(parsed.questions), core=bool(module.get("core"))
            )
        if len({question.category for question in parsed.questions}) > 1:
            problems.append(f"{path.name}: satu kategori untuk semua soal berkas")
        if bank_module_slug(path) not in modules:
            problems.append(f"{path.name}: nama berkas harus NN-<slug modul>.gift")
        bank_texts = [q.text + " " + q.explanation for q in parsed.questions]
        cast[path.name[:2]] += [path.read_text(encoding="utf-8")]
        problems += citation_problems(path.name, bank_texts, sources)
        quoted += bank_texts
        total += len(parsed.questions)
    cited = cited_numbers(all_texts(list(modules.values()))) | cited_numbers(quoted)
    for source in sources:
        if source.number_year not in cited:
            problems.append(f"{SOURCES_FILE}: {source.cite} tidak dikutip di mana pun")
    problems += cast_problems(cast)
    if total < MIN_BANK_QUESTIONS:
        problems.append(
            f"bank latihan: {total} soal, perlu sedikitnya {MIN_BANK_QUESTIONS}"
        )
    return problems


def bank_module_slug(path: Path) -> str:
    """The module a bank file belongs to: "03-konseling.gift" is "konseling"."""
    return path.stem.split("-", 1)[1]
