"""Desa and kelurahan names in a narrative, and the ages and schools that,
written beside one, point to a single person (`mentorship.narrative`'s desa
rule): in a village of five hundred, "siswi SMP, 14 tahun, dari Oelet" is one
girl.

The names come from the region data, minus those that are ordinary words or
towns; they are read once per process (`place_names`).
"""

import re
from dataclasses import dataclass
from functools import lru_cache

from learning.choices import RegionLevel
from learning.models import Region, search_key

# Desa names that are ordinary Indonesian words or phrases ("tentang", "pada",
# "mata air"): written in a note they almost never mean the village. Every
# entry is the search key of a real NTT desa or kelurahan name (a test holds
# the list to the region data).
ORDINARY_WORDS = frozenset(
    {
        "alas",
        "arus",
        "barang",
        "bareng",
        "baru",
        "batu",
        "bela",
        "bokong",
        "bulan",
        "cendana",
        "done",
        "elok",
        "galang",
        "gulung",
        "gunung",
        "kembang",
        "koki",
        "kuli",
        "lemon",
        "lentera",
        "lewat",
        "lidi",
        "lumut",
        "mahal",
        "mampir",
        "mawar",
        "merdeka",
        "muda",
        "mutiara",
        "nasi",
        "normal",
        "nusa",
        "pada",
        "pandai",
        "perak",
        "pinggang",
        "pondok",
        "purnama",
        "raba",
        "raja",
        "reka",
        "renda",
        "robek",
        "ruang",
        "runut",
        "sabun",
        "sagu",
        "sama",
        "sini",
        "sisi",
        "sisir",
        "sita",
        "solo",
        "susu",
        "tanjung",
        "teluk",
        "temu",
        "tenda",
        "tentang",
        "terong",
        "tilang",
        "totok",
        "tuntun",
        "wali",
        # Phrases
        "airmancur",
        "batutiga",
        "kampungbaru",
        "kampungsawah",
        "kayuputih",
        "mataair",
        "pantaibesar",
        "pasirpanjang",
        "pasirputih",
        "tanahmerah",
        "tanahputih",
        "tanahrata",
    }
)

# Kabupaten capitals: towns, not villages, even where a kelurahan has the name.
TOWNS = frozenset(
    search_key(name)
    for name in (
        "Soe",
        "Kefamenanu",
        "Atambua",
        "Betun",
        "Kalabahi",
        "Larantuka",
        "Lewoleba",
        "Maumere",
        "Ende",
        "Bajawa",
        "Mbay",
        "Ruteng",
        "Borong",
        "Labuan Bajo",
        "Waingapu",
        "Waikabubak",
        "Waibakul",
        "Tambolaka",
        "Ba'a",
        "Seba",
        "Oelamasi",
        "Kupang",
        "Nusa Tenggara Timur",
    )
)

MIN_NAME_LETTERS = 4
MAX_NAME_WORDS = 4  # "Lai Lai Bisi Kopan"


@dataclass(frozen=True)
class PlaceNames:
    """Search keys (`search_key`) of desa names, and of names that are allowed."""

    # Every desa name, to match one word of the text: "Oelet", "Oe'Ekam",
    # "OeEkam".
    desa: frozenset[str]
    # Desa names of more than one word, to match a run of words: "Oe Ekam",
    # "Golo Lajang".
    desa_of_several_words: frozenset[str]
    # Kecamatan, kabupaten and town names.
    allowed: frozenset[str]


# "Camplong II", "Lamalera A": the village is also called by its first part.
_NUMBERED = re.compile(r"^(?P<base>.*\S)\s+(?:[IVX]{1,4}|[A-E])$")


def _name_keys(name: str) -> set[str]:
    keys = {search_key(name)}
    for prefix in ("Kabupaten ", "Kota "):
        if name.startswith(prefix):
            keys.add(search_key(name.removeprefix(prefix)))
    return keys


def _several_words(name: str) -> bool:
    return len(_WORD.findall(name)) > 1 or any(mark in name for mark in "'’`")


@lru_cache(maxsize=1)
def _cached_place_names() -> PlaceNames:
    allowed: set[str] = set(TOWNS)
    desa: dict[str, bool] = {}  # key: written in several words
    for level, name in Region.objects.values_list("level", "name"):
        if level != RegionLevel.DESA:
            allowed |= _name_keys(name)
            continue
        numbered = _NUMBERED.match(name)
        for variant in (name, numbered["base"] if numbered else None):
            if variant:
                key = search_key(variant)
                desa[key] = desa.get(key, False) or _several_words(variant)
    desa = {
        key: several
        for key, several in desa.items()
        if len(key) >= MIN_NAME_LETTERS
        and key not in allowed
        and key not in ORDINARY_WORDS
    }
    return PlaceNames(
        desa=frozenset(desa),
        desa_of_several_words=frozenset(
            key for key, several in desa.items() if several
        ),
        allowed=frozenset(allowed),
    )


def place_names() -> PlaceNames:
    """Loaded once per process; not kept while the region table is still empty."""
    names = _cached_place_names()
    if not names.desa:
        _cached_place_names.cache_clear()
    return names


def forget_place_names() -> None:
    """Drop the loaded names (after the regions were reloaded)."""
    _cached_place_names.cache_clear()


# Letters, with apostrophes inside a name: "Oe'Ekam", "Fatu'Ana".
_WORD = re.compile(r"[^\W\d_]+(?:['’`][^\W\d_]+)*")
# What may sit between the words of one name: spaces or a hyphen.
_JOIN = re.compile(r"^(?:\s+|\s*-\s*)$")

_NUMBER_WORD = r"\d{1,2}"
_AGE_BEFORE = re.compile(
    rf"\b(?:umur(?:nya)?|usia(?:nya)?|berumur|berusia)\s*:?\s*{_NUMBER_WORD}(?!\d)"
    r"(?:\s*(?:tahun|thn|th)\b)?(?![\d\-–/.,]\d)",
    re.IGNORECASE,
)
_AGE_AFTER = re.compile(
    rf"(?<![\d\-–/.,])\b{_NUMBER_WORD}\s*(?:tahun|thn|th)\b", re.IGNORECASE
)
# "divonis 12 tahun penjara", "sejak 3 tahun lalu": a time, not an age; "UU
# 35 Tahun 2014": a law's number and year.
_DURATION_BEFORE = re.compile(
    r"\b(?:selama|sejak|sudah|telah|hukuman|pidana|penjara|vonis|divonis|dihukum"
    r"|dituntut|tuntutan|kurungan|menikah|tinggal|bekerja)\s+$",
    re.IGNORECASE,
)
_DURATION_AFTER = re.compile(
    r"^\s+(?:lalu|yang\s+lalu|silam|terakhir|belakangan|penjara|kurungan"
    r"|lamanya|berturut|\d{4}(?!\d))",
    re.IGNORECASE,
)
_SCHOOL = re.compile(
    r"\bSD\b"
    r"|\b(?:SDN|SDI|SDK|SMP[NK]?|SMA[NK]?|SMK[N]?|MTsN?)\b"
    r"|\bsekolah(?:nya)?\b|\bsiswi\b|\bsiswa\b|\bmurid\b|\bpelajar\b"
    r"|\bkelas\s+(?:\d{1,2}|[IVX]{1,4})\b",
    re.IGNORECASE,
)
_SD_LOWER = re.compile(r"\bsd\b")


def ages_and_schools(text: str) -> list[tuple[int, str]]:
    found: list[tuple[int, int, str]] = []
    for match in _AGE_BEFORE.finditer(text):
        found.append((match.start(), match.end(), match.group(0)))
    for match in _AGE_AFTER.finditer(text):
        if _DURATION_BEFORE.search(text[: match.start()]) or _DURATION_AFTER.search(
            text[match.end() :]
        ):
            continue
        found.append((match.start(), match.end(), match.group(0)))
    for match in _SCHOOL.finditer(text):
        # "sd" in lower case is mostly "sampai dengan" ("tgl 3 sd 5").
        if _SD_LOWER.fullmatch(match.group(0)):
            continue
        found.append((match.start(), match.end(), match.group(0)))
    found.sort()
    kept: list[tuple[int, str]] = []
    end_of_last = -1
    for start, end, quote in found:
        if start < end_of_last:
            continue
        kept.append((start, quote))
        end_of_last = end
    return kept


def desa_mentions(text: str) -> list[tuple[int, int]]:
    """Where desa names stand in the text, longest names first."""
    names = place_names()
    words = [
        (match.start(), match.end(), search_key(match.group(0)))
        for match in _WORD.finditer(text)
    ]
    found = []
    i = 0
    while i < len(words):
        for length in range(MAX_NAME_WORDS, 0, -1):
            if i + length > len(words):
                continue
            part = words[i : i + length]
            if any(
                not _JOIN.match(text[a[1] : b[0]])
                for a, b in zip(part, part[1:], strict=False)
            ):
                continue
            key = "".join(w[2] for w in part)
            if key in names.allowed:
                i += length
                break
            desa = names.desa_of_several_words if length > 1 else names.desa
            if key in desa:
                found.append((part[0][0], part[-1][1]))
                i += length
                break
        else:
            i += 1
    return found
