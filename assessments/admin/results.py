"""Quiz results per quiz and per cohort in the Wagtail admin.

For facilitators and coordinators (and superusers). Every screen lists only
people in the viewer's scope; the readers live in `assessments.statistics`.
Listings are Wagtail's own listing and report views, so filters, pagination
and the CSV / XLSX export behave as elsewhere in the admin; the two downloads
are buttons in the header, not hidden in its "…" menu, and the quiz snippet's
own listing and edit screen lead here. How each question did is in
`item_statistics`, essay marking in `marking`.
"""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.urls import path, reverse, reverse_lazy
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, NumberColumn, TitleColumn
from wagtail.admin.views.generic import BaseListingView
from wagtail.admin.views.reports import ReportView
from wagtail.admin.widgets.button import Button, HeaderButton
from wagtail.snippets.views import snippets as snippet_views

import django_filters

from learning import audit
from learning.models import Cohort, User
from learning.scope import cohorts_managed_by
from learning.spreadsheets import csv_cell

from ..choices import SittingStatus
from ..models import Quiz
from ..statistics import (
    QuizResult,
    cohorts_with_counts,
    quizzes_with_counts,
    result_people,
    result_quizzes,
    results_for,
)
from .access import FacilitatorMenuItem, FacilitatorsOnly, facilitators_allowed

HOME = {"url": reverse_lazy("wagtailadmin_home"), "label": _("Beranda")}
QUIZZES = {
    "url": reverse_lazy("assessments_results_quizzes"),
    "label": _("Hasil per kuis"),
}
COHORTS = {
    "url": reverse_lazy("assessments_results_cohorts"),
    "label": _("Hasil per angkatan"),
}


def _percent(value: int | None) -> str:
    return "" if value is None else f"{value}%"


# --- export -------------------------------------------------------------------


# Exports are read beside each other, whatever time zone a reader's admin
# account is set to: always the project's own (WITA).
def _local_text(value) -> str:
    if not value:
        return ""
    return timezone.localtime(value, _project_zone()).strftime("%Y-%m-%d %H:%M")


def _local_naive(value):
    return timezone.make_naive(value, _project_zone()) if value else None


def _project_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


class ResultExportMixin:
    """CSV and XLSX of result rows: scores and status only, never essay text."""

    list_export = [
        "person.display_name",
        "person.username",
        "quiz.title",
        "attempts",
        "status_label",
        "latest_percent",
        "best_percent",
        "passed_label",
        "finished_at",
    ]
    export_headings = {
        "person.display_name": _("Nama"),
        "person.username": _("Nama pengguna"),
        "quiz.title": _("Kuis"),
        "attempts": _("Jumlah percobaan"),
        "status_label": _("Status terakhir"),
        "latest_percent": _("Nilai terakhir (%)"),
        "best_percent": _("Nilai terbaik (%)"),
        "passed_label": _("Kelulusan"),
        "finished_at": _("Selesai terakhir (WITA)"),
    }
    custom_field_preprocess = {
        # Local time (WITA), not Wagtail's UTC default.
        "finished_at": {"csv": _local_text, "xlsx": _local_naive},
    }
    custom_value_preprocess = {
        **ReportView.custom_value_preprocess,
        # A name typed as "=…" must not run as a formula when the export is
        # opened; Wagtail already stores XLSX text as text.
        str: {"csv": csv_cell, "xlsx": None},
    }

    def as_spreadsheet(self, queryset, spreadsheet_format):
        # Every download of results is a line of the audit trail: per quiz
        # (the cohort too when one is chosen) or per cohort.
        cohort = getattr(self, "cohort", None)
        quiz = None if isinstance(self, CohortResultsView) else self.quiz
        audit.record_export(
            self.request,
            what="hasil-kuis" if quiz else "hasil-angkatan",
            file_format=spreadsheet_format,
            target=quiz or cohort,
            programme=cohort.programme if cohort else None,
            rows=len(queryset) if hasattr(queryset, "__len__") else None,
        )
        return super().as_spreadsheet(queryset, spreadsheet_format)


class ExportButtonsMixin:
    """The CSV and XLSX downloads as buttons above the table, in sight.

    Wagtail hides them in the header's "…" menu, where nobody found them, and
    a phone's header has no room for two more buttons. Above the table they
    are part of what a filter redraws, so they always download what the table
    shows.
    """

    show_export_buttons = False  # not in the "…" menu: above the table
    results_template_name = "assessments/admin/results_listing.html"

    def get_export_url(self, format):
        params = self.request.GET.copy()
        params.pop("_w_filter_fragment", None)
        params.pop("p", None)
        params["export"] = format
        return self.get_index_url() + "?" + params.urlencode()


class PeopleRowsMixin:
    """The listing pages through people; each page becomes result rows.

    Rows are built once per page (a fixed number of queries), before the
    table is; the export, not paginated, builds them for everyone.
    """

    def rows_for(self, people: list[User]) -> list:
        raise NotImplementedError

    def paginate_queryset(self, queryset, page_size):
        paginator, page, people, is_paginated = super().paginate_queryset(
            queryset, page_size
        )
        page.object_list = self.rows_for(list(people))
        return paginator, page, page.object_list, is_paginated

    def decorate_paginated_queryset(self, object_list):
        return self.rows_for(list(object_list)) if self.is_export else object_list


RESULT_COLUMNS = [
    Column("person.display_name", label=_("Nama")),
    Column("person.username", label=_("Nama pengguna")),
    Column("attempts", label=_("Percobaan")),
    Column("status_label", label=_("Status terakhir")),
    Column(
        "latest_percent",
        label=_("Nilai terakhir"),
        accessor=lambda row: _percent(row.latest_percent),
    ),
    Column(
        "best_percent",
        label=_("Nilai terbaik"),
        accessor=lambda row: _percent(row.best_percent),
    ),
    Column("passed_label", label=_("Kelulusan")),
    DateColumn("finished_at", label=_("Selesai")),
]


# --- results per quiz ---------------------------------------------------------


class QuizIndexView(FacilitatorsOnly, BaseListingView):
    """Every quiz, with how many people in scope sat it and essays waiting."""

    page_title = _("Hasil per kuis")
    header_icon = "tasks"
    breadcrumbs_items = [HOME]
    index_url_name = "assessments_results_quizzes"
    index_results_url_name = "assessments_results_quizzes_results"
    is_searchable = True
    search_fields = ["title"]
    search_backend_name = None
    paginate_by = 50
    verbose_name_plural = _("kuis")
    columns = [
        TitleColumn(
            "title",
            label=_("Kuis"),
            get_url=lambda quiz: reverse("assessments_quiz_results", args=[quiz.pk]),
        ),
        Column("mode", label=_("Jenis"), accessor="get_mode_display"),
        NumberColumn("people_count", label=_("Peserta")),
        NumberColumn("handed_in_count", label=_("Percobaan selesai")),
        NumberColumn("awaiting_count", label=_("Menunggu penilaian esai")),
        TitleColumn(
            "statistics",
            label=_("Analisis soal"),
            accessor=lambda quiz: gettext("Statistik soal"),
            get_url=lambda quiz: reverse("assessments_item_statistics", args=[quiz.pk]),
        ),
    ]

    def get_base_queryset(self):
        return quizzes_with_counts(actor=self.request.user)


class CohortFilterSet(WagtailFilterSet):
    """Narrow a result table to one cohort the viewer may see."""

    cohort = django_filters.ModelChoiceFilter(
        label=_("Angkatan"),
        queryset=lambda request: cohorts_managed_by(request.user),
        empty_label=_("Semua angkatan"),
        # Applied by the selector: with a cohort, its trainees who have not
        # sat the quiz are listed too.
        method=lambda queryset, name, value: queryset,
    )

    class Meta:
        model = User
        fields = []


class QuizResultsView(
    FacilitatorsOnly,
    PeopleRowsMixin,
    ExportButtonsMixin,
    ResultExportMixin,
    ReportView,
):
    """One quiz: each person's attempts, latest and best score, pass or not."""

    page_title = _("Hasil kuis")
    header_icon = "tasks"
    filterset_class = CohortFilterSet
    columns = RESULT_COLUMNS
    paginate_by = 50
    verbose_name_plural = _("peserta")

    @cached_property
    def quiz(self) -> Quiz:
        return get_object_or_404(Quiz, pk=self.kwargs["quiz_id"])

    @cached_property
    def cohort(self) -> Cohort | None:
        if self.filters and self.filters.is_valid():
            return self.filters.form.cleaned_data.get("cohort")
        return None

    def get_page_subtitle(self):
        return self.quiz.title

    def get_breadcrumbs_items(self):
        return [HOME, QUIZZES, {"url": "", "label": self.quiz.title}]

    def get_index_url(self):
        return reverse("assessments_quiz_results", args=[self.quiz.pk])

    def get_index_results_url(self):
        return reverse("assessments_quiz_results_results", args=[self.quiz.pk])

    def get_filename(self):
        return f"hasil-{self.quiz.slug}-{timezone.localdate():%Y-%m-%d}"

    @cached_property
    def header_buttons(self):
        url = reverse("assessments_item_statistics", args=[self.quiz.pk])
        if self.cohort is not None:
            url += f"?cohort={self.cohort.pk}"
        return [
            HeaderButton(_("Statistik soal"), url=url, icon_name="list-ul"),
        ]

    def get_queryset(self):
        return result_people(
            actor=self.request.user, quiz=self.quiz, cohort=self.cohort
        )

    def rows_for(self, people):
        return results_for(actor=self.request.user, quiz=self.quiz, people=people)


# --- results per cohort -------------------------------------------------------


class ScopedCohortIndexView(FacilitatorsOnly, BaseListingView):
    """The cohorts the viewer may see, each opening `target_url_name`."""

    target_url_name: str
    breadcrumbs_items = [HOME]
    is_searchable = True
    search_fields = ["name", "programme__name", "programme__short_name"]
    search_backend_name = None
    paginate_by = 50
    verbose_name_plural = _("angkatan")

    @property
    def columns(self):
        return [
            TitleColumn(
                "name",
                label=_("Angkatan"),
                get_url=lambda cohort: reverse(self.target_url_name, args=[cohort.pk]),
            ),
            Column("programme", label=_("Program")),
            Column(
                "start_date",
                label=_("Mulai"),
                accessor=lambda cohort: date_format(cohort.start_date),
            ),
            NumberColumn("trainee_count", label=_("Peserta")),
        ]

    def get_base_queryset(self):
        return cohorts_with_counts(cohorts=cohorts_managed_by(self.request.user))


class CohortIndexView(ScopedCohortIndexView):
    """The cohorts in scope, each opening its quiz results table."""

    page_title = _("Hasil per angkatan")
    header_icon = "group"
    index_url_name = "assessments_results_cohorts"
    index_results_url_name = "assessments_results_cohorts_results"
    target_url_name = "assessments_cohort_results"


class PersonRow:
    """One trainee's line in the cohort table: a result per quiz."""

    def __init__(self, person: User, results: dict[int, QuizResult]):
        self.person = person
        self.results = results


def _cohort_cell(result: QuizResult | None) -> str:
    if result is None or not result.attempts:
        return "—"
    parts = []
    if result.best_percent is not None:
        parts.append(_percent(result.best_percent))
    if result.passed is not None:
        parts.append(str(result.passed_label))
    if result.latest_status != SittingStatus.FINISHED:
        parts.append(str(result.status_label))
    return " · ".join(parts)


class CohortResultsView(
    FacilitatorsOnly,
    PeopleRowsMixin,
    ExportButtonsMixin,
    ResultExportMixin,
    ReportView,
):
    """A cohort's trainees against every quiz they sat: best score, pass.

    The export has one row per trainee and quiz, ready for a pivot table.
    """

    page_title = _("Hasil angkatan")
    header_icon = "group"
    paginate_by = 50
    verbose_name_plural = _("peserta")

    @cached_property
    def cohort(self) -> Cohort:
        return get_object_or_404(
            cohorts_managed_by(self.request.user), pk=self.kwargs["cohort_id"]
        )

    @cached_property
    def quizzes(self) -> list[Quiz]:
        return list(result_quizzes(actor=self.request.user, cohort=self.cohort))

    @property
    def columns(self):
        return [
            Column("person.display_name", label=_("Nama")),
            Column("person.username", label=_("Nama pengguna")),
        ] + [
            Column(
                f"quiz_{quiz.pk}",
                label=quiz.title,
                accessor=lambda row, pk=quiz.pk: _cohort_cell(row.results.get(pk)),
            )
            for quiz in self.quizzes
        ]

    def get_page_subtitle(self):
        return str(self.cohort)

    def get_breadcrumbs_items(self):
        return [HOME, COHORTS, {"url": "", "label": str(self.cohort)}]

    def get_index_url(self):
        return reverse("assessments_cohort_results", args=[self.cohort.pk])

    def get_index_results_url(self):
        return reverse("assessments_cohort_results_results", args=[self.cohort.pk])

    def get_filename(self):
        return f"hasil-angkatan-{self.cohort.pk}-{timezone.localdate():%Y-%m-%d}"

    def get_queryset(self):
        return result_people(actor=self.request.user, cohort=self.cohort)

    def rows_for(self, people):
        if self.is_export:
            return results_for(
                actor=self.request.user, cohort=self.cohort, people=people
            )
        by_person: dict[int, dict[int, QuizResult]] = {}
        for result in results_for(
            actor=self.request.user, cohort=self.cohort, people=people
        ):
            by_person.setdefault(result.person.pk, {})[result.quiz.pk] = result
        return [PersonRow(person, by_person.get(person.pk, {})) for person in people]


# --- from the quiz snippet's own screens ------------------------------------------


def quiz_result_buttons(quiz: Quiz, request) -> list[Button]:
    """Where a quiz's results are, for someone allowed to read them; else none."""
    if not facilitators_allowed(request):
        return []
    results_url = reverse("assessments_quiz_results", args=[quiz.pk])
    return [
        Button(_("Hasil kuis"), url=results_url, icon_name="tasks", priority=50),
        Button(
            _("Statistik soal"),
            url=reverse("assessments_item_statistics", args=[quiz.pk]),
            icon_name="list-ul",
            priority=51,
        ),
        Button(
            _("Unduh hasil (XLSX)"),
            url=results_url + "?export=xlsx",
            icon_name="download",
            priority=52,
        ),
        Button(
            _("Unduh hasil (CSV)"),
            url=results_url + "?export=csv",
            icon_name="download",
            priority=53,
        ),
    ]


class QuizListingView(snippet_views.IndexView):
    """The quiz snippets, each row's "…" menu leading to its results too."""

    def get_list_more_buttons(self, instance):
        return [
            *super().get_list_more_buttons(instance),
            *quiz_result_buttons(instance, self.request),
        ]


class QuizEditView(snippet_views.EditView):
    """A quiz's edit screen, with its results one click away in the header."""

    @cached_property
    def header_buttons(self):
        if not facilitators_allowed(self.request):
            return []
        return [
            HeaderButton(
                _("Hasil kuis"),
                url=reverse("assessments_quiz_results", args=[self.object.pk]),
                icon_name="tasks",
            )
        ]

    @cached_property
    def header_more_buttons(self):
        return [
            *super().header_more_buttons,
            *quiz_result_buttons(self.object, self.request)[1:],
        ]


# --- wiring -------------------------------------------------------------------


def listing_urls(name: str, route: str, view) -> list:
    """A listing's page and the results fragment its filters refresh."""
    return [
        path(route, view.as_view(), name=name),
        path(
            route + "hasil/",
            view.as_view(results_only=True),
            name=name + "_results",
        ),
    ]


def admin_urls() -> list:
    return [
        *listing_urls("assessments_results_quizzes", "hasil-kuis/", QuizIndexView),
        *listing_urls(
            "assessments_quiz_results",
            "hasil-kuis/kuis/<id:quiz_id>/",
            QuizResultsView,
        ),
        *listing_urls(
            "assessments_results_cohorts", "hasil-kuis/angkatan/", CohortIndexView
        ),
        *listing_urls(
            "assessments_cohort_results",
            "hasil-kuis/angkatan/<id:cohort_id>/",
            CohortResultsView,
        ),
    ]


def results_per_quiz_menu_item() -> FacilitatorMenuItem:
    return FacilitatorMenuItem(
        _("Hasil per kuis"),
        reverse("assessments_results_quizzes"),
        name="hasil-per-kuis",
        icon_name="tasks",
        order=200,
    )


def results_per_cohort_menu_item() -> FacilitatorMenuItem:
    return FacilitatorMenuItem(
        _("Hasil per angkatan"),
        reverse("assessments_results_cohorts"),
        name="hasil-per-angkatan",
        icon_name="group",
        order=210,
    )


def essay_marking_menu_item() -> FacilitatorMenuItem:
    return FacilitatorMenuItem(
        _("Penilaian esai"),
        reverse("assessments_essay_queue"),
        name="penilaian-esai",
        icon_name="edit",
        order=230,
    )


# Items of the *Kuis* menu group (`assessments.wagtail_hooks`), facilitators
# and coordinators only.
results_menu_items = (
    results_per_quiz_menu_item,
    results_per_cohort_menu_item,
    essay_marking_menu_item,
)
