"""How the competencies answer to the law: read from `curriculum/pemetaan-hukum.toml`.

The mapping lives beside the competency framework, with the addresses where
each article was read. A certificate prints it on its second page, matched
against the competency names the certificate rests on (`answering`), and
`manage.py check_curriculum` holds it to its rules (`mapping_problems`):
every competency it names is in the sample framework, every regulation it
cites is listed in `modules/curriculum/sumber.toml`, and every requirement
is answered by at least one competency.
"""

import functools
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from modules.demo import CURRICULUM_DIR, SOURCES_FILE, Source, read_sources
from modules.demo import citation_problems as unlisted_citations

from .sample_competencies import SAMPLE_COMPETENCIES

MAPPING_FILE = Path(__file__).resolve().parent / "curriculum" / "pemetaan-hukum.toml"

LAW_KEYS = {"cite", "heading", "intro"}
REQUIREMENT_KEYS = {"key", "cite", "article", "text", "competencies", "checked"}
LIMIT_KEYS = {"cite", "article", "text", "checked"}


class LegalMappingError(ValueError):
    """The mapping file cannot be read; the message says why."""


@dataclass(frozen=True)
class Law:
    cite: str  # "UU 12/2022", as in sumber.toml
    heading: str
    intro: str = ""


@dataclass(frozen=True)
class Requirement:
    """One thing the law asks of a companion, and the competencies that answer it."""

    key: str
    cite: str
    article: str  # "pasal 26 ayat (3) huruf a"; "" when no article was verified
    text: str
    competencies: tuple[str, ...]
    checked: tuple[str, ...] = ()

    @property
    def reference(self) -> str:
        """ "UU 12/2022 pasal 26 ayat (3) huruf a", or the regulation alone."""
        return f"{self.cite} {self.article}".strip()


@dataclass(frozen=True)
class Limit:
    """Something a certificate does not mean, with the rule that says so."""

    cite: str
    article: str
    text: str
    checked: tuple[str, ...] = ()

    @property
    def reference(self) -> str:
        return f"{self.cite} {self.article}".strip()


@dataclass(frozen=True)
class LegalMapping:
    laws: tuple[Law, ...]
    requirements: tuple[Requirement, ...]
    limits: tuple[Limit, ...]

    def requirements_of(self, law: Law) -> list[Requirement]:
        return [item for item in self.requirements if item.cite == law.cite]

    def limits_of(self, law: Law) -> list[Limit]:
        return [item for item in self.limits if item.cite == law.cite]


def _strings(value) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(str(item).strip() for item in value if str(item).strip())


def _text(table: dict, key: str) -> str:
    value = table.get(key, "")
    return value.strip() if isinstance(value, str) else ""


def _tables(data: dict, key: str) -> list[dict]:
    tables = data.get(key, [])
    if not isinstance(tables, list):
        return []
    return [table for table in tables if isinstance(table, dict)]


def parse_mapping(data: dict) -> LegalMapping:
    """The mapping from a file's TOML content (lenient: the check is stricter)."""
    return LegalMapping(
        laws=tuple(
            Law(
                cite=_text(table, "cite"),
                heading=_text(table, "heading"),
                intro=_text(table, "intro"),
            )
            for table in _tables(data, "laws")
        ),
        requirements=tuple(
            Requirement(
                key=_text(table, "key"),
                cite=_text(table, "cite"),
                article=_text(table, "article"),
                text=_text(table, "text"),
                competencies=_strings(table.get("competencies")),
                checked=_strings(table.get("checked")),
            )
            for table in _tables(data, "requirements")
        ),
        limits=tuple(
            Limit(
                cite=_text(table, "cite"),
                article=_text(table, "article"),
                text=_text(table, "text"),
                checked=_strings(table.get("checked")),
            )
            for table in _tables(data, "limits")
        ),
    )


def _read(path: Path) -> dict:
    try:
        with path.open("rb") as file:
            return tomllib.load(file)
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise LegalMappingError(f"{path.name}: {error}") from error


def read_mapping(path: Path = MAPPING_FILE) -> LegalMapping:
    return parse_mapping(_read(path))


@functools.cache
def legal_mapping() -> LegalMapping:
    """The shipped mapping, read once per process."""
    return read_mapping(MAPPING_FILE)


def answering(requirement: Requirement, competency_names: Iterable[str]) -> list[str]:
    """The given competencies that answer `requirement`, in the mapping's order."""
    held = {name.strip().casefold() for name in competency_names}
    return [name for name in requirement.competencies if name.casefold() in held]


# --- The check ---------------------------------------------------------------


def _key_problems(table: dict, keys: set[str], where: str) -> list[str]:
    problems = [f"{where}: kunci {key!r} tidak dikenal" for key in table.keys() - keys]
    problems += [
        f"{where}: {key} kosong"
        for key in ("cite", "text", "heading")
        if key in keys and not _text(table, key)
    ]
    return problems


def mapping_problems(
    path: Path | None = None,
    *,
    sources: list[Source] | None = None,
    competency_names: Iterable[str] | None = None,
) -> list[str]:
    """Everything wrong with the mapping file (the shipped one unless `path`),
    one line each; [] if none."""
    path = path or MAPPING_FILE
    name = path.name
    try:
        data = _read(path)
    except LegalMappingError as error:
        return [str(error)]
    sources = read_sources(CURRICULUM_DIR) if sources is None else sources
    listed = {source.cite for source in sources}
    framework = set(
        competency_names
        if competency_names is not None
        else (competency[0] for competency in SAMPLE_COMPETENCIES)
    )
    problems = [
        f"{name}: bagian [{key}] tidak dikenal"
        for key in data.keys() - {"laws", "requirements", "limits"}
    ]
    for key in ("laws", "requirements", "limits"):
        if not isinstance(data.get(key, []), list) or len(_tables(data, key)) != len(
            data.get(key, [])
        ):
            problems.append(f"{name}: {key} harus daftar tabel [[{key}]]")
    laws = _tables(data, "laws")
    requirements = _tables(data, "requirements")
    if not requirements:
        problems.append(f"{name}: belum ada syarat ([[requirements]])")
    law_cites = {_text(table, "cite") for table in laws}
    for number, table in enumerate(laws, start=1):
        problems += _key_problems(table, LAW_KEYS, f"{name}, hukum {number}")
    seen_keys = set()
    for number, table in enumerate(requirements, start=1):
        where = f"{name}, syarat {_text(table, 'key') or number}"
        problems += _key_problems(table, REQUIREMENT_KEYS, where)
        key = _text(table, "key")
        if not key:
            problems.append(f"{where}: key kosong")
        elif key in seen_keys:
            problems.append(f"{where}: key dipakai dua kali")
        seen_keys.add(key)
        named = table.get("competencies", [])
        if not isinstance(named, list) or not _strings(named):
            problems.append(f"{where}: tidak ada kompetensi yang menjawabnya")
        for competency in _strings(named):
            if competency not in framework:
                problems.append(
                    f"{where}: kompetensi {competency!r} tidak ada di kerangka contoh"
                )
    for number, table in enumerate(_tables(data, "limits"), start=1):
        problems += _key_problems(table, LIMIT_KEYS, f"{name}, batas {number}")
    for kind, tables in (
        ("hukum", laws),
        ("syarat", requirements),
        ("batas", _tables(data, "limits")),
    ):
        for number, table in enumerate(tables, start=1):
            cite = _text(table, "cite")
            where = f"{name}, {kind} {number}"
            if cite and cite not in listed:
                problems.append(f"{where}: {cite!r} tidak ada di {SOURCES_FILE}")
            if kind != "hukum" and cite and cite not in law_cites:
                problems.append(f"{where}: {cite!r} tidak punya bagian [[laws]]")
            if _text(table, "article") and not _strings(table.get("checked")):
                problems.append(
                    f"{where}: pasal disebut tanpa alamat tempat ia dibaca (checked)"
                )
    # Regulations named inside the texts must be listed too.
    problems += unlisted_citations(name, data, sources)
    return problems
