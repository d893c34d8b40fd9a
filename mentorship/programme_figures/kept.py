"""The programme's figures, kept between readings and refreshed when what
they count changes.

Computing a year's figures reads every reflection, hour entry and sitting in
reach: at the province's size, most of the programme view's time. They change
only when one of those records does, so one reading is kept (`KeptFigures`)
for each reach, year, day and language, under a token of the records as they
stood (`FiguresStamp`, `learning.stamps`).

Every write to a table the figures read adds a stamp in the write's own
transaction. The writes are seen in the SQL itself (a wrapper on every
database connection), not in model signals: status changes, bulk imports and
erasure write with `update()` and `bulk_create()`, which send none.

A reading whose token still stands is served as kept. One whose records
changed is computed again by the task `refresh_programme_figures` (Celery
beat, every minute) or, when a person comes sooner, in her own request,
exact; while someone else's request is computing the same reading, she is
shown the kept one with the time it was computed. A reading is never older
than `MAX_AGE`, whatever the stamps say (a change made outside Django: a
restore, an SQL session).
"""

import hashlib
import pickle
import re
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache as memoised

from django.apps import apps
from django.core.cache import cache
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate, pre_migrate
from django.utils import timezone, translation

from learning.models import Organisation, Programme, Region, User
from learning.stamps import add_stamp, newest_token

from ..models import FiguresStamp, KeptFigures
from . import ProgrammeFigures, figures_for_scope
from .scope import FigureFilters, Scope, resolve_scope

# A reading is computed again after this, even if no stamp says so.
MAX_AGE = timedelta(hours=1)
# The task refreshes readings read within this long; older ones wait for a
# reader (and are removed after `FORGET_AFTER`).
REFRESH_READ_WITHIN = timedelta(days=7)
FORGET_AFTER = timedelta(days=30)
# How long one request may hold the right to compute a reading.
COMPUTING_SECONDS = 120

# What the figures read (`companions`, `training`, `scope`), with their
# many-to-many tables: a write to any of them changes some figure.
INPUT_MODELS = (
    "learning.Cohort",
    "learning.Enrolment",
    "learning.Organisation",
    "learning.Programme",
    "learning.Region",
    "learning.User",
    "mentorship.FollowUpAction",
    "mentorship.HourEntry",
    "mentorship.PracticeCase",
    "mentorship.ProgrammeHistoryYear",
    "mentorship.Reflection",
    "mentorship.ReflectionSession",
    "mentorship.SessionAttendanceMark",
    "assessments.Certificate",
    "assessments.Quiz",
    "assessments.Sitting",
    "modules.ModuleCompletion",
    "modules.ModulePage",
    "wagtailcore.Page",
)


@dataclass(frozen=True)
class Reading:
    figures: ProgrammeFigures
    made_at: datetime
    # False: records changed since `made_at`; a newer reading is being made.
    current: bool = True


# --- Seeing the writes --------------------------------------------------------

_WRITE = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.I)
_watching = {"on": True}


@memoised
def input_tables() -> frozenset[str]:
    tables = set()
    for label in INPUT_MODELS:
        model = apps.get_model(label)
        tables.add(model._meta.db_table)
        for field in model._meta.local_many_to_many:
            tables.add(field.remote_field.through._meta.db_table)
    return frozenset(tables)


def written_table(sql) -> str | None:
    """The table an INSERT, UPDATE or DELETE writes; None for anything else."""
    if not isinstance(sql, str) or sql.lstrip()[:6].upper() not in (
        "INSERT",
        "UPDATE",
        "DELETE",
    ):
        return None
    match = _WRITE.match(sql)
    return match.group(1) if match else None


def _stamp_input_writes(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if _watching["on"] and written_table(sql) in input_tables():
        add_stamp(FiguresStamp, using=context["connection"].alias)
    return result


def _watch(sender, connection, **kwargs) -> None:
    if _stamp_input_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(_stamp_input_writes)


def _pause(sender, **kwargs) -> None:
    # Migrations write tables before the stamps' own table exists.
    _watching["on"] = False


def _resume(sender, **kwargs) -> None:
    _watching["on"] = True


def watch_input_writes() -> None:
    """Stamp every write to the figures' tables (MentorshipConfig.ready)."""
    connection_created.connect(_watch, dispatch_uid="figures-stamp-watch")
    pre_migrate.connect(_pause, dispatch_uid="figures-stamp-pause")
    post_migrate.connect(_resume, dispatch_uid="figures-stamp-resume")


def figures_token() -> int | None:
    return newest_token(FiguresStamp)


# --- Reading ------------------------------------------------------------------


def reading_key(scope: Scope, year: int, actor: User) -> str:
    """What one reading covers. A facilitator's reach is her own cohorts, so
    hers is hers alone; a coordinator's is the programmes', shared."""
    parts = [
        year,
        scope.programme_ids,
        scope.organisation_id,
        scope.place.pk if scope.place is not None else None,
        actor.pk if scope.cohorts is not None else None,
        timezone.localdate().isoformat(),  # "today" moves certificates' expiry
        translation.get_language(),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def filters_recipe(filters: FigureFilters) -> dict:
    """`filters` as JSON, for the task to read them again."""
    return {
        "year": filters.year,
        **{
            name: getattr(getattr(filters, name), "pk", None)
            for name in ("programme", "organisation", "kabupaten", "kecamatan", "desa")
        },
    }


def filters_from_recipe(recipe: dict) -> FigureFilters:
    def one(model, pk):
        return model.objects.filter(pk=pk).first() if pk is not None else None

    return FigureFilters(
        year=recipe["year"],
        programme=one(Programme, recipe.get("programme")),
        organisation=one(Organisation, recipe.get("organisation")),
        kabupaten=one(Region, recipe.get("kabupaten")),
        kecamatan=one(Region, recipe.get("kecamatan")),
        desa=one(Region, recipe.get("desa")),
    )


def kept_programme_figures(
    *, actor: User, filters: FigureFilters, exact: bool = False
) -> Reading:
    """The figures for `actor` and `filters`: as kept when their records have
    not changed, else computed now. `exact=False` (a page, not a file) lets a
    person wait for nobody: while another request computes the same reading,
    she gets the kept one, marked not current."""
    scope = resolve_scope(actor, filters)
    now = timezone.now()
    if scope.empty:
        return Reading(figures_for_scope(scope, filters.year), now)
    key = reading_key(scope, filters.year, actor)
    token = figures_token()
    kept = KeptFigures.objects.filter(key=key).first()
    if kept is not None and _stands(kept, token, now):
        _mark_read(kept, now)
        return Reading(_loads(kept), kept.made_at)
    with _computing(key) as mine:
        if kept is not None and not exact and not mine:
            return Reading(_loads(kept), kept.made_at, current=False)
        figures = _compute_and_keep(key, scope, filters, actor, token=token, at=now)
    return Reading(figures, now)


@contextmanager
def _computing(key: str):
    """Whether this caller holds the right to compute reading `key`; given
    back at the end, and only by whoever took it."""
    lock = f"angka:menghitung:{key}"
    mine = cache.add(lock, 1, COMPUTING_SECONDS)
    try:
        yield mine
    finally:
        if mine:
            cache.delete(lock)


def _compute_and_keep(key, scope, filters, actor, *, token, at) -> ProgrammeFigures:
    """Compute the reading and keep it under `token`, read before computing:
    a change committed meanwhile leaves it not current."""
    figures = figures_for_scope(scope, filters.year)
    _keep(key, token, at, figures, actor=actor, filters=filters)
    return figures


def _loads(kept: KeptFigures) -> ProgrammeFigures:
    # Written by `_keep` alone, in the project's own database (as Django's
    # cache pickles into Redis): whoever could forge it could write any table.
    return pickle.loads(kept.figures)  # noqa: S301


def _stands(kept: KeptFigures, token: int | None, now: datetime) -> bool:
    return token is not None and kept.token == token and now - kept.made_at < MAX_AGE


def _mark_read(kept: KeptFigures, now: datetime) -> None:
    # At most once an hour: a reading read all day is not written all day.
    if now - kept.read_at > timedelta(hours=1):
        KeptFigures.objects.filter(pk=kept.pk).update(read_at=now)


def _keep(key, token, made_at, figures, *, actor, filters) -> None:
    values = {
        "token": token,
        "made_at": made_at,
        "figures": pickle.dumps(figures, protocol=pickle.HIGHEST_PROTOCOL),
        "reader": actor,
        "filters": filters_recipe(filters),
        "language": translation.get_language(),
        "read_at": made_at,
    }
    # One statement, new or not (INSERT … ON CONFLICT): two readers keeping
    # the same reading at once neither fail nor wait on each other.
    KeptFigures.objects.bulk_create(
        [KeptFigures(key=key, **values)],
        update_conflicts=True,
        unique_fields=["key"],
        update_fields=list(values),
    )


# --- The task's work ----------------------------------------------------------


def refresh_kept_figures() -> int:
    """Compute again every reading read lately whose records changed; forget
    readings nobody read for a month. Returns how many were computed."""
    now = timezone.now()
    KeptFigures.objects.filter(read_at__lt=now - FORGET_AFTER).delete()
    current = figures_token()
    refreshed = 0
    for kept in KeptFigures.objects.filter(
        read_at__gte=now - REFRESH_READ_WITHIN
    ).select_related("reader"):
        if _stands(kept, current, now):
            continue
        with translation.override(kept.language):
            filters = filters_from_recipe(kept.filters)
            reader = kept.reader
            scope = resolve_scope(reader, filters)
            if scope.empty or reading_key(scope, filters.year, reader) != kept.key:
                # The reader's reach, or the day, changed: the next reading
                # is made under its own key.
                kept.delete()
                continue
            with _computing(kept.key) as mine:
                if not mine:
                    continue  # a reader is computing it now
                _compute_and_keep(
                    kept.key,
                    scope,
                    filters,
                    reader,
                    token=figures_token(),
                    at=timezone.now(),
                )
            # The task's reading is not a person's.
            KeptFigures.objects.filter(pk=kept.pk).update(read_at=kept.read_at)
            refreshed += 1
    return refreshed
