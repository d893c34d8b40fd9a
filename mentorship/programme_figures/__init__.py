"""The programme view's figures: by year and place, for coordinators and
facilitators, read in a fixed number of queries whatever the amount of data.

`programme_figures(actor=..., filters=...)` gives the year's headline figures
and every table of the page (`learning.tables.Table`), exact; what leaves the
organisation, or what a facilitator sees, goes through
`learning.suppression.suppress` first. `DEFINITIONS` holds what each figure
means, as the page says it.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from learning.models import User
from learning.tables import Table

from .companions import (
    active_by_village,
    cases_by_kecamatan,
    cases_by_type_and_path,
    cases_per_year,
    hours_by_kecamatan,
    obstacles,
    read_history,
    read_year,
    villages_by_kecamatan,
)
from .definitions import DEFINITIONS
from .scope import (
    EMPTY,
    FigureFilters,
    Scope,
    exact_figures_allowed,
    organisations_for_view,
    programme_view_allowed,
    programmes_for_view,
    resolve_scope,
)
from .training import follow_ups, practice_cases, training_funnel

__all__ = [
    "DEFINITIONS",
    "FigureFilters",
    "Headline",
    "ProgrammeFigures",
    "TABLE_KEYS",
    "exact_figures_allowed",
    "headline_figures",
    "organisations_for_view",
    "programme_figures",
    "programme_view_allowed",
    "programmes_for_view",
]

# The years a date can hold; any other year has no records.
FIRST_YEAR, LAST_YEAR = 1, 9999

TABLE_KEYS = (
    "kasus-per-tahun",
    "kasus-jenis-jalur",
    "kasus-kecamatan-jenis",
    "pendamping-aktif-desa",
    "desa-aktif-kecamatan",
    "pelatihan-angkatan",
    "jam-magang",
    "kasus-praktik",
    "kendala",
    "tindak-lanjut",
)


@dataclass(frozen=True)
class Headline:
    """The year's figures in a sentence each (the home panel, the page's top).

    `note` says where they come from when the year was entered by hand
    ("Dicatat manual · Laporan 2021"); then a figure the report did not give
    is None.
    """

    active_companions: int | None = 0
    villages_active: int | None = 0
    villages_total: int = 0
    cases_accompanied: int | None = 0
    trainees_enrolled: int = 0
    certified: int = 0
    verified_hours: Decimal = Decimal(0)
    note: str = ""


@dataclass(frozen=True)
class ProgrammeFigures:
    year: int
    headline: Headline
    tables: dict[str, Table] = field(default_factory=dict)
    # Nothing in the person's reach matches the filters.
    empty: bool = False


def programme_figures(*, actor: User, filters: FigureFilters) -> ProgrammeFigures:
    """Every figure of the page for `actor` and `filters`, exact, computed now
    (`kept_programme_figures` reads them as a task last computed them)."""
    return figures_for_scope(resolve_scope(actor, filters), filters.year)


def figures_for_scope(scope: Scope, year: int) -> ProgrammeFigures:
    """Every figure of one reading: `scope` (`resolve_scope`) in `year`."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        scope = EMPTY
    reading = read_year(scope, year)
    history = read_history(scope)
    villages = villages_by_kecamatan(scope, reading)
    funnel = training_funnel(scope, year)
    hours = hours_by_kecamatan(reading)
    tables = {
        "kasus-per-tahun": cases_per_year(scope, history),
        "kasus-jenis-jalur": cases_by_type_and_path(reading),
        "kasus-kecamatan-jenis": cases_by_kecamatan(reading),
        "pendamping-aktif-desa": active_by_village(reading),
        "desa-aktif-kecamatan": villages,
        "pelatihan-angkatan": funnel,
        "jam-magang": hours,
        "kasus-praktik": practice_cases(scope, year),
        "kendala": obstacles(reading),
        "tindak-lanjut": follow_ups(scope, year),
    }
    known = {v for v in reading.active.values() if v in reading.villages}
    headline = Headline(
        active_companions=len(reading.active),
        villages_active=len(known),
        villages_total=sum(row.values[1] for row in villages.rows),
        cases_accompanied=reading.cases,
        trainees_enrolled=sum(row.values[0] for row in funnel.rows),
        certified=sum(row.values[2] for row in funnel.rows),
        verified_hours=hours.grand_total or Decimal(0),
    )
    entered = history.get(year)
    computed = reading.active or reading.reflections or reading.minutes_by_village
    if entered is not None and not computed:
        # A year before Pendamping: its figures are the organisations' own.
        headline = Headline(
            active_companions=entered.active_companions,
            villages_active=entered.villages_assisted,
            villages_total=headline.villages_total,
            cases_accompanied=entered.cases_accompanied if entered.has_cases else None,
            trainees_enrolled=headline.trainees_enrolled,
            certified=headline.certified,
            verified_hours=headline.verified_hours,
            note=entered.note,
        )
    return ProgrammeFigures(
        year=year, headline=headline, tables=tables, empty=scope.empty
    )


def headline_figures(*, actor: User, year: int) -> Headline:
    """The year's headline for the home panel: the whole reach, no filter."""
    return programme_figures(actor=actor, filters=FigureFilters(year=year)).headline
