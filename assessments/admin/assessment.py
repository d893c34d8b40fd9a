"""The admin screen where a facilitator records a competence assessment.

Reached per trainee (from a cell of the competence matrix, or the trainee's
profile), so the evidence offered is that trainee's own: every registered kind
of evidence (`assessments.competence.register_evidence_kind`) offers its
records, one group per kind. Practice cases whose review ticked the competency
being judged come first, already ticked.
"""

from django import forms
from django.db import models
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView

from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from learning.bounds import parse_id
from learning.models import Cohort, User
from learning.scope import cohorts_managed_by

from ..choices import CompetenceLevel
from ..competence import (
    CompetenceError,
    EvidenceKind,
    can_assess,
    describe_evidence,
    evidence_kinds,
    record_assessment,
)
from ..models import CompetenceAssessment, Competency, Evidence
from .access import PermissionOr403Mixin
from .competence import HOME, MATRICES


def evidence_field_name(kind: EvidenceKind) -> str:
    """ "bukti_assessments_sitting": one form field per kind of evidence."""
    return "bukti_" + kind.key.replace(".", "_")


class EvidenceField(forms.MultipleChoiceField):
    """The records one kind offers for one trainee; cleans to the records."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, *, kind: EvidenceKind, records: list, suggested: set, **kw):
        self.kind = kind
        self.records = {str(record.pk): record for record in records}
        mark = gettext("dicentang pada tinjauan untuk kompetensi ini")
        choices = [
            (
                str(record.pk),
                f"{kind.describe(record)} ({mark})"
                if record.pk in suggested
                else kind.describe(record),
            )
            for record in records
        ]
        super().__init__(
            choices=choices,
            label=kind.label,
            required=False,
            help_text="" if records else _("Belum ada catatan seperti ini."),
            error_messages={
                "invalid_choice": _(
                    "Bukti ini tidak dapat dipilih: bukan milik peserta ini, atau "
                    "belum diverifikasi atau ditinjau. Tidak ada yang disimpan."
                )
            },
            **kw,
        )

    def clean(self, value) -> list[models.Model]:
        return [self.records[pk] for pk in super().clean(value)]


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
        # A date input reads only ISO dates: a localised one would show empty.
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    comment = forms.CharField(
        label=_("Catatan untuk peserta"), required=False, widget=forms.Textarea
    )
    observation = forms.CharField(
        label=_("Pengamatan di pelatihan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Apa yang kamu lihat peserta lakukan pada hari yang dicentang."),
    )

    def __init__(
        self, *args, trainee: User, competency: Competency | None = None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        if competency is not None:
            self.initial.setdefault("competency", competency.pk)
        # Each kind's records after the fixed fields, the note at the end.
        observation = self.fields.pop("observation")
        self.evidence_names: list[str] = []
        for kind in evidence_kinds():
            records = list(kind.offer(trainee))
            suggested = {
                record.pk for record in records if kind.is_suggested(record, competency)
            }
            # Stable sort: the suggested first, each group in the kind's order.
            records.sort(key=lambda record, s=suggested: record.pk not in s)
            name = evidence_field_name(kind)
            self.fields[name] = EvidenceField(
                kind=kind, records=records, suggested=suggested
            )
            if suggested:
                self.initial.setdefault(name, [str(pk) for pk in suggested])
            self.evidence_names.append(name)
        self.fields["observation"] = observation

    def evidence(self) -> list[tuple[models.Model, str]]:
        """The ticked records, with the observation note on observed kinds."""
        note = self.cleaned_data["observation"]
        return [
            (record, note if self.fields[name].kind.observed else "")
            for name in self.evidence_names
            for record in self.cleaned_data[name]
        ]


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

    @cached_property
    def competency(self) -> Competency | None:
        """The competency being judged: the one sent, or the one a matrix cell
        asked for (`?kompetensi=`); it decides which cases suggest themselves."""
        if self.request.method == "POST":
            wanted = self.request.POST.get("competency", "")
        else:
            wanted = self.request.GET.get("kompetensi", "")
        competency_id = parse_id(wanted)
        if competency_id is None:
            return None
        return Competency.objects.filter(pk=competency_id).first()

    @cached_property
    def cohort(self) -> Cohort | None:
        """The cohort whose matrix led here, for the way back (if managed)."""
        cohort_id = parse_id(self.request.GET.get("angkatan"))
        if cohort_id is None:
            return None
        return cohorts_managed_by(self.request.user).filter(pk=cohort_id).first()

    def get_page_title(self):
        return gettext("Nilai kompetensi: %(name)s") % {
            "name": self.trainee.display_name
        }

    def back_query(self) -> str:
        return f"?{urlencode({'angkatan': self.cohort.pk})}" if self.cohort else ""

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
        items.append(
            {
                "url": reverse("assessments_trainee_competence", args=[self.trainee.pk])
                + self.back_query(),
                "label": self.trainee.display_name,
            }
        )
        return [*items, {"url": "", "label": gettext("Nilai kompetensi")}]

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "trainee": self.trainee,
            "competency": self.competency,
        }

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            record_assessment(
                assessor=self.request.user,
                trainee=self.trainee,
                competency=data["competency"],
                level=data["level"],
                assessed_on=data["assessed_on"],
                comment=data["comment"],
                evidence=form.evidence(),
            )
        except CompetenceError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(
            self.request,
            gettext("Penilaian %(competency)s untuk %(name)s tersimpan.")
            % {"competency": data["competency"], "name": self.trainee.display_name},
        )
        return redirect(
            reverse("assessments_record_assessment", args=[self.trainee.pk])
            + self.back_query()
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        history = list(
            CompetenceAssessment.objects.filter(trainee=self.trainee)
            .select_related("competency", "assessor")
            .prefetch_related(
                models.Prefetch("evidence", queryset=Evidence.objects.order_by("pk"))
            )
        )
        describe_evidence(row for item in history for row in item.evidence.all())
        form = context["form"]
        context.update(
            trainee=self.trainee,
            history=history,
            evidence_fields=[form[name] for name in form.evidence_names],
            submit_button_label=_("Simpan penilaian"),
            action_url=self.request.get_full_path(),
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
