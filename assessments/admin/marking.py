"""Essay marking in the Wagtail admin: the queue of essays and the marking form.

For facilitators and coordinators (and superusers). The queue lists only
essays of people in the viewer's scope (`assessments.statistics`), and every
mark goes through `assessments.grading.mark_essay`.
"""

from decimal import Decimal

from django import forms
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse, reverse_lazy
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView

from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.generic import BaseListingView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

import django_filters

from learning.scope import cohorts_managed_by

from ..choices import SittingStatus
from ..grading import QuizError, mark_essay
from ..models import Answer, Quiz
from ..statistics import essay_queue, markable_essays
from .access import FacilitatorsOnly
from .results import HOME, listing_urls

QUEUE = {"url": reverse_lazy("assessments_essay_queue"), "label": _("Penilaian esai")}


class EssayQueueFilterSet(WagtailFilterSet):
    quiz = django_filters.ModelChoiceFilter(
        label=_("Kuis"),
        field_name="sitting_question__sitting__quiz",
        queryset=lambda request: Quiz.objects.order_by("title"),
        empty_label=_("Semua kuis"),
    )
    cohort = django_filters.ModelChoiceFilter(
        label=_("Angkatan"),
        field_name="sitting_question__sitting__user__enrolments__cohort",
        queryset=lambda request: cohorts_managed_by(request.user),
        empty_label=_("Semua angkatan"),
        distinct=True,
    )

    class Meta:
        model = Answer
        fields = []


class EssayQueueView(FacilitatorsOnly, BaseListingView):
    """Essays waiting for a mark, the longest waiting first, each with its form."""

    page_title = _("Penilaian esai")
    header_icon = "edit"
    breadcrumbs_items = [HOME]
    results_template_name = "assessments/admin/essay_queue_results.html"
    filterset_class = EssayQueueFilterSet
    index_url_name = "assessments_essay_queue"
    index_results_url_name = "assessments_essay_queue_results"
    paginate_by = 20
    verbose_name_plural = _("esai")

    def get_base_queryset(self):
        return essay_queue(actor=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Where each form returns: this page of the queue, as a whole page
        # even when the listing was refreshed by the filters.
        params = self.request.GET.copy()
        params.pop("_w_filter_fragment", None)
        context["queue_url"] = self.index_url + (
            "?" + params.urlencode() if params else ""
        )
        context["form"] = MarkEssayForm()
        return context


class MarkEssayForm(forms.Form):
    percent = forms.IntegerField(
        label=_("Nilai (0–100)"),
        min_value=0,
        max_value=100,
        help_text=_("Persen dari nilai penuh soal ini, bilangan bulat, misalnya 75."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": 1}),
    )
    comment = forms.CharField(
        label=_("Catatan untuk peserta"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Peserta membaca catatan ini bersama nilainya."),
    )


class MarkEssayView(FacilitatorsOnly, WagtailAdminTemplateMixin, FormView):
    """Mark one essay (or correct a mark); the sitting is re-scored at once."""

    template_name = "assessments/admin/mark_essay.html"
    form_class = MarkEssayForm
    page_title = _("Nilai esai")
    header_icon = "edit"

    @cached_property
    def answer(self) -> Answer:
        # Someone outside one's scope, or not an essay: as if it did not exist.
        return get_object_or_404(
            markable_essays(actor=self.request.user), pk=self.kwargs["answer_id"]
        )

    def get_page_subtitle(self):
        sitting = self.answer.sitting_question.sitting
        return f"{sitting.user.display_name} · {sitting.quiz.title}"

    def get_breadcrumbs_items(self):
        return [HOME, QUEUE, {"url": "", "label": self.get_page_subtitle()}]

    def get_initial(self):
        if self.answer.mark is None:
            return {}
        return {
            "percent": round(self.answer.mark * 100),
            "comment": self.answer.comment,
        }

    def get_success_url(self):
        return get_valid_next_url_from_request(self.request) or reverse(
            "assessments_essay_queue"
        )

    def form_valid(self, form):
        answer = self.answer
        person = answer.sitting_question.sitting.user
        try:
            sitting = mark_essay(
                answer=answer,
                marker=self.request.user,
                mark=Decimal(form.cleaned_data["percent"]) / 100,
                comment=form.cleaned_data["comment"],
            )
        except QuizError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        if sitting.status == SittingStatus.FINISHED:
            result = gettext("lulus") if sitting.passed else gettext("belum lulus")
            message = gettext(
                "Nilai esai %(name)s tersimpan. Nilai akhirnya %(percent)s%% "
                "(%(result)s)."
            ) % {
                "name": person.display_name,
                "percent": sitting.percent,
                "result": result,
            }
        else:
            message = gettext(
                "Nilai esai %(name)s tersimpan. Percobaan ini masih menunggu "
                "penilaian esai lain."
            ) % {"name": person.display_name}
        messages.success(self.request, message)
        return redirect(self.get_success_url())

    def form_invalid(self, form):
        messages.error(
            self.request, gettext("Nilai belum disimpan. Perbaiki isian di bawah.")
        )
        return super().form_invalid(form)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            answer=self.answer,
            action_url=self.request.path,
            submit_button_label=gettext("Simpan nilai"),
            next=get_valid_next_url_from_request(self.request),
        )
        return context


def admin_urls() -> list:
    return [
        *listing_urls("assessments_essay_queue", "hasil-kuis/esai/", EssayQueueView),
        path(
            "hasil-kuis/esai/<id:answer_id>/",
            MarkEssayView.as_view(),
            name="assessments_mark_essay",
        ),
    ]
