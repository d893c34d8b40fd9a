"""Admin screens for supervised practice cases: the supervisor's review, the counts.

Trainees write their cases on the site; here a case is only read and decided.
Wagtail's model viewset gives the index (scoped by `cases_visible_to`,
filtered, with "menunggu tinjauan saya" as a supervisor's default view) and
one page per case: the whole case read-only, the UU TPKS pasal 23 warning when
it applies, the history and, for the case's supervisor while it waits, the
review form (feedback, the competencies the case showed, "Tandai sudah
ditinjau" or "Kembalikan untuk diperbaiki"), which calls
`mentorship.cases.review_case` / `return_case`. Anyone the rule does not let
read a case gets a 404, whatever their role.

Coordinators read no case: "Kasus praktik: angka" gives them, and
facilitators, `case_counts` for the programmes in their scope, numbers
without a narrative or a name. A dashboard panel tells a supervisor how many
cases wait for them, next to the magang hours panel.

Registered in `mentorship.wagtail_hooks`.
"""

import datetime

from django import forms
from django.contrib.admin.utils import quote
from django.core.exceptions import ValidationError
from django.db.models import QuerySet, TextField
from django.db.models.functions import Cast
from django.http import Http404
from django.shortcuts import redirect
from django.template.defaultfilters import linebreaksbr
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.admin import messages
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.widgets.button import HeaderButton
from wagtail.permissions import register_permission_policy

import django_filters

from assessments.models import Competency
from learning.models import User
from learning.scope import is_active_staff

from ..cases import (
    CASES,
    MAX_TEXT_LENGTH,
    can_review,
    case_warning,
    cases_visible_to,
    record_case_viewed,
    return_case,
    review_case,
    review_queue,
)
from ..choices import CasePath, CaseService, CaseStatus, PerpetratorAge, ViolenceType
from ..links import cases_queue_url
from ..models import PracticeCase
from .queue import (
    FlowRecordViewSet,
    QueueFilterSet,
    QueueIndexView,
    ReadOnlyScopedPolicy,
    history_of,
    status_of,
    view_filter,
)

FLAGGED = "ya"
REVIEW = "tinjau"
RETURN = "kembalikan"

register_permission_policy(
    PracticeCase, ReadOnlyScopedPolicy(PracticeCase, scope=cases_visible_to)
)


def cases_in_admin(user) -> QuerySet[PracticeCase]:
    """What the admin lists and opens: the cases `user` may read, once handed in.

    A draft is still the trainee's own work in progress; it reaches the
    supervisor when it is submitted.
    """
    return PracticeCase.objects.filter(
        pk__in=cases_visible_to(user).values("pk")
    ).exclude(status=CaseStatus.DRAFT)


def _types_text():
    # The JSON list as text, the same on SQLite and PostgreSQL: ["fisik", "seksual"].
    return Cast("violence_types", output_field=TextField())


def with_violence_type(queryset, violence_type: str):
    return queryset.annotate(_types_text=_types_text()).filter(
        _types_text__contains=f'"{violence_type}"'
    )


def flagged(queryset):
    """The cases `case_warning` flags (UU 12/2022 pasal 23), as a query.

    The same condition as `mentorship.cases.settlement_warning`; a test holds
    the two together.
    """
    return with_violence_type(queryset, ViolenceType.SEXUAL).filter(
        perpetrator_age=PerpetratorAge.ADULT,
        path__in=[CasePath.NON_LITIGATION, CasePath.BOTH],
    )


def month_label(case: PracticeCase) -> str:
    return date_format(datetime.date(case.year, case.month, 1), "F Y")


def labels(values, choices) -> str:
    names = dict(choices)
    return ", ".join(str(names.get(value, value)) for value in values) or "–"


def violence_types_label(case: PracticeCase) -> str:
    return labels(case.violence_types, ViolenceType.choices)


# The index: filters, columns, the supervisor's default view


class PracticeCaseFilterSet(QueueFilterSet):
    tampilkan = view_filter(
        queue_label=gettext_lazy("Menunggu tinjauan saya"),
        everything_label=gettext_lazy("Semua kasus praktik yang dapat saya baca"),
    )
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"),
        choices=[
            choice for choice in CaseStatus.choices if choice[0] != CaseStatus.DRAFT
        ],
        empty_label=gettext_lazy("Semua"),
        widget=forms.RadioSelect,
    )
    jenis = django_filters.ChoiceFilter(
        label=gettext_lazy("Jenis kekerasan"),
        choices=ViolenceType.choices,
        empty_label=gettext_lazy("Semua jenis"),
        method="filter_violence_type",
    )
    jalur = django_filters.ChoiceFilter(
        label=gettext_lazy("Jalur penyelesaian"),
        field_name="path",
        choices=CasePath.choices,
        empty_label=gettext_lazy("Semua jalur"),
    )
    tanda = django_filters.ChoiceFilter(
        label=gettext_lazy("Tanda UU TPKS pasal 23"),
        choices=[(FLAGGED, gettext_lazy("Hanya yang ditandai"))],
        empty_label=gettext_lazy("Semua"),
        widget=forms.RadioSelect,
        method="filter_flagged",
    )
    peserta = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Peserta"),
        field_name="trainee",
        queryset=lambda request: User.objects.filter(
            pk__in=cases_in_admin(request.user).values("trainee")
        ).order_by("first_name", "last_name", "username"),
    )

    class Meta:
        model = PracticeCase
        fields = []

    def queue_of(self, user):
        return review_queue(user)

    def filter_violence_type(self, queryset, name, value):
        return with_violence_type(queryset, value) if value else queryset

    def filter_flagged(self, queryset, name, value):
        return flagged(queryset) if value == FLAGGED else queryset


class FlagColumn(Column):
    """A warning tag on the cases UU 12/2022 pasal 23 concerns."""

    cell_template_name = "mentorship/admin/cases/flag_cell.html"


class PracticeCaseIndexView(QueueIndexView):
    page_title = gettext_lazy("Kasus praktik")
    flow = CASES
    queue_empty = gettext_lazy("Tidak ada kasus praktik yang menunggu tinjauan kamu.")
    none_match = gettext_lazy("Tidak ada kasus praktik yang cocok.")

    def records(self):
        return cases_in_admin(self.request.user).select_related(
            "trainee", "placement__host", "kecamatan"
        )

    def order_queryset(self, queryset):
        if self.showing_queue and not self.is_explicitly_ordered:
            # The queue: the case waiting longest first.
            return queryset.order_by("created_at", "pk")
        return super().order_queryset(queryset)

    def get_list_more_buttons(self, instance):
        return []  # the month opens the case; there is nothing else to do here

    @cached_property
    def columns(self):
        title_column = self._get_title_column_class(TitleColumn)
        return [
            title_column(
                "month",
                label=_("Bulan"),
                accessor=month_label,
                get_url=self.get_inspect_url,
                get_title_id=lambda case: f"practicecase_{quote(case.pk)}_title",
            ),
            # Right after the month, so it stays in sight on a phone.
            self.status_column(),
            *self.trainee_and_host_columns(),
            Column(
                "kecamatan",
                label=_("Kecamatan"),
                accessor=lambda case: case.kecamatan.name,
            ),
            Column(
                "violence_types",
                label=_("Jenis kekerasan"),
                accessor=violence_types_label,
            ),
            Column(
                "path",
                label=_("Jalur"),
                accessor="get_path_display",
                sort_key="path",
            ),
            FlagColumn(
                "flag",
                label=_("Tanda"),
                accessor=lambda case: case_warning(case) is not None,
            ),
        ]

    @cached_property
    def header_buttons(self):
        if not is_active_staff(self.request.user):
            return []
        return [
            HeaderButton(
                _("Kasus praktik: angka"),
                url=reverse("mentorship_case_counts"),
                icon_name="table",
            )
        ]


# One case: read it, and review it if it waits for you


class ReviewForm(forms.Form):
    feedback = forms.CharField(
        label=gettext_lazy("Umpan balik untuk peserta"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=MAX_TEXT_LENGTH,
        help_text=gettext_lazy(
            "Wajib, juga bila dikembalikan: apa yang sudah baik, apa yang perlu "
            "diperbaiki. Jangan menulis nama, alamat atau ciri korban."
        ),
        error_messages={"required": gettext_lazy("Tulis umpan balik untuk peserta.")},
    )
    competencies = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Kompetensi yang ditunjukkan kasus ini"),
        queryset=Competency.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=gettext_lazy(
            "Dicatat saat ditandai sudah ditinjau, sebagai bukti untuk penilaian "
            "kompetensi peserta."
        ),
    )
    keputusan = forms.ChoiceField(
        choices=[(REVIEW, REVIEW), (RETURN, RETURN)],
        error_messages={
            "required": gettext_lazy(
                "Pilih “Tandai sudah ditinjau” atau “Kembalikan untuk diperbaiki”."
            ),
            "invalid_choice": gettext_lazy(
                "Pilih “Tandai sudah ditinjau” atau “Kembalikan untuk diperbaiki”."
            ),
        },
    )

    def clean_feedback(self):
        from ..narrative import narrative_problems

        feedback = self.cleaned_data["feedback"].strip()
        if not feedback:
            raise forms.ValidationError(_("Tulis umpan balik untuk peserta."))
        if problems := narrative_problems(feedback):
            raise forms.ValidationError(problems)
        return feedback


CASE_FIELDS = [
    "trainee",
    "placement",
    "when",
    "kecamatan",
    "violence_types",
    "victim_sex",
    "victim_age_group",
    "victim_disability",
    "perpetrator_relation",
    "perpetrator_age",
    "incident_place",
    "services",
    "path",
]
TEXT_FIELDS = ["trainee_role", "actions", "went_well", "was_hard", "learned"]
REVIEW_FIELDS = [
    "status",
    "supervisor_feedback",
    "competencies_shown",
    "reviewed_by",
    "reviewed_at",
]


class PracticeCaseReviewView(generic.InspectView):
    """The whole case, read-only; the review form for its supervisor while it waits."""

    template_name = "mentorship/admin/cases/review.html"
    fields = CASE_FIELDS + TEXT_FIELDS + REVIEW_FIELDS
    labels = {
        "when": gettext_lazy("Bulan dan tahun"),
        "trainee_role": gettext_lazy("Peran peserta dalam kasus ini"),
        "actions": gettext_lazy("Langkah yang diambil"),
        "went_well": gettext_lazy("Yang berjalan baik"),
        "was_hard": gettext_lazy("Yang sulit"),
        "learned": gettext_lazy("Yang dipelajari"),
    }

    def get_object(self, queryset=None):
        # Out of the reader's rule: as if it did not exist, whatever their role.
        case = (
            cases_in_admin(self.request.user)
            .select_related(
                "trainee",
                "placement__host",
                "placement__trainee",
                "kecamatan",
                "reviewed_by",
            )
            .filter(pk=self.pk)
            .first()
        )
        if case is None:
            raise Http404
        if self.request.method == "GET":
            record_case_viewed(
                case=case, actor=self.request.user, request=self.request, via="admin"
            )
        return case

    @cached_property
    def can_decide(self) -> bool:
        return self.object.status == CaseStatus.SUBMITTED and can_review(
            self.request.user, self.object
        )

    def get_page_title(self):
        if self.can_decide:
            return _("Tinjau kasus praktik")
        return _("Kasus praktik")

    def get_page_subtitle(self):
        return f"{self.object.trainee.display_name} · {month_label(self.object)}"

    def get_field_label(self, field_name, field):
        if field_name in self.labels:
            return self.labels[field_name]
        return super().get_field_label(field_name, field)

    def get_when_display_value(self):
        return month_label(self.object)

    def get_kecamatan_display_value(self):
        return self.object.kecamatan.label

    def get_violence_types_display_value(self):
        return violence_types_label(self.object)

    def get_services_display_value(self):
        return labels(self.object.services, CaseService.choices)

    def get_victim_disability_display_value(self):
        return {True: _("Ya"), False: _("Tidak")}.get(
            self.object.victim_disability, _("Tidak diketahui")
        )

    def get_supervisor_feedback_display_value(self):
        return linebreaksbr(self.object.supervisor_feedback) or "–"

    def get_competencies_shown_display_value(self):
        names = [competency.name for competency in self.object.competencies_shown.all()]
        return ", ".join(names) or "–"

    def get_reviewed_by_display_value(self):
        reviewer = self.object.reviewed_by
        return reviewer.display_name if reviewer else "–"

    def get_reviewed_at_display_value(self):
        return self.object.reviewed_at or "–"

    def get_field_display_value(self, field_name, field):
        if field_name in TEXT_FIELDS:
            return linebreaksbr(getattr(self.object, field_name)) or "–"
        return super().get_field_display_value(field_name, field)

    def get_fields_context(self):
        return []  # shown in sections instead (get_context_data)

    def post(self, request, *args, **kwargs):
        if not can_review(request.user, self.object):
            return TemplateResponse(
                request,
                "assessments/admin/forbidden.html",
                {"page_title": self.get_page_title(), "header_icon": "warning"},
                status=403,
            )
        if self.object.status != CaseStatus.SUBMITTED:
            messages.error(request, _("Catatan ini tidak sedang menunggu tinjauan."))
            return redirect(request.path)
        form = ReviewForm(request.POST)
        if form.is_valid():
            try:
                self.decide(form.cleaned_data)
            except ValidationError as error:
                # Decided in the meantime, or the rule refused.
                form.add_error(None, error.messages)
            else:
                return redirect(cases_queue_url())
        messages.error(request, _("Tinjauan belum disimpan. Perbaiki isian di bawah."))
        return self.render_to_response(self.get_context_data(form=form))

    def decide(self, data) -> None:
        case, supervisor = self.object, self.request.user
        if data["keputusan"] == REVIEW:
            review_case(
                case=case,
                supervisor=supervisor,
                feedback=data["feedback"],
                competencies=data["competencies"],
            )
            message = _("Kasus praktik %(case)s ditandai sudah ditinjau.")
        else:
            return_case(case=case, supervisor=supervisor, feedback=data["feedback"])
            message = _("Kasus praktik %(case)s dikembalikan kepada peserta.")
        messages.success(
            self.request,
            message % {"case": self.get_page_subtitle()}
            + " "
            + _("Peserta mendapat pemberitahuan."),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            case=self.object,
            warning=case_warning(self.object),
            sections=[
                (heading, [self.get_context_for_field(name) for name in names])
                for heading, names in (
                    (_("Kasus"), CASE_FIELDS),
                    (_("Tulisan peserta"), TEXT_FIELDS),
                    (_("Tinjauan"), REVIEW_FIELDS),
                )
            ],
            history=history_of(self.object),
            status=status_of(CASES, self.object),
            can_decide=self.can_decide,
            REVIEW=REVIEW,
            RETURN=RETURN,
        )
        if self.can_decide:
            context["form"] = kwargs.get("form") or ReviewForm()
        return context


class PracticeCaseViewSet(FlowRecordViewSet):
    """Read-only: the index, its results fragment and the review page."""

    model = PracticeCase
    icon = "clipboard-list"
    menu_label = gettext_lazy("Kasus praktik")
    url_prefix = "magang/kasus"
    index_view_class = PracticeCaseIndexView
    inspect_view_class = PracticeCaseReviewView
    inspect_view_fields = PracticeCaseReviewView.fields
    filterset_class = PracticeCaseFilterSet
    index_template_name = "mentorship/admin/cases/index.html"

    record_path = "<id:pk>/"


# The dashboard


class WaitingCasesPanel(Component):
    """On a supervisor's admin dashboard: how many cases wait for their review."""

    name = "magang_waiting_cases"
    template_name = "mentorship/admin/cases/waiting_panel.html"
    order = 91  # right after the hours waiting for verification

    def __init__(self, count: int):
        self.count = count

    def get_context_data(self, parent_context=None):
        return {"count": self.count, "url": cases_queue_url()}


def add_waiting_cases_panel(request, panels) -> None:
    count = review_queue(request.user).count()
    if count:
        panels.append(WaitingCasesPanel(count))
