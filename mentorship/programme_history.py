"""A programme's years before Pendamping: yearly totals typed in by hand from
the organisation's own reports, shown beside the computed years in one series.

Who sees and who changes, side by side:

- a coordinator sees and changes the years of the programmes they coordinate;
- a facilitator sees (read only) the years of their own organisation;
- a superuser sees and changes all; nobody else sees any.

A hand-entered year must lie before the programme's first computed year, the
year of its earliest reflection session (cases accompanied and active
companions are computed from reflections; cohorts and magang of earlier years
do not make a year computed). A programme without a session yet may have
years up to last year. `save_history_year` and `delete_history_year` each
check all of this inside their own transaction.
"""

import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Min, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from learning.choices import Role
from learning.models import Organisation, Programme, User
from learning.scope import is_active_staff, programmes_managed_by

from .choices import ViolenceType
from .models import ProgrammeHistoryYear, ReflectionSession

EARLIEST_YEAR = 1990
LARGEST_FIGURE = 1_000_000
SOURCE_MAX = 300

# --- who sees, who changes ------------------------------------------------------


def history_years_visible_to(actor: User) -> QuerySet[ProgrammeHistoryYear]:
    """The hand-entered years `actor` may read: of the programmes they
    coordinate, and (facilitators) of their own organisation."""
    rows = ProgrammeHistoryYear.objects.select_related(
        "programme", "organisation", "entered_by"
    )
    if not is_active_staff(actor):
        return rows.none()
    if actor.is_superuser:
        return rows.all()
    visible = Q(programme__coordinators=actor)
    if Role.FASILITATOR in actor.roles and actor.organisation_id:
        visible |= Q(organisation=actor.organisation_id)
    return rows.filter(pk__in=ProgrammeHistoryYear.objects.filter(visible).values("pk"))


def history_years_changeable_by(actor: User) -> QuerySet[ProgrammeHistoryYear]:
    """The hand-entered years `actor` may change or delete: only those of the
    programmes they coordinate (superusers: all)."""
    rows = ProgrammeHistoryYear.objects.select_related(
        "programme", "organisation", "entered_by"
    )
    if not is_active_staff(actor):
        return rows.none()
    return rows.filter(programme__in=programmes_managed_by(actor).values("pk"))


def programmes_with_history_changeable_by(actor: User) -> QuerySet[Programme]:
    """The programmes whose earlier years `actor` may enter."""
    if not is_active_staff(actor):
        return Programme.objects.none()
    return programmes_managed_by(actor)


def may_enter_history(actor: User) -> bool:
    """Whether `actor` may enter history years at all (a coordinator of some
    programme, or a superuser)."""
    return is_active_staff(actor) and (
        actor.is_superuser or programmes_managed_by(actor).exists()
    )


# --- which years may be entered ---------------------------------------------------


@dataclass(frozen=True)
class YearRange:
    """The years one may enter for a programme, and why the last one is last."""

    first: int
    last: int
    first_computed: int | None

    @property
    def explanation(self) -> str:
        if self.first_computed is None:
            return _(
                "Program ini belum punya sesi refleksi, jadi belum ada tahun yang "
                "dihitung Pendamping: tahun dari %(first)d sampai tahun lalu "
                "(%(last)d) dapat dicatat."
            ) % {"first": self.first, "last": self.last}
        return _(
            "Angka program ini dihitung Pendamping sejak %(computed)d (sesi "
            "refleksi pertamanya): tahun dari %(first)d sampai %(last)d dapat "
            "dicatat."
        ) % {
            "computed": self.first_computed,
            "first": self.first,
            "last": self.last,
        }


def first_computed_year(programme: Programme) -> int | None:
    """The year of the programme's earliest reflection session, or None."""
    return ReflectionSession.objects.filter(programme=programme).aggregate(
        first=Min("year")
    )["first"]


def history_year_range(programme: Programme) -> YearRange:
    computed = first_computed_year(programme)
    last = computed - 1 if computed is not None else timezone.localdate().year - 1
    return YearRange(first=EARLIEST_YEAR, last=last, first_computed=computed)


# --- checking the figures -----------------------------------------------------------


def _figure_error(label: str, value) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        return _("%(label)s harus bilangan bulat.") % {"label": label}
    if value < 0 or value > LARGEST_FIGURE:
        return _("%(label)s harus dari 0 sampai %(max)s.") % {
            "label": label,
            "max": f"{LARGEST_FIGURE:,}".replace(",", "."),
        }
    return None


def _clean_source(source) -> tuple[str, str | None]:
    text = source.strip() if isinstance(source, str) else ""
    if not text:
        return text, _("Tulis sumber angka ini, mis. 'Laporan tahunan 2021'.")
    if "\x00" in text:
        return text, _("Sumber tidak boleh memuat karakter null.")
    if any(unicodedata.category(char) == "Cc" for char in text):
        return text, _("Sumber harus satu baris tanpa karakter kendali.")
    if len(text) > SOURCE_MAX:
        return text, _("Sumber paling panjang %(max)d karakter (kini %(n)d).") % {
            "max": SOURCE_MAX,
            "n": len(text),
        }
    return text, None


def _clean_types(cases_by_type) -> tuple[dict[str, int], list[str]]:
    """Only the types given (a type the report does not give stays absent)."""
    if cases_by_type is None:
        return {}, []
    if not isinstance(cases_by_type, dict):
        return {}, [_("Kasus menurut jenis harus berupa angka per jenis kekerasan.")]
    labels = dict(ViolenceType.choices)
    cleaned: dict[str, int] = {}
    errors = []
    for key, value in cases_by_type.items():
        if key not in labels:
            errors.append(
                _("Jenis kekerasan tidak dikenal: %(key)s.") % {"key": str(key)[:40]}
            )
            continue
        if value is None:
            continue
        error = _figure_error(str(labels[key]), value)
        if error:
            errors.append(error)
        else:
            cleaned[key] = value
    # In the usual order, so two saves of the same figures compare equal.
    return {key: cleaned[key] for key in labels if key in cleaned}, errors


# --- writing -----------------------------------------------------------------------


def save_history_year(
    *,
    actor: User,
    programme: Programme,
    organisation: Organisation,
    year: int,
    cases_accompanied: int | None,
    cases_by_type: dict[str, int] | None,
    villages_assisted: int | None,
    active_companions: int | None,
    source: str,
    instance: ProgrammeHistoryYear | None = None,
) -> ProgrammeHistoryYear:
    """Enter (or, given `instance`, change) one organisation's year of a
    programme before Pendamping; the saved row.

    Refused with a ValidationError in words, nothing changed: someone who may
    not change the programme, an organisation outside it, a year outside
    1990 up to before the first computed year, no figure at all, a figure
    outside 0..1,000,000, types summing past the cases accompanied, a missing
    or unreadable source, or a year already entered (change that one). The
    same figures sent again (a double click, twenty copies at once) return
    the row the first one made.
    """
    with transaction.atomic():
        # Serialise writers of one programme's history (a row lock on
        # PostgreSQL; SQLite's IMMEDIATE transactions already queue writers).
        locked = (
            Programme.objects.select_for_update(no_key=True)
            .filter(pk=getattr(programme, "pk", None))
            .first()
        )
        if locked is None or not is_active_staff(actor):
            raise ValidationError(_("Kamu tidak boleh mengubah angka program ini."))
        if not programmes_managed_by(actor).filter(pk=locked.pk).exists():
            raise ValidationError(_("Kamu tidak boleh mengubah angka program ini."))
        changeable = history_years_changeable_by(actor)
        if instance is not None and not (
            instance.pk and changeable.filter(pk=instance.pk).exists()
        ):
            raise ValidationError(_("Kamu tidak boleh mengubah catatan ini."))

        errors: dict[str, list[str]] = {}

        def refuse(field: str, message: str) -> None:
            errors.setdefault(field, []).append(message)

        if organisation is None or not (
            locked.organisations.filter(pk=organisation.pk).exists()
        ):
            refuse(
                "organisation",
                _("Lembaga ini tidak termasuk pelaksana program %(programme)s.")
                % {"programme": locked},
            )
        allowed = history_year_range(locked)
        if isinstance(year, bool) or not isinstance(year, int):
            refuse("year", _("Tahun harus bilangan bulat, mis. 2021."))
        elif not allowed.first <= year <= allowed.last:
            refuse(
                "year",
                _("Tahun %(year)s tidak dapat dicatat.") % {"year": year}
                + " "
                + allowed.explanation,
            )
        figures = {
            "cases_accompanied": (_("Kasus yang didampingi"), cases_accompanied),
            "villages_assisted": (_("Desa yang didampingi"), villages_assisted),
            "active_companions": (_("Pendamping aktif"), active_companions),
        }
        for field, (label, value) in figures.items():
            error = _figure_error(str(label), value)
            if error:
                refuse(field, error)
        types, type_errors = _clean_types(cases_by_type)
        for error in type_errors:
            refuse("cases_by_type", error)
        text, source_error = _clean_source(source)
        if source_error:
            refuse("source", source_error)
        if not errors:
            given = [cases_accompanied, villages_assisted, active_companions]
            if all(value is None for value in given) and not types:
                refuse(
                    "__all__",
                    _(
                        "Isi paling sedikit satu angka: kasus, kasus menurut jenis, "
                        "desa atau pendamping aktif."
                    ),
                )
            elif types:
                total = sum(types.values())
                if cases_accompanied is None:
                    cases_accompanied = total
                elif total > cases_accompanied:
                    refuse(
                        "cases_by_type",
                        _(
                            "Jumlah kasus menurut jenis (%(total)d) lebih besar "
                            "dari kasus yang didampingi (%(cases)d)."
                        )
                        % {"total": total, "cases": cases_accompanied},
                    )
        if errors:
            raise ValidationError(errors)

        values = {
            "cases_accompanied": cases_accompanied,
            "cases_by_type": types,
            "villages_assisted": villages_assisted,
            "active_companions": active_companions,
            "source": text,
        }
        same_year = ProgrammeHistoryYear.objects.filter(
            programme=locked, organisation=organisation, year=year
        )
        if instance is not None:
            same_year = same_year.exclude(pk=instance.pk)
        existing = same_year.first()
        if existing is not None:
            if instance is None and all(
                getattr(existing, field) == value for field, value in values.items()
            ):
                return existing  # the same entry sent again
            raise ValidationError(
                {
                    "year": _(
                        "Tahun %(year)d untuk %(organisation)s di program "
                        "%(programme)s sudah dicatat. Ubah catatan itu bila "
                        "angkanya perlu diperbaiki."
                    )
                    % {
                        "year": year,
                        "organisation": organisation.short_name,
                        "programme": locked,
                    }
                }
            )

        row = instance if instance is not None else ProgrammeHistoryYear()
        row.programme = locked
        row.organisation = organisation
        row.year = year
        for field, value in values.items():
            setattr(row, field, value)
        row.entered_by = actor
        row.entered_at = timezone.now()
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError as error:
            raise ValidationError(
                _("Tahun ini baru saja dicatat orang lain. Muat ulang halaman.")
            ) from error
        return row


def delete_history_year(*, actor: User, instance: ProgrammeHistoryYear) -> None:
    """Delete a hand-entered year; only those who may change it may."""
    with transaction.atomic():
        row = (
            history_years_changeable_by(actor)
            .select_for_update(of=("self",))
            .filter(pk=getattr(instance, "pk", None))
            .first()
        )
        if row is None:
            raise ValidationError(_("Kamu tidak boleh menghapus catatan ini."))
        row.delete()


def existing_history_year(
    *, programme: Programme, organisation: Organisation, year: int
) -> ProgrammeHistoryYear | None:
    """The row already entered for that year, for the form to offer editing it."""
    return ProgrammeHistoryYear.objects.filter(
        programme=programme, organisation=organisation, year=year
    ).first()
