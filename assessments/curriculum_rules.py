"""How the sample curriculum's questions and stories must be written.

`check_curriculum` applies these on top of what any question must satisfy
(`question_io.parsed`), because the sample content is what organisations
copy:

- a question is not passed by guessing: ticking every option of a
  multiple-answer question earns at most half the mark, and the right answer
  of a single-answer question is the longest option in at most a third of a
  file's questions;
- every option says why it is right or wrong;
- the practice bank varies: enough questions per module for "Latihan acak";
- each fictional person is one person: a given name has one honorific, lives
  in one module (the companion Mama Yuli excepted) and has one age there.
"""

import math
import re
from collections import defaultdict
from decimal import Decimal

from .choices import QuestionKind
from .question_io import ParsedQuestion
from .question_io.parsed import select_all_mark

SELECT_ALL_LIMIT = Decimal("0.5")
LONGEST_RIGHT_SHARE = 1 / 3
BANK_MINIMUM = {True: 15, False: 8}  # core modules, short modules
# People who appear in several modules on purpose, with the one role they have.
RECURRING = {"Yuli": "pendamping desa"}
HONORIFICS = {
    "Mama": "Mama",
    "Bapa": "Bapa",
    "Adik": "Adik",
    "Nona": "Nona",
    "Ibu": "Ibu",
    "Kaka": "Kaka",
    "Kakak": "Kaka",
    "Om": "Om",
    "Tanta": "Tanta",
    "Nyong": "Nyong",
}
# Capitalised words after an honorific that are not a person's name.
NOT_NAMES = {"Kepala", "Desa", "Camat", "Guru", "Pendeta", "Pastor", "Bidan", "Lurah"}
PERSON = re.compile(r"\b(" + "|".join(HONORIFICS) + r")\s+([A-Z][a-z]+)")
AGE = re.compile(r"\b([A-Z][a-z]+)(?:,\s*| \()(\d{1,2}) tahun")


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "…"


def question_rule_problems(where: str, question: ParsedQuestion) -> list[str]:
    """What one sample question breaks of the rules above."""
    if question.kind != QuestionKind.MULTIPLE_CHOICE:
        return []
    problems = [
        f"{where}: pilihan {_short(option.text)!r} tanpa umpan balik"
        for option in question.options
        if not option.feedback.strip()
    ]
    if question.several_correct and select_all_mark(question.options) > (
        SELECT_ALL_LIMIT
    ):
        problems.append(
            f"{where}: memilih semua jawaban mendapat "
            f"{select_all_mark(question.options) * 100:.0f}%; beri jawaban salah "
            "bobot negatif (paling banyak 50%)"
        )
    return problems


def right_answer_is_longest(question: ParsedQuestion) -> bool:
    if question.several_correct or len(question.options) < 3:
        return False
    right = [o for o in question.options if o.weight == 1]
    others = [o for o in question.options if o.weight != 1]
    return len(right) == 1 and all(
        len(right[0].text) > len(other.text) for other in others
    )


def file_rule_problems(name: str, questions: list[ParsedQuestion]) -> list[str]:
    """The rules that hold for a whole quiz or bank file."""
    single = [
        q
        for q in questions
        if q.kind == QuestionKind.MULTIPLE_CHOICE and not q.several_correct
    ]
    longest = sum(right_answer_is_longest(q) for q in single)
    allowed = math.ceil(len(single) * LONGEST_RIGHT_SHARE)
    if longest > allowed:
        return [
            f"{name}: jawaban benar adalah pilihan terpanjang di {longest} dari "
            f"{len(single)} soal pilihan ganda (paling banyak {allowed}); "
            "panjang jawaban tidak boleh membocorkan kunci"
        ]
    return []


def bank_size_problem(name: str, count: int, *, core: bool) -> list[str]:
    minimum = BANK_MINIMUM[core]
    if count < minimum:
        kind = "inti" if core else "singkat"
        return [f"{name}: {count} soal, modul {kind} perlu sedikitnya {minimum}"]
    return []


def cast_problems(texts_by_module: dict[str, list[str]]) -> list[str]:
    """Each fictional person one person: one honorific, one module, one age.

    `texts_by_module` holds every text of a module's lessons, quiz and bank,
    under the module's number ("01").
    """
    honorifics = defaultdict(set)
    modules = defaultdict(set)
    ages = defaultdict(set)
    for module, texts in texts_by_module.items():
        for text in texts:
            for honorific, name in PERSON.findall(text):
                if name in NOT_NAMES:
                    continue
                honorifics[name].add(HONORIFICS[honorific])
                modules[name].add(module)
    for module, texts in texts_by_module.items():
        for text in texts:
            for name, age in AGE.findall(text):
                if name in modules:
                    ages[(module, name)].add(int(age))
    problems = []
    for name in sorted(honorifics):
        if len(honorifics[name]) > 1:
            called = ", ".join(f"{h} {name}" for h in sorted(honorifics[name]))
            problems.append(f"tokoh: {called} - satu nama untuk satu orang saja")
        if len(modules[name]) > 1 and name not in RECURRING:
            problems.append(
                f"tokoh: {name} muncul di modul {', '.join(sorted(modules[name]))}; "
                "setiap tokoh rekaan hanya di satu modul"
            )
    for (module, name), found in sorted(ages.items()):
        if len(found) > 1:
            problems.append(
                f"tokoh: {name} di modul {module} berumur "
                f"{', '.join(map(str, sorted(found)))} tahun; pilih satu"
            )
    return problems
