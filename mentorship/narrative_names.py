"""People's names in a narrative (`mentorship.narrative`'s name rule).

A note about a real case must not name anyone: "Mendampingi Maria Tefa (14)
ke Polsek" identifies a girl. Four readings find a name, in this order:

- after a kinship or courtesy word: "Mama Yuliana", "Om Petrus", "Sdri. Ina
  Ndun", or after "bernama", "namanya", "nama korban:" (NAME_AFTER; the word
  is kept in `details`);
- beside an age: "Maria (14)", "Yuliana, 15 tahun", "Yohana Benu 14 thn"
  (NAME_AGE; the age in `details`);
- a capitalised word that is a common given or family name of NTT's people:
  "keluarga Nubatonis", "Agus Taneo" (NAME).

Offices and titles are not names ("Ibu Kepala Desa", "Bapa Pendeta", "Ibu
Bidan"), nor kinship words ("Bapa Tua", "Mama Kecil"), nor churches,
hospitals and offices ("Gereja Katolik Santa Maria", "RSUD Prof. Dr. W. Z.
Johannes"), nor the places the region data knows. The word lists are in
`narrative_names.json`, which the phone's copy of the check reads too.
"""

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from learning.identifiers import Finding, Hit
from learning.models import search_key

from .narrative_places import place_names

NAME = "name"
NAME_AFTER = "name_after"
NAME_AGE = "name_age"
NAME_KINDS = frozenset({NAME, NAME_AFTER, NAME_AGE})

WORD_LISTS_FILE = Path(__file__).with_name("narrative_names.json")
# "Dr.", "Prof.", "St.", "W.": an abbreviation before a capitalised word makes
# it part of an institution's or a title's name ("RSUD Prof. Dr. W. Z.
# Johannes", "Gereja St. Yosef").
ABBREVIATIONS = frozenset({"dr", "drs", "prof", "st", "sta", "jl", "ir", "hj"})
MAX_NAME_WORDS = 4


@dataclass(frozen=True)
class WordLists:
    given: frozenset[str]
    family: frozenset[str]
    courtesy: frozenset[str]
    not_names: frozenset[str]
    institutions: frozenset[str]


@cache
def word_lists() -> WordLists:
    data = json.loads(WORD_LISTS_FILE.read_text(encoding="utf-8"))
    return WordLists(
        **{
            field: frozenset(data[field])
            for field in ("given", "family", "courtesy", "not_names", "institutions")
        }
    )


_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
_SPACES = re.compile(r"^[ \t]+$")
# Between a courtesy word and the name: "Mama Yuliana", "Sdri. Maria".
_AFTER_COURTESY = re.compile(r"^\.?[ \t]+$")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\n\"“(]\s*)$")
_NAMED = re.compile(
    r"\b(?:bernama|namanya|nama\s+(?:korban|anak|pelaku|ibunya|bapaknya|ayahnya)"
    r"\s*:?|nama\s*:)[ \t]*$",
    re.IGNORECASE,
)
# An age right after a name: "Maria (14)", "Yuliana, 15 tahun", "Agnes 14 thn",
# but not a year: "UU 35 Tahun 2014".
_AGE_AFTER_NAME = re.compile(
    r"^(?:\s*\(\s*(?P<bracketed>\d{1,2}(?:\s*(?:tahun|thn|th))?)\s*\)"
    r"|\s*,?\s*(?P<plain>\d{1,2}\s*(?:tahun|thn|th)\b))(?!\s*\d)",
    re.IGNORECASE,
)
_ABBREVIATION_BEFORE = re.compile(r"\b(?P<word>[^\W\d_]{1,4})\.\s*$")


@dataclass(frozen=True)
class _Word:
    start: int
    end: int
    text: str
    key: str


def _words(text: str) -> list[_Word]:
    return [
        _Word(match.start(), match.end(), match.group(0), match.group(0).lower())
        for match in _WORD.finditer(text)
    ]


def _is_name_word(word: _Word, lists: WordLists) -> bool:
    """Capitalised ("Yuliana", not "UPTD" or "W") and not an office or place word."""
    letters = word.text.replace("'", "").replace("’", "").replace("-", "")
    return (
        len(letters) > 1
        and letters[0].isupper()
        and letters[1:].islower()
        and word.key not in lists.not_names
        and word.key not in lists.institutions
        and word.key not in lists.courtesy
    )


def _is_place(word: _Word) -> bool:
    names = place_names()
    key = search_key(word.text)
    return key in names.desa or key in names.allowed


def _run(words: list[_Word], i: int, text: str, taken: set[int]) -> int:
    """The end (exclusive) of the run of name words starting at `i`."""
    lists = word_lists()
    j = i
    while (
        j < len(words)
        and j - i < MAX_NAME_WORDS
        and j not in taken
        and _is_name_word(words[j], lists)
        and (j == i or _SPACES.match(text[words[j - 1].end : words[j].start]))
    ):
        j += 1
    return j


def _in_institution(words: list[_Word], i: int, text: str) -> bool:
    """The word before `i` makes it part of a church's, hospital's or office's name."""
    lists = word_lists()
    before = text[: words[i].start]
    abbreviation = _ABBREVIATION_BEFORE.search(before)
    if abbreviation and (
        len(abbreviation["word"]) == 1 or abbreviation["word"].lower() in ABBREVIATIONS
    ):
        return True
    if i == 0 or not _SPACES.match(text[words[i - 1].end : words[i].start]):
        return False
    previous = words[i - 1]
    return previous.key in lists.institutions or (
        len(previous.text) > 1 and previous.text.isupper()
    )


def _sentence_start(words: list[_Word], i: int, text: str) -> bool:
    return bool(_SENTENCE_START.search(text[: words[i].start]))


def name_hits(text: str) -> list[Hit]:
    """Where names of people stand in `text`, each with why it reads as a name."""
    lists = word_lists()
    listed = lists.given | lists.family
    words = _words(text)
    taken: set[int] = set()
    hits: list[Hit] = []

    def add(kind: str, i: int, j: int, details: tuple[str, ...] = ()) -> None:
        taken.update(range(i, j))
        start, end = words[i].start, words[j - 1].end
        hits.append(Hit(start, end, Finding(kind, text[start:end], details)))

    # After a kinship or courtesy word.
    for i, word in enumerate(words[:-1]):
        if word.key not in lists.courtesy or i in taken:
            continue
        if not _AFTER_COURTESY.match(text[word.end : words[i + 1].start]):
            continue
        if (j := _run(words, i + 1, text, taken)) > i + 1:
            taken.add(i)
            add(NAME_AFTER, i + 1, j, (word.text,))
    # After "bernama", "namanya".
    for i, word in enumerate(words):
        named = _NAMED.search(text[: word.start])
        if i in taken or not named:
            continue
        if (j := _run(words, i, text, taken)) > i:
            add(NAME_AFTER, i, j, (named.group(0).strip().rstrip(":").strip(),))
    # Beside an age.
    i = 0
    while i < len(words):
        j = _run(words, i, text, taken)
        if j == i:
            i += 1
            continue
        age = _AGE_AFTER_NAME.match(text[words[j - 1].end :])
        first = i
        # "Mendampingi Maria Tefa (14)": the sentence's first word is not the name.
        if (
            j - first > 1
            and _sentence_start(words, first, text)
            and words[first].key not in listed
        ):
            first += 1
        if (
            age
            and not _in_institution(words, first, text)
            and not all(_is_place(w) for w in words[first:j])
        ):
            add(NAME_AGE, first, j, ((age["bracketed"] or age["plain"]).strip(),))
        i = j
    # A common given or family name.
    i = 0
    while i < len(words):
        j = _run(words, i, text, taken)
        if j == i:
            i += 1
            continue
        first = next((k for k in range(i, j) if words[k].key in listed), None)
        if first is not None and not _in_institution(words, i, text):
            alone = j - first == 1
            ambiguous = alone and (
                _is_place(words[first])
                or (
                    words[first].key not in lists.given
                    and _sentence_start(words, first, text)
                )
            )
            if not ambiguous:
                add(NAME, first, j)
        i = j
    return hits
