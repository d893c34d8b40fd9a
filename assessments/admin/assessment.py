"""The admin screen where a facilitator records a competence assessment.

Reached per trainee (from the competence matrix or the trainee's page), so
the evidence offered is that trainee's own: their finished quiz sittings and
the workshop days they attended.
"""

from django import forms
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView

from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from learning.models import User

from ..choices import CompetenceLevel, SittingStatus
from ..competence import CompetenceError, can_assess, record_assessment
from ..models import Attendance, CompetenceAssessment, Competency, Sitting
from .access import PermissionOr403Mixin


class AssessmentForm(forms.Form):
    competency = forms.ModelChoiceField(
        label=_("Kompetensi"), queryset=Competency.objects.all()
    )
    level = forms.ChoiceField(
        label=_("Tingkat"), choices=CompetenceLevel.choices, widget=forms.RadioSelect
    )
    assessed_on = forms.DateField(
        label=_("Tanggal penilaian"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    comment = forms.CharField(
        label=_("Catatan untuk peserta"), required=False, widget=forms.Textarea
    )
    sittings = forms.ModelMultipleChoiceField(
        label=_("Bukti: kuis"),
        queryset=Sitting.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    attendance = forms.ModelMultipleChoiceField(
        label=_("Bukti: hadir di pelatihan tatap muka"),
        queryset=Attendance.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    observation = forms.CharField(
        label=_("Pengamatan di pelatihan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Apa yang kamu lihat peserta lakukan pada hari yang dicentang."),
    )

    def __init__(self, *args, trainee: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sittings"].queryset = (
            Sitting.objects.filter(user=trainee)
            .exclude(status=SittingStatus.IN_PROGRESS)
            .select_related("quiz")
        )
        self.fields["sittings"].label_from_instance = lambda sitting: (
            _("%(quiz)s, percobaan %(attempt)s: %(result)s")
            % {
                "quiz": sitting.quiz.title,
                "attempt": sitting.attempt,
                "result": "–" if sitting.percent is None else f"{sitting.percent}%",
            }
        )
        self.fields["attendance"].queryset = Attendance.objects.filter(
            trainee=trainee
        ).select_related("event")
        self.fields["attendance"].label_from_instance = lambda row: (
            f"{row.event.title}, {row.day:%d-%m-%Y}"
        )


class RecordAssessmentView(PermissionOr403Mixin, WagtailAdminTemplateMixin, FormView):
    template_name = "assessments/admin/record_assessment.html"
    form_class = AssessmentForm
    header_icon = "check"

    def dispatch(self, request, *args, **kwargs):
        self.trainee = User.objects.filter(pk=kwargs["trainee_id"]).first()
        if self.trainee is None or not can_assess(request.user, self.trainee):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def is_allowed(self, request) -> bool:
        return True  # can_assess already decided, before any query about people

    def get_page_title(self):
        return _("Nilai kompetensi: %(name)s") % {"name": self.trainee.display_name}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "trainee": self.trainee}

    def form_valid(self, form):
        data = form.cleaned_data
        note = data["observation"]
        evidence = [(sitting, "") for sitting in data["sittings"]]
        evidence += [(row, note) for row in data["attendance"]]
        try:
            record_assessment(
                assessor=self.request.user,
                trainee=self.trainee,
                competency=data["competency"],
                level=data["level"],
                assessed_on=data["assessed_on"],
                comment=data["comment"],
                evidence=evidence,
            )
        except CompetenceError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Penilaian %(competency)s untuk %(name)s tersimpan.")
            % {"competency": data["competency"], "name": self.trainee.display_name},
        )
        return redirect("assessments_record_assessment", trainee_id=self.trainee.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["trainee"] = self.trainee
        context["history"] = (
            CompetenceAssessment.objects.filter(trainee=self.trainee)
            .select_related("competency", "assessor")
            .prefetch_related("evidence__content_type")
        )
        context["submit_button_label"] = _("Simpan penilaian")
        context["action_url"] = reverse(
            "assessments_record_assessment", args=[self.trainee.pk]
        )
        return context


def admin_urls() -> list:
    return [
        path(
            "kompetensi/nilai/<id:trainee_id>/",
            RecordAssessmentView.as_view(),
            name="assessments_record_assessment",
        )
    ]
