"""Practice cases as numbers, for coordinators and facilitators: counts by
kind of violence, path and service for the programmes in their scope, never
a narrative or a name (`mentorship.cases.case_counts`).

Registered in `mentorship.wagtail_hooks`.
"""

from django import forms
from django.db.models import QuerySet
from django.urls import path, reverse, reverse_lazy
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from assessments.admin.access import FacilitatorMenuItem, PermissionOr403Mixin
from learning.models import Programme
from learning.scope import is_active_staff, programmes_visible_to

from ..cases import (
    case_counts,
)
from ..choices import CasePath, CaseStatus, ViolenceType


class ProgrammeForm(forms.Form):
    program = forms.ModelChoiceField(
        label=gettext_lazy("Program"),
        queryset=Programme.objects.none(),
        required=False,
        empty_label=gettext_lazy("Semua program dalam cakupan saya"),
    )

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programmes.order_by("name")


def count_rows(counted: dict[str, int], choices) -> list[tuple[str, int]]:
    """Every category in its usual order, zero included, so a table reads the same."""
    return [(label, counted.get(value, 0)) for value, label in choices]


class ProgrammeCountsView(
    PermissionOr403Mixin, WagtailAdminTemplateMixin, TemplateView
):
    """A page of counts over the programmes in the person's scope, or one of them."""

    allowed = staticmethod(is_active_staff)
    header_icon = "table"
    breadcrumbs_items = [
        {"url": reverse_lazy("wagtailadmin_home"), "label": gettext_lazy("Beranda")},
    ]

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def chosen_programmes(self) -> tuple[ProgrammeForm, Programme | None, QuerySet]:
        """The filter form, the programme chosen in it, and what to count over."""
        in_scope = programmes_visible_to(self.request.user)
        form = ProgrammeForm(self.request.GET or None, programmes=in_scope)
        chosen = form.cleaned_data["program"] if form.is_valid() else None
        return form, chosen, in_scope.filter(pk=chosen.pk) if chosen else in_scope


class CaseCountsView(ProgrammeCountsView):
    """How many practice cases, by status, violence type and path: never a narrative."""

    template_name = "mentorship/admin/cases/counts.html"
    page_title = gettext_lazy("Kasus praktik: angka")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, chosen, programmes = self.chosen_programmes()
        counts = case_counts(programmes=programmes)
        context.update(
            form=form,
            programme=chosen,
            counts=counts,
            by_status=count_rows(counts.by_status, CaseStatus.choices),
            by_violence_type=count_rows(counts.by_violence_type, ViolenceType.choices),
            by_path=count_rows(counts.by_path, CasePath.choices),
        )
        return context


def case_count_urls():
    return [
        path(
            "magang/kasus-angka/",
            CaseCountsView.as_view(),
            name="mentorship_case_counts",
        )
    ]


def case_counts_menu_item():
    return FacilitatorMenuItem(
        gettext_lazy("Kasus praktik: angka"),
        reverse("mentorship_case_counts"),
        icon_name="table",
        order=800,
    )
