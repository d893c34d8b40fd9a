"""The programme view: a year's figures by programme, organisation and place,
their charts, the files that leave the organisation, and the home panel.

The figures are `mentorship.programme_figures`; hiding small counts is
`learning.suppression`; the files are `learning.table_exports` and
`mentorship.programme_summary_pdf`. This module only chooses, shows and
serves: who may see exact numbers is asked once, and everything shown to
anyone else (and everything meant for outside the organisation) has passed
through `suppress()` first.

Registered in `mentorship.wagtail_hooks`.
"""

from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from assessments.admin.access import PermissionOr403Mixin
from learning import audit
from learning.charts import Series, bar_chart
from learning.choices import RegionLevel
from learning.models import Organisation, Programme
from learning.region_field import RegionField
from learning.table_exports import tables_csv, tables_xlsx
from learning.tables import Table

from ..models import ProgrammeHistoryYear, ReflectionSession
from ..programme_figures import (
    FigureFilters,
    exact_figures_allowed,
    organisations_for_view,
    programme_view_allowed,
    programmes_for_view,
)
from ..programme_figures.kept import kept_programme_figures
from ..programme_summary_pdf import (
    annual_summary_pdf,
    definition_pairs,
    hide_small,
    outside_tables,
)

# The oldest year a programme's history may reach, and the newest is next year:
# anything outside is a typing slip, refused in words.
FIRST_YEAR = 1990

# Tables drawn as a chart too, and how.
CASES_PER_YEAR = "kasus-per-tahun"
ACTIVE_VILLAGES = "desa-aktif-kecamatan"
TRAINING = "pelatihan-angkatan"


def this_year() -> int:
    return timezone.localdate().year


def view_allowed(request) -> bool:
    """`programme_view_allowed`, asked once per request (every menu asks)."""
    if not hasattr(request, "_programme_view_allowed"):
        request._programme_view_allowed = programme_view_allowed(request.user)
    return request._programme_view_allowed


def years_with_data(actor) -> list[int]:
    """Years with counts or hand-entered figures, and this year: newest first."""
    programmes = programmes_for_view(actor)
    years = {this_year()}
    years.update(
        ProgrammeHistoryYear.objects.filter(programme__in=programmes)
        .values_list("year", flat=True)
        .distinct()
    )
    years.update(
        ReflectionSession.objects.filter(programme__in=programmes)
        .values_list("year", flat=True)
        .distinct()
    )
    return sorted(years, reverse=True)


class YearField(forms.Field):
    """A year from the list, refused in words when it is anything else."""

    def __init__(self, *, years: list[int], **kwargs):
        self.years = years
        kwargs.setdefault(
            "widget",
            forms.Select(choices=[(year, str(year)) for year in years]),
        )
        super().__init__(**kwargs)

    def to_python(self, value) -> int | None:
        text = str(value or "").strip()
        if not text:
            return None
        if not (text.isascii() and text.isdigit()) or len(text) != 4:
            raise ValidationError(
                _("Tahun ditulis dengan empat angka, misalnya %(year)s.")
                % {"year": this_year()},
                code="invalid",
            )
        return int(text)

    def validate(self, value) -> None:
        super().validate(value)
        if value is not None and value not in self.years:
            raise ValidationError(
                _(
                    "Belum ada angka untuk tahun itu. "
                    "Pilih tahun dari daftar: %(years)s."
                )
                % {"years": ", ".join(str(year) for year in sorted(self.years))},
                code="invalid_choice",
            )


class FigureFilterForm(forms.Form):
    tahun = YearField(label=gettext_lazy("Tahun"), years=[], required=False)
    program = forms.ModelChoiceField(
        label=gettext_lazy("Program"),
        queryset=Programme.objects.none(),
        required=False,
        empty_label=gettext_lazy("Semua program"),
        error_messages={
            "invalid_choice": gettext_lazy(
                "Program itu tidak ada dalam cakupan kamu. Pilih dari daftar."
            )
        },
    )
    organisasi = forms.ModelChoiceField(
        label=gettext_lazy("Organisasi"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=gettext_lazy("Semua organisasi"),
        error_messages={
            "invalid_choice": gettext_lazy(
                "Organisasi itu tidak ada dalam cakupan kamu. Pilih dari daftar."
            )
        },
    )
    kabupaten = RegionField(
        label=gettext_lazy("Kabupaten/Kota"),
        levels=(RegionLevel.KABUPATEN,),
        required=False,
    )
    kecamatan = RegionField(
        label=gettext_lazy("Kecamatan"), levels=(RegionLevel.KECAMATAN,), required=False
    )
    desa = RegionField(
        label=gettext_lazy("Desa/Kelurahan"), levels=(RegionLevel.DESA,), required=False
    )

    def __init__(self, *args, actor, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tahun"].years = years
        self.fields["tahun"].widget.choices = [(year, str(year)) for year in years]
        self.fields["program"].queryset = programmes_for_view(actor).order_by("name")
        self.fields["organisasi"].queryset = organisations_for_view(actor).order_by(
            "name"
        )

    def clean(self):
        data = super().clean()
        kabupaten, kecamatan, desa = (
            data.get("kabupaten"),
            data.get("kecamatan"),
            data.get("desa"),
        )
        if kabupaten and kecamatan and not _inside(kecamatan, kabupaten):
            self.add_error(
                "kecamatan",
                _("Kecamatan %(kecamatan)s tidak berada di %(kabupaten)s.")
                % {"kecamatan": kecamatan.label, "kabupaten": kabupaten.label},
            )
        if desa and kecamatan and not _inside(desa, kecamatan):
            self.add_error(
                "desa",
                _("Desa %(desa)s tidak berada di %(kecamatan)s.")
                % {"desa": desa.label, "kecamatan": kecamatan.label},
            )
        elif desa and kabupaten and not _inside(desa, kabupaten):
            self.add_error(
                "desa",
                _("Desa %(desa)s tidak berada di %(kabupaten)s.")
                % {"desa": desa.label, "kabupaten": kabupaten.label},
            )
        return data

    def filters(self) -> FigureFilters:
        data = self.cleaned_data
        return FigureFilters(
            year=data.get("tahun") or this_year(),
            programme=data.get("program"),
            organisation=data.get("organisasi"),
            kabupaten=data.get("kabupaten"),
            kecamatan=data.get("kecamatan"),
            desa=data.get("desa"),
        )


def _inside(region, larger) -> bool:
    return region.code.startswith(larger.code + ".")


def small_max() -> int:
    return settings.PENDAMPING_SMALL_COUNT_MAX


def shown_count(value, *, exact: bool):
    """A headline count as the viewer may see it: 1..4 as "<5" unless exact."""
    return value if exact else hide_small(value)


def _is_number(value) -> bool:
    return isinstance(value, int | Decimal) and not isinstance(value, bool)


def cell(value) -> tuple[str, bool]:
    """A cell as the page writes it, and whether suppression hid it."""
    if value is None:
        return "–", False
    if isinstance(value, str):
        return value, True
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}".replace(",", "."), False
    return str(value).replace(".", ","), False


def shown_table(table: Table) -> dict:
    """A table ready for the template: every cell as (text, hidden)."""
    return {
        "key": table.key,
        "title": table.title,
        "row_header": table.row_header,
        "columns": table.columns,
        "totals": table.totals,
        # A one-column table's row totals repeat its cells: only the sum shows.
        "row_totals": table.totals and len(table.columns) > 1,
        "note": table.note,
        "span": len(table.columns)
        + 1
        + (1 if table.totals and len(table.columns) > 1 else 0),
        "rows": [
            {
                "label": row.label,
                "note": row.note,
                "cells": [cell(value) for value in row.values],
                "total": cell(row.total),
            }
            for row in table.rows
        ],
        "column_totals": [cell(value) for value in table.column_totals or []],
        "grand_total": cell(table.grand_total),
    }


@dataclass(frozen=True)
class Chart:
    svg: str
    summary: str


def funnel_values(table: Table) -> list:
    """Enrolled, completed, certified summed over cohorts.

    A column with a hidden cell shows no sum: the sum would give it away.
    """
    values = []
    for i in range(len(table.columns)):
        cells = [row.values[i] for row in table.rows]
        if any(isinstance(cell, str) for cell in cells):
            values.append("x")
        else:
            values.append(sum(cell for cell in cells if _is_number(cell)))
    return values


def charts_for(tables: dict[str, Table], *, exact: bool) -> dict[str, Chart]:
    """The three charts, from the tables as the viewer sees them."""
    charts = {}
    cases = tables.get(CASES_PER_YEAR)
    if cases is not None and not cases.is_empty:
        values = [row.total for row in cases.rows]
        labels = [row.label for row in cases.rows]
        marked = frozenset(i for i, row in enumerate(cases.rows) if row.note)
        title = _("Kasus didampingi per tahun")
        numbers = [
            (value, label)
            for value, label in zip(values, labels, strict=True)
            if _is_number(value)
        ]
        most = max(numbers, default=None, key=lambda pair: pair[0])
        summary = _("Kasus didampingi per tahun, %(first)s sampai %(last)s.") % {
            "first": labels[0],
            "last": labels[-1],
        }
        if most:
            summary += " " + _("Terbanyak %(count)s pada %(year)s.") % {
                "count": most[0],
                "year": most[1],
            }
        if marked:
            summary += " " + _(
                "Tahun yang dicatat manual (sebelum Pendamping) digambar berarsir."
            )
        charts[CASES_PER_YEAR] = Chart(
            bar_chart(
                title=title,
                description=summary,
                labels=labels,
                series=[
                    Series(
                        _("Kasus dihitung dari refleksi"),
                        values,
                        marked=marked,
                        marked_name=_("Dicatat manual (sebelum Pendamping)"),
                    )
                ],
                chart_id="grafik-kasus-per-tahun",
            ),
            summary,
        )
    villages = tables.get(ACTIVE_VILLAGES)
    if villages is not None and not villages.is_empty:
        active = [row.values[0] for row in villages.rows]
        every = [row.values[1] for row in villages.rows]
        summary = _(
            "Desa dengan pendamping aktif dibanding semua desa, di %(n)s kecamatan: "
            "%(active)s dari %(all)s desa."
        ) % {
            "n": len(villages.rows),
            "active": sum(v for v in active if _is_number(v)),
            "all": sum(v for v in every if _is_number(v)),
        }
        charts[ACTIVE_VILLAGES] = Chart(
            bar_chart(
                title=_("Desa dengan pendamping aktif per kecamatan"),
                description=summary,
                labels=[row.label for row in villages.rows],
                series=[
                    Series(_("Desa dengan pendamping aktif"), active),
                    Series(_("Semua desa"), every),
                ],
                horizontal=True,
                chart_id="grafik-desa-aktif",
            ),
            summary,
        )
    training = tables.get(TRAINING)
    if training is not None and not training.is_empty:
        values = funnel_values(training)
        if not exact:
            values = [shown_count(value, exact=False) for value in values]
        words = [str(value) for value in values]
        summary = _(
            "Semua angkatan: %(enrolled)s terdaftar, %(completed)s selesai, "
            "%(certified)s bersertifikat."
        ) % dict(zip(("enrolled", "completed", "certified"), words, strict=False))
        charts[TRAINING] = Chart(
            bar_chart(
                title=_("Alur pelatihan: terdaftar, selesai, bersertifikat"),
                description=summary,
                labels=training.columns,
                series=[Series(_("Peserta, semua angkatan"), values)],
                horizontal=True,
                chart_id="grafik-pelatihan",
            ),
            summary,
        )
    return charts


def download_name(filters: FigureFilters, suffix: str) -> str:
    return f"angka-program-{filters.year}{suffix}"


def heading_lines(filters: FigureFilters) -> list[str]:
    """The figures' heading: the year and every filter chosen, in words."""
    lines = [_("Angka program %(year)s") % {"year": filters.year}]
    for label, chosen in (
        (_("Program"), filters.programme),
        (_("Organisasi"), filters.organisation),
        (_("Kabupaten/Kota"), filters.kabupaten),
        (_("Kecamatan"), filters.kecamatan),
        (_("Desa/Kelurahan"), filters.desa),
    ):
        if chosen is not None:
            # A region's full label; a programme's or organisation's name.
            name = getattr(chosen, "label", None) or getattr(chosen, "name", "")
            name = name or str(chosen)
            lines.append(f"{label}: {name}")
    return lines


def heading_for(filters: FigureFilters) -> str:
    return " · ".join(heading_lines(filters))


def attachment(content: bytes, *, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


class ProgrammeView(PermissionOr403Mixin, WagtailAdminTemplateMixin, TemplateView):
    """The figures of a year for the programmes and organisations in one's view."""

    template_name = "mentorship/admin/programme_view/index.html"
    page_title = gettext_lazy("Angka program")
    header_icon = "table"
    breadcrumbs_items = [
        {"url": reverse_lazy("wagtailadmin_home"), "label": gettext_lazy("Beranda")},
    ]
    DOWNLOADS = ("csv", "xlsx", "pdf")
    AUDIENCES = ("luar", "dalam")

    def is_allowed(self, request) -> bool:
        return view_allowed(request)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get(self, request, *args, **kwargs):
        user = request.user
        self.exact = exact_figures_allowed(user)
        # Always bound: every field may be left empty, and then means "all"
        # (and this year).
        self.form = FigureFilterForm(
            request.GET, actor=user, years=years_with_data(user)
        )
        self.problems = []
        wanted = request.GET.get("unduh")
        audience = request.GET.get("untuk") or "luar"
        if wanted is not None and wanted not in self.DOWNLOADS:
            self.problems.append(
                _("Unduhan itu tidak ada. Pilih CSV, XLSX atau PDF di bawah.")
            )
            wanted = None
        if wanted and audience not in self.AUDIENCES:
            self.problems.append(
                _("Pilih unduhan untuk luar organisasi atau untuk dalam organisasi.")
            )
            wanted = None
        if wanted and audience == "dalam" and not self.exact:
            return TemplateResponse(
                request,
                "assessments/admin/forbidden.html",
                {"page_title": self.page_title, "header_icon": "warning"},
                status=403,
            )
        if self.form.is_valid() and wanted:
            return self.download(wanted, internal=audience == "dalam")
        return super().get(request, *args, **kwargs)

    def reading(self, *, exact: bool):
        """Kept figures (`programme_figures.kept`); a file is always current."""
        return kept_programme_figures(
            actor=self.request.user, filters=self.form.filters(), exact=exact
        )

    def download(self, kind: str, *, internal: bool) -> HttpResponse:
        filters = self.form.filters()
        figures = self.reading(exact=True).figures
        heading = heading_lines(filters)
        if kind == "pdf":
            return attachment(
                annual_summary_pdf(figures=figures, heading=heading[1:]),
                content_type="application/pdf",
                filename=download_name(filters, "-ringkasan.pdf"),
            )
        tables = figures.tables if internal else outside_tables(figures.tables)
        suffix = "-internal" if internal else "-luar"
        if internal:
            # Exact small counts: kept in the audit trail like any download
            # of people's data. The outside figures are suppressed, not.
            audit.record_export(
                self.request,
                what="angka-program-internal",
                file_format=kind,
                target=filters.programme,
                programme=filters.programme,
            )
        if kind == "csv":
            return attachment(
                tables_csv(tables, heading=heading, internal=internal),
                content_type="text/csv; charset=utf-8",
                filename=download_name(filters, f"{suffix}.csv"),
            )
        return attachment(
            tables_xlsx(tables, heading=heading, internal=internal),
            content_type=(
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            ),
            filename=download_name(filters, f"{suffix}.xlsx"),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            form=self.form,
            problems=self.problems,
            exact=self.exact,
            small_max=small_max(),
            marker=f"<{small_max() + 1}",
        )
        if not self.form.is_valid():
            return context
        filters = self.form.filters()
        reading = self.reading(exact=False)
        figures = reading.figures
        tables = figures.tables if self.exact else outside_tables(figures.tables)
        charts = charts_for(tables, exact=self.exact)
        headline = figures.headline
        query = self.request.GET.copy()
        query.pop("unduh", None)
        query.pop("untuk", None)
        context.update(
            filters=filters,
            heading=heading_for(filters),
            headline=headline_items(headline, exact=self.exact),
            headline_note=getattr(headline, "note", ""),
            sections=[
                {"table": shown_table(table), "chart": charts.get(key)}
                for key, table in tables.items()
            ],
            definitions=definition_pairs(),
            query=query.urlencode(),
            made_at=reading.made_at,
            current=reading.current,
        )
        return context


def figure_text(value) -> str:
    """A headline figure in words: "–" where the year's records do not say."""
    return cell(value)[0]


def headline_items(headline, *, exact: bool) -> list[tuple[str, str]]:
    """The headline figures as (what, how many), for the page and the panel."""
    villages = _("%(active)s dari %(total)s") % {
        "active": figure_text(shown_count(headline.villages_active, exact=exact)),
        "total": figure_text(headline.villages_total),
    }
    counts = [
        (_("Pendamping aktif"), headline.active_companions),
        (_("Desa dengan pendamping aktif"), None),
        (_("Kasus didampingi"), headline.cases_accompanied),
        (_("Peserta terdaftar"), headline.trainees_enrolled),
        (_("Bersertifikat"), headline.certified),
    ]
    items = [
        (label, villages if i == 1 else figure_text(shown_count(value, exact=exact)))
        for i, (label, value) in enumerate(counts)
    ]
    items.append((_("Jam magang terverifikasi"), figure_text(headline.verified_hours)))
    return items


def programme_view_urls():
    return [
        path(
            "angka-program/",
            ProgrammeView.as_view(),
            name="mentorship_programme_view",
        )
    ]


class ProgrammeViewMenuItem(MenuItem):
    def is_shown(self, request):
        return view_allowed(request)


def programme_view_menu_item():
    return ProgrammeViewMenuItem(
        gettext_lazy("Angka program"),
        reverse("mentorship_programme_view"),
        icon_name="table",
        order=190,
    )


class ProgrammePanel(Component):
    """The year's headline figures on the admin home, linking to the page."""

    name = "programme_figures"
    template_name = "mentorship/admin/programme_view/panel.html"
    order = 60  # above what waits: the year at a glance first

    def __init__(self, *, year: int, items: list[tuple[str, object]]):
        self.year = year
        self.items = items

    def get_context_data(self, parent_context=None):
        return {
            "year": self.year,
            "items": self.items,
            "url": reverse("mentorship_programme_view"),
        }


def add_programme_panel(request, panels) -> None:
    if not view_allowed(request):
        return
    year = this_year()
    headline = kept_programme_figures(
        actor=request.user, filters=FigureFilters(year=year)
    ).figures.headline
    exact = exact_figures_allowed(request.user)
    items = headline_items(headline, exact=exact)
    # The panel is short: companions, villages, cases and certificates.
    panels.append(ProgrammePanel(year=year, items=[items[i] for i in (0, 1, 2, 4)]))
