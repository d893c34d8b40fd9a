"""The competence matrix of a cohort, and one trainee's profile, in the admin.

For facilitators and coordinators (and superusers), read-only: judgements are
recorded on their own screen (`assessment`). Cohorts and people come
through the scope rule: one out of scope is not found. The readers live in
`assessments.competence_selectors`.
"""

import io
from dataclasses import dataclass

from django import forms
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse, reverse_lazy
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import HeaderButton

from openpyxl import Workbook
from openpyxl.styles import Font

from learning import audit
from learning.bounds import parse_id
from learning.models import Cohort, User
from learning.scope import cohorts_managed_by, people_visible_to
from learning.spreadsheets import append_row

from ..choices import CompetenceLevel
from ..competence import assessable_among, can_assess
from ..competence_selectors import (
    LEVEL_FILTER_CHOICES,
    LEVEL_ORDER,
    NOT_ASSESSED,
    NOT_ASSESSED_LABEL,
    Matrix,
    MatrixRow,
    cohort_matrix,
    competence_profile,
    level_label,
    profile_summary,
)
from ..models import CompetenceAssessment, Competency
from .access import FacilitatorMenuItem, FacilitatorsOnly
from .results import HOME, ScopedCohortIndexView

MATRICES = {
    "url": reverse_lazy("assessments_competence_cohorts"),
    "label": _("Matriks kompetensi"),
}


def _legend() -> list[tuple[str, str]]:
    return [
        *((level, CompetenceLevel(level).label) for level in LEVEL_ORDER),
        (NOT_ASSESSED, NOT_ASSESSED_LABEL),
    ]


# --- cohorts in scope ---------------------------------------------------------


class MatrixCohortIndexView(ScopedCohortIndexView):
    """The cohorts in scope, each opening its competence matrix."""

    page_title = _("Matriks kompetensi")
    header_icon = "table"
    index_url_name = "assessments_competence_cohorts"
    index_results_url_name = "assessments_competence_cohorts_results"
    target_url_name = "assessments_competence_matrix"


# --- one cohort's matrix --------------------------------------------------------


class MatrixFilterForm(forms.Form):
    competency = forms.ModelChoiceField(
        label=_("Kompetensi"),
        queryset=Competency.objects.all(),
        required=False,
        empty_label=_("Semua kompetensi"),
    )
    level = forms.ChoiceField(
        label=_("Tingkat"),
        choices=[("", _("Semua tingkat")), *LEVEL_FILTER_CHOICES],
        required=False,
        help_text=_(
            "Tampilkan hanya peserta pada tingkat ini (di kompetensi yang dipilih)."
        ),
    )


def _cell_text(assessment: CompetenceAssessment | None) -> str:
    """The level as words, with the day it was judged: colour never says it alone."""
    if assessment is None:
        return level_label(None)
    return f"{level_label(assessment)} ({assessment.assessed_on:%d-%m-%Y})"


def matrix_workbook(matrix: Matrix) -> bytes:
    """One row per trainee, one column per competency: level and date."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = gettext("Matriks")
    # Names are typed by people: a name typed as "=…" stays text (append_row).
    append_row(
        sheet,
        [
            gettext("Nama"),
            gettext("Nama pengguna"),
            *(competency.name for competency in matrix.competencies),
        ],
    )
    for row in matrix.rows:
        append_row(
            sheet,
            [
                row.trainee.display_name,
                row.trainee.username,
                *(_cell_text(cell) for cell in row.cells),
            ],
        )
    summary = workbook.create_sheet(gettext("Jumlah"))
    summary.append(
        [gettext("Kompetensi"), *(str(label) for _level, label in _legend())]
    )
    for count in matrix.counts:
        append_row(
            summary,
            [
                count.competency.name,
                *(count.by_level[level] for level, _label in _legend()),
            ],
        )
    for worksheet in (sheet, summary):
        for cell in worksheet[1]:
            cell.font = Font(bold=True)
        worksheet.freeze_panes = "B2"
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


@dataclass
class MatrixCell:
    """One cell: the latest judgement (or None) and where to record a new one."""

    assessment: CompetenceAssessment | None
    competency: Competency
    form_url: str = ""


class CohortMatrixView(FacilitatorsOnly, WagtailAdminTemplateMixin, TemplateView):
    """A cohort's trainees against every competency: the latest level of each."""

    template_name = "assessments/admin/competence_matrix.html"
    page_title = _("Matriks kompetensi")
    header_icon = "table"

    @cached_property
    def cohort(self) -> Cohort:
        return get_object_or_404(
            cohorts_managed_by(self.request.user), pk=self.kwargs["cohort_id"]
        )

    @cached_property
    def filter_form(self) -> MatrixFilterForm:
        data = self.request.GET.copy()
        data.pop("export", None)
        return MatrixFilterForm(data or None)

    @cached_property
    def matrix(self) -> Matrix:
        form = self.filter_form
        data = form.cleaned_data if form.is_valid() else {}
        competency = data.get("competency")
        return cohort_matrix(
            cohort=self.cohort,
            actor=self.request.user,
            competencies=[competency] if competency else None,
            level=data.get("level") or None,
        )

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx":
            response = HttpResponse(
                matrix_workbook(self.matrix),
                content_type=(
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                ),
            )
            filename = (
                f"matriks-kompetensi-{self.cohort.pk}-{timezone.localdate():%Y-%m-%d}"
            )
            response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
            audit.record_export(
                request,
                what="matriks-kompetensi",
                file_format="xlsx",
                target=self.cohort,
                programme=self.cohort.programme,
            )
            return response
        return super().get(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.cohort)

    def get_breadcrumbs_items(self):
        return [HOME, MATRICES, {"url": "", "label": str(self.cohort)}]

    def export_url(self) -> str:
        params = {
            key: value
            for key, value in self.request.GET.items()
            if key != "export" and value
        }
        params["export"] = "xlsx"
        return self.request.path + "?" + urlencode(params)

    @cached_property
    def header_buttons(self):
        return [
            HeaderButton(_("Unduh XLSX"), url=self.export_url(), icon_name="download"),
            HeaderButton(
                _("Kesiapan sertifikasi"),
                url=reverse("assessments_certification_cohort", args=[self.cohort.pk]),
                icon_name="success",
            ),
        ]

    def cell_rows(self) -> list[tuple[MatrixRow, list[MatrixCell]]]:
        """Each row's cells, each linking to the assessment form for that
        trainee and competency when the viewer may judge the trainee."""
        matrix = self.matrix
        may_assess = assessable_among(
            self.request.user, [row.trainee for row in matrix.rows]
        )
        back = {"angkatan": self.cohort.pk}
        table = []
        for row in matrix.rows:
            form_url = (
                reverse("assessments_record_assessment", args=[row.trainee.pk])
                if row.trainee.pk in may_assess
                else ""
            )
            table.append(
                (
                    row,
                    [
                        MatrixCell(
                            assessment=cell,
                            competency=competency,
                            form_url=form_url
                            and form_url
                            + "?"
                            + urlencode({**back, "kompetensi": competency.pk}),
                        )
                        for cell, competency in zip(
                            row.cells, matrix.competencies, strict=True
                        )
                    ],
                )
            )
        return table

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        matrix = self.matrix
        context.update(
            table=self.cell_rows(),
            matrix=matrix,
            filter_form=self.filter_form,
            legend=_legend(),
            columns=list(zip(matrix.competencies, matrix.counts, strict=True)),
            export_url=self.export_url(),
            profile_query=urlencode({"angkatan": self.cohort.pk}),
        )
        return context


# --- one trainee's profile ---------------------------------------------------------


class TraineeCompetenceView(FacilitatorsOnly, WagtailAdminTemplateMixin, TemplateView):
    """One trainee's profile and history, read-only, as the matrix links it."""

    template_name = "assessments/admin/competence_profile.html"
    header_icon = "user"

    @cached_property
    def trainee(self) -> User:
        return get_object_or_404(
            people_visible_to(self.request.user), pk=self.kwargs["trainee_id"]
        )

    @cached_property
    def cohort(self) -> Cohort | None:
        """The cohort whose matrix led here, for the way back (if in scope)."""
        cohort_id = parse_id(self.request.GET.get("angkatan"))
        if cohort_id is None:
            return None
        return cohorts_managed_by(self.request.user).filter(pk=cohort_id).first()

    def get_page_title(self):
        return gettext("Profil kompetensi: %(name)s") % {
            "name": self.trainee.display_name
        }

    def get_breadcrumbs_items(self):
        items = [HOME, MATRICES]
        if self.cohort is not None:
            items.append(
                {
                    "url": reverse(
                        "assessments_competence_matrix", args=[self.cohort.pk]
                    ),
                    "label": str(self.cohort),
                }
            )
        return [*items, {"url": "", "label": self.trainee.display_name}]

    @cached_property
    def header_buttons(self):
        readiness = HeaderButton(
            _("Kesiapan sertifikasi"),
            url=reverse("assessments_certification_trainee", args=[self.trainee.pk]),
            icon_name="success",
        )
        if not can_assess(self.request.user, self.trainee):
            return [readiness]
        return [
            HeaderButton(
                _("Nilai kompetensi"),
                url=reverse("assessments_record_assessment", args=[self.trainee.pk])
                + (
                    f"?{urlencode({'angkatan': self.cohort.pk})}" if self.cohort else ""
                ),
                icon_name="check",
            ),
            readiness,
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = competence_profile(self.trainee, viewer=self.request.user)
        context.update(
            trainee=self.trainee,
            rows=rows,
            summary=profile_summary(rows),
            legend=_legend(),
        )
        return context


# --- wiring -------------------------------------------------------------------


def admin_urls() -> list:
    return [
        path(
            "kompetensi/matriks/",
            MatrixCohortIndexView.as_view(),
            name="assessments_competence_cohorts",
        ),
        path(
            "kompetensi/matriks/hasil/",
            MatrixCohortIndexView.as_view(results_only=True),
            name="assessments_competence_cohorts_results",
        ),
        path(
            "kompetensi/matriks/<id:cohort_id>/",
            CohortMatrixView.as_view(),
            name="assessments_competence_matrix",
        ),
        path(
            "kompetensi/peserta/<id:trainee_id>/",
            TraineeCompetenceView.as_view(),
            name="assessments_trainee_competence",
        ),
    ]


def competence_matrix_menu_item() -> FacilitatorMenuItem:
    return FacilitatorMenuItem(
        _("Matriks kompetensi"),
        reverse("assessments_competence_cohorts"),
        name="matriks-kompetensi",
        icon_name="table",
        order=315,
    )
