"""Item statistics of a quiz in the Wagtail admin: the questions worth rewriting.

For facilitators and coordinators (and superusers), over the sittings of the
people in the viewer's scope; the reader is `assessments.statistics`.
"""

from django import forms
from django.shortcuts import get_object_or_404
from django.urls import path, reverse, reverse_lazy
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from wagtail.admin.ui.tables import Column, NumberColumn, TitleColumn
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import HeaderButton

from learning.models import Cohort
from learning.scope import cohorts_managed_by

from ..choices import SittingStatus
from ..models import Quiz
from ..statistics import (
    LOW_DISCRIMINATION_BELOW,
    TOO_EASY_ABOVE,
    TOO_HARD_BELOW,
    item_statistics,
    min_responses_for_flags,
    sittings_in_scope,
)
from .access import FacilitatorMenuItem, FacilitatorsOnly
from .results import HOME, QuizIndexView, listing_urls

STATISTICS = {
    "url": reverse_lazy("assessments_item_statistics_quizzes"),
    "label": _("Statistik soal"),
}


class StatisticsQuizIndexView(QuizIndexView):
    """Every quiz, each opening how its questions did."""

    page_title = _("Statistik soal")
    header_icon = "list-ul"
    index_url_name = "assessments_item_statistics_quizzes"
    index_results_url_name = "assessments_item_statistics_quizzes_results"
    columns = [
        TitleColumn(
            "title",
            label=_("Kuis"),
            get_url=lambda quiz: reverse("assessments_item_statistics", args=[quiz.pk]),
        ),
        Column("mode", label=_("Jenis"), accessor="get_mode_display"),
        NumberColumn("handed_in_count", label=_("Percobaan selesai")),
    ]


class StatisticsFilterForm(forms.Form):
    cohort = forms.ModelChoiceField(
        label=_("Angkatan"),
        queryset=Cohort.objects.none(),
        required=False,
        empty_label=_("Semua angkatan"),
    )

    def __init__(self, *args, cohorts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = cohorts


class ItemStatisticsView(FacilitatorsOnly, WagtailAdminTemplateMixin, TemplateView):
    """How each question of a quiz did, to find the ones worth rewriting."""

    template_name = "assessments/admin/item_statistics.html"
    page_title = _("Statistik soal")
    header_icon = "list-ul"

    @cached_property
    def quiz(self) -> Quiz:
        return get_object_or_404(Quiz, pk=self.kwargs["quiz_id"])

    def get_page_subtitle(self):
        return self.quiz.title

    def get_breadcrumbs_items(self):
        return [HOME, STATISTICS, {"url": "", "label": self.quiz.title}]

    @cached_property
    def header_buttons(self):
        return [
            HeaderButton(
                _("Hasil kuis"),
                url=reverse("assessments_quiz_results", args=[self.quiz.pk]),
                icon_name="tasks",
            )
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        actor = self.request.user
        form = StatisticsFilterForm(
            self.request.GET or None, cohorts=cohorts_managed_by(actor)
        )
        cohort = form.cleaned_data["cohort"] if form.is_valid() else None
        sittings = sittings_in_scope(actor=actor, quiz=self.quiz, cohort=cohort)
        context.update(
            quiz=self.quiz,
            filter_form=form,
            cohort=cohort,
            items=item_statistics(quiz=self.quiz, sittings=sittings),
            handed_in=sittings.exclude(status=SittingStatus.IN_PROGRESS).count(),
            too_easy_above=TOO_EASY_ABOVE,
            too_hard_below=TOO_HARD_BELOW,
            low_discrimination_below=LOW_DISCRIMINATION_BELOW,
            min_responses=min_responses_for_flags(),
        )
        return context


def admin_urls() -> list:
    return [
        *listing_urls(
            "assessments_item_statistics_quizzes",
            "hasil-kuis/statistik/",
            StatisticsQuizIndexView,
        ),
        path(
            "hasil-kuis/kuis/<id:quiz_id>/statistik/",
            ItemStatisticsView.as_view(),
            name="assessments_item_statistics",
        ),
    ]


def item_statistics_menu_item() -> FacilitatorMenuItem:
    return FacilitatorMenuItem(
        _("Statistik soal"),
        reverse("assessments_item_statistics_quizzes"),
        name="statistik-soal",
        icon_name="list-ul",
        order=220,
    )
