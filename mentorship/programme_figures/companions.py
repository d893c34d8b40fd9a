"""Companions' figures for a year: who was active where, the cases they
accompanied (by type, path and kecamatan), the obstacles they met, their
verified magang hours, and the cases series over every year with the
hand-entered years before Pendamping beside the computed ones.

Each reading is one query whatever the amount of data; the JSON lists of
reflections are summed here over one `values_list`.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import reduce
from operator import or_

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from learning.choices import RegionLevel
from learning.models import Programme, Region
from learning.tables import Row, Table

from ..choices import CasePath, EntryStatus, Obstacle, ViolenceType
from ..models import HourEntry, ProgrammeHistoryYear, Reflection, ReflectionSession
from .scope import Scope, place_q

HOUR = Decimal(60)
TENTH = Decimal("0.1")


def unknown_place() -> str:
    return _("Desa belum diisi")


def _count(item) -> int:
    """A stored count, or 0 for anything that is not a whole number ≥ 0."""
    if not isinstance(item, dict):
        return 0
    value = item.get("count")
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return 0
    return value


def hours_of(minutes: int) -> Decimal:
    return (Decimal(minutes) / HOUR).quantize(TENTH, rounding=ROUND_HALF_UP)


@dataclass
class Village:
    name: str
    code: str
    kecamatan: str
    kecamatan_code: str


@dataclass
class CompanionYear:
    """The year's readings, before they become tables."""

    # person id -> village id (None: not filled in)
    active: dict[int, int | None] = field(default_factory=dict)
    reflections: list[tuple[int | None, list, list]] = field(default_factory=list)
    minutes_by_village: Counter = field(default_factory=Counter)
    villages: dict[int, Village] = field(default_factory=dict)

    @property
    def cases(self) -> int:
        return sum(
            _count(item) for _v, counts, _o in self.reflections for item in counts
        )


# Where a person lives, read in the same query as what they did.
VILLAGE = ("id", "name", "code", "parent__name", "parent__code")


def _village_fields(person: str) -> list[str]:
    return [f"{person}__village__{name}" for name in VILLAGE]


def _village(reading: CompanionYear, values) -> int | None:
    """Remember the village of (id, name, code, kecamatan, kecamatan code)."""
    village, name, code, kecamatan, kecamatan_code = values
    if village is not None and village not in reading.villages:
        reading.villages[village] = Village(
            name=name,
            code=code,
            kecamatan=kecamatan or "",
            kecamatan_code=kecamatan_code or "",
        )
    return village


def read_year(scope: Scope, year: int) -> CompanionYear:
    """Attendance, reflections and verified hours of `year`, with the villages:
    three queries."""
    reading = CompanionYear()
    if scope.empty:
        return reading
    attended = (
        ReflectionSession.attendees.through.objects.filter(reflectionsession__year=year)
        .filter(scope.session("reflectionsession"))
        .filter(scope.person("user"))
        .values_list("user_id", *_village_fields("user"))
        .distinct()
    )
    for person, *village in attended:
        reading.active[person] = _village(reading, village)
    for person, counts, obstacles, *village in (
        Reflection.objects.filter(session__year=year)
        .filter(scope.session())
        .filter(scope.person("person"))
        .values_list(
            "person_id", "case_counts", "obstacles", *_village_fields("person")
        )
    ):
        village = _village(reading, village)
        counts = counts if isinstance(counts, list) else []
        obstacles = obstacles if isinstance(obstacles, list) else []
        reading.reflections.append((village, counts, obstacles))
        if any(_count(item) for item in counts):
            reading.active[person] = village
    fields = _village_fields("trainee")
    for row in (
        HourEntry.objects.filter(status=EntryStatus.VERIFIED, date__year=year)
        .filter(scope.enrolled("trainee"))
        .filter(scope.person("trainee"))
        .values("trainee_id", *fields)
        .annotate(minutes=Sum("minutes"))
        .order_by()
    ):
        village = _village(reading, [row[name] for name in fields])
        reading.active[row["trainee_id"]] = village
        reading.minutes_by_village[village] += row["minutes"] or 0
    return reading


# --- Tables of the year ------------------------------------------------------


def active_by_village(reading: CompanionYear) -> Table:
    counted = Counter(reading.active.values())
    known = sorted(
        (village for village in counted if village in reading.villages),
        key=lambda village: reading.villages[village].code,
    )
    rows = [
        Row(
            f"{reading.villages[v].name}, {reading.villages[v].kecamatan}",
            [counted[v]],
        )
        for v in known
    ]
    unknown = sum(n for v, n in counted.items() if v not in reading.villages)
    if unknown:
        rows.append(Row(unknown_place(), [unknown]))
    return Table.with_totals(
        key="pendamping-aktif-desa",
        title=_("Pendamping aktif per desa"),
        row_header=_("Desa, kecamatan"),
        columns=[_("Pendamping aktif")],
        rows=rows,
    )


def kabupaten_codes(scope: Scope, reading: CompanionYear) -> set[str]:
    """The kabupaten whose villages count: the place chosen, else those where
    the active companions live, else the programmes' working areas (a year
    before Pendamping, or one nobody was active in yet)."""
    if scope.place is not None:
        return {scope.place.code[:5]}
    lived_in = {
        reading.villages[v].code[:5]
        for v in reading.active.values()
        if v in reading.villages
    }
    # Read even when not needed, so the count of queries stays the same.
    worked_in = Programme.kabupaten.through.objects.all()
    if scope.programme_ids is not None:
        worked_in = worked_in.filter(programme_id__in=scope.programme_ids)
    if scope.organisation_id is not None:
        worked_in = worked_in.filter(programme__organisations=scope.organisation_id)
    working = set(worked_in.values_list("region__code", flat=True))
    return lived_in or working


def villages_by_kecamatan(scope: Scope, reading: CompanionYear) -> Table:
    """Desa with an active companion against all desa, per kecamatan."""
    rows = []
    if not scope.empty:
        active_villages = {v for v in reading.active.values() if v in reading.villages}
        active_per_kecamatan = Counter(
            reading.villages[v].kecamatan_code for v in active_villages
        )
        # With nobody active the query still runs (and matches nothing): the
        # number of queries does not depend on the data.
        in_kabupaten = reduce(
            or_,
            (
                Q(code__startswith=code + ".")
                for code in sorted(kabupaten_codes(scope, reading))
            ),
            Q(code=""),
        )
        desa = Region.objects.filter(in_kabupaten, level=RegionLevel.DESA)
        if scope.place is not None:
            desa = desa.filter(place_q(scope.place, ""))
        for row in (
            desa.values("parent__code", "parent__name")
            .annotate(villages=Count("pk"))
            .order_by("parent__code")
        ):
            rows.append(
                Row(
                    row["parent__name"],
                    [active_per_kecamatan[row["parent__code"]], row["villages"]],
                )
            )
    return Table(
        key="desa-aktif-kecamatan",
        title=_("Desa dengan pendamping aktif per kecamatan"),
        row_header=_("Kecamatan"),
        columns=[_("Desa dengan pendamping aktif"), _("Semua desa")],
        rows=rows,
        totals=False,
        suppress=False,
        note=_("Pendamping yang desanya belum diisi tidak dihitung di sini."),
    )


def _type_labels() -> list[str]:
    return [str(label) for label in ViolenceType.labels]


def cases_by_type_and_path(reading: CompanionYear) -> Table:
    counted = Counter()
    for _village, counts, _obstacles in reading.reflections:
        for item in counts:
            if _count(item):
                counted[(item.get("type"), item.get("path"))] += _count(item)
    return Table.with_totals(
        key="kasus-jenis-jalur",
        title=_("Kasus yang didampingi menurut jenis dan jalur"),
        row_header=_("Jenis kekerasan"),
        columns=[str(label) for label in CasePath.labels],
        rows=[
            Row(str(label), [counted[(kind, path)] for path in CasePath.values])
            for kind, label in ViolenceType.choices
        ],
        note=_("Satu kasus yang didampingi dua pendamping dihitung dua kali."),
    )


def cases_by_kecamatan(reading: CompanionYear) -> Table:
    counted: dict[str, Counter] = defaultdict(Counter)
    names: dict[str, str] = {}
    for village, counts, _obstacles in reading.reflections:
        if village in reading.villages:
            key = reading.villages[village].kecamatan_code
            names[key] = reading.villages[village].kecamatan
        else:
            key = ""
        for item in counts:
            if _count(item):
                counted[key][item.get("type")] += _count(item)
    rows = [
        Row(names[key], [counted[key][kind] for kind in ViolenceType.values])
        for key in sorted(key for key in counted if key)
    ]
    if "" in counted:
        rows.append(
            Row(unknown_place(), [counted[""][kind] for kind in ViolenceType.values])
        )
    return Table.with_totals(
        key="kasus-kecamatan-jenis",
        title=_("Kasus yang didampingi per kecamatan dan jenis"),
        row_header=_("Kecamatan"),
        columns=_type_labels(),
        rows=rows,
        note=_(
            "Kecamatan desa pendamping, bukan tempat kejadian. Satu kasus yang "
            "didampingi dua pendamping dihitung dua kali."
        ),
    )


def obstacles(reading: CompanionYear) -> Table:
    counted = Counter()
    for _village, _counts, items in reading.reflections:
        counted.update(
            {item.get("category") for item in items if isinstance(item, dict)}
        )
    order = sorted(
        Obstacle.choices,
        key=lambda choice: (-counted[choice[0]], Obstacle.values.index(choice[0])),
    )
    return Table(
        key="kendala",
        title=_("Kendala yang paling sering disebut"),
        row_header=_("Kendala"),
        columns=[_("Refleksi yang menyebutnya")],
        rows=[Row(str(label), [counted[value]]) for value, label in order],
        totals=False,
        note=_("Satu refleksi dapat menyebut beberapa kendala."),
    )


def hours_by_kecamatan(reading: CompanionYear) -> Table:
    minutes: Counter = Counter()
    names: dict[str, str] = {}
    for village, spent in reading.minutes_by_village.items():
        if village in reading.villages:
            key = reading.villages[village].kecamatan_code
            names[key] = reading.villages[village].kecamatan
        else:
            key = ""
        minutes[key] += spent
    rows = [Row(names[key], [hours_of(minutes[key])]) for key in sorted(names)]
    if "" in minutes:
        rows.append(Row(unknown_place(), [hours_of(minutes[""])]))
    return Table.with_totals(
        key="jam-magang",
        title=_("Jam magang terverifikasi per kecamatan"),
        row_header=_("Kecamatan"),
        columns=[_("Jam")],
        rows=rows,
        suppress=False,
    )


# --- Cases over the years ----------------------------------------------------


@dataclass
class HandEntered:
    """One year's hand-entered rows of the organisations in scope, summed."""

    types: Counter = field(default_factory=Counter)
    types_given: set = field(default_factory=set)
    unrecorded: int = 0
    has_cases: bool = False
    cases_accompanied: int = 0
    villages_assisted: int | None = None
    active_companions: int | None = None
    sources: list[str] = field(default_factory=list)

    @property
    def note(self) -> str:
        return _("Dicatat manual · %(source)s") % {
            "source": "; ".join(dict.fromkeys(self.sources))
        }


def _add(total: int | None, value: int | None) -> int | None:
    if value is None:
        return total
    return (total or 0) + value


def read_history(scope: Scope) -> dict[int, HandEntered]:
    """Hand-entered years in scope; none when a place is chosen (their totals
    cannot be split below the programme)."""
    if scope.empty or scope.place is not None:
        return {}
    rows = ProgrammeHistoryYear.objects.all()
    if scope.programme_ids is not None:
        rows = rows.filter(programme_id__in=scope.programme_ids)
    if scope.organisation_id is not None:
        rows = rows.filter(organisation_id=scope.organisation_id)
    years: dict[int, HandEntered] = defaultdict(HandEntered)
    for row in rows.order_by("year", "organisation__short_name").values(
        "year",
        "cases_accompanied",
        "cases_by_type",
        "villages_assisted",
        "active_companions",
        "source",
    ):
        entered = years[row["year"]]
        by_type = row["cases_by_type"] if isinstance(row["cases_by_type"], dict) else {}
        typed = 0
        for kind in ViolenceType.values:
            value = _count({"count": by_type.get(kind)})
            if kind in by_type and by_type.get(kind) is not None:
                entered.types[kind] += value
                entered.types_given.add(kind)
                entered.has_cases = True
                typed += value
        if row["cases_accompanied"] is not None:
            entered.has_cases = True
            entered.unrecorded += max(0, row["cases_accompanied"] - typed)
            entered.cases_accompanied += max(row["cases_accompanied"], typed)
        else:
            entered.cases_accompanied += typed
        entered.villages_assisted = _add(
            entered.villages_assisted, row["villages_assisted"]
        )
        entered.active_companions = _add(
            entered.active_companions, row["active_companions"]
        )
        entered.sources.append(row["source"])
    return dict(years)


def cases_per_year(scope: Scope, history: dict[int, HandEntered]) -> Table:
    computed: dict[int, Counter] = defaultdict(Counter)
    reflections = (
        Reflection.objects.filter(scope.session())
        .filter(scope.person("person"))
        .values_list("session__year", "case_counts")
    )
    kinds = set(ViolenceType.values)  # built once, not per counted item
    for year, counts in [] if scope.empty else reflections:
        computed[year]  # a year whose reflections counted none still shows
        for item in counts if isinstance(counts, list) else []:
            if _count(item) and item.get("type") in kinds:
                computed[year][item["type"]] += _count(item)
    entered = {year: row for year, row in history.items() if row.has_cases}
    unrecorded_column = any(row.unrecorded for row in entered.values())
    rows = []
    for year in sorted(set(computed) | set(entered)):
        both = year in computed and year in entered
        if year in computed:
            values = [computed[year][kind] for kind in ViolenceType.values]
            if unrecorded_column:
                values.append(None)
            note = _("Dihitung dari refleksi di Pendamping") if both else ""
            rows.append(Row(str(year), values, note))
        if year in entered:
            row = entered[year]
            values = [
                row.types[kind] if kind in row.types_given else None
                for kind in ViolenceType.values
            ]
            if unrecorded_column:
                values.append(row.unrecorded or None)
            label = (
                _("%(year)s (dicatat manual)") % {"year": year} if both else str(year)
            )
            rows.append(Row(label, values, row.note))
    columns = _type_labels()
    if unrecorded_column:
        columns.append(_("Jenis tidak dicatat"))
    notes = [_("Satu kasus yang didampingi dua pendamping dihitung dua kali.")]
    if entered:
        notes.append(
            _(
                "Tahun bertanda 'dicatat manual' berasal dari laporan lembaga "
                "sebelum Pendamping dipakai."
            )
        )
    if scope.place is not None:
        notes.append(
            _(
                "Angka yang dicatat manual tidak dapat dipecah per kabupaten, "
                "kecamatan atau desa, jadi tidak ditampilkan saat wilayah disaring."
            )
        )
    return Table.with_totals(
        key="kasus-per-tahun",
        title=_("Kasus yang didampingi per tahun"),
        row_header=_("Tahun"),
        columns=columns,
        rows=rows,
        note=" ".join(notes),
    )
