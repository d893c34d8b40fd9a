"""Admin screens for paper logs: pick a placement, download its template,
upload the filled sheet (`mentorship.paper_log` reads and imports it).
"""

from django import forms
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse, reverse_lazy
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import FormView, View

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from assessments.admin.access import FacilitatorMenuItem, PermissionOr403Mixin
from learning.admin_imports import SheetUploadForm
from learning.scope import is_active_staff

from ..links import placement_entries_url
from ..models import Placement
from ..paper_import import import_paper_log
from ..paper_log import paper_log_template
from ..selectors import placements_visible_to

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# Admin screens


class PaperImportMixin(PermissionOr403Mixin, WagtailAdminTemplateMixin):
    """Facilitators and coordinators only; a placement out of scope is not found."""

    allowed = staticmethod(is_active_staff)
    header_icon = "upload"

    def dispatch(self, request, *args, **kwargs):
        if is_active_staff(request.user) and "pk" in kwargs:
            self.placement = get_object_or_404(
                placements_visible_to(request.user).select_related(
                    "trainee", "host", "supervisor"
                ),
                pk=kwargs["pk"],
            )
        return super().dispatch(request, *args, **kwargs)


class ChoosePlacementForm(forms.Form):
    penempatan = forms.ModelChoiceField(
        label=gettext_lazy("Penempatan"),
        queryset=Placement.objects.none(),
        empty_label=gettext_lazy("Pilih penempatan…"),
        error_messages={
            "invalid_choice": gettext_lazy(
                "Penempatan ini tidak ada atau di luar cakupan kamu."
            )
        },
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["penempatan"].queryset = (
            placements_visible_to(user)
            .select_related("trainee", "host")
            .order_by("trainee__first_name", "-start_date")
        )


class ChoosePlacementView(PaperImportMixin, FormView):
    """Which placement's paper log to import."""

    http_method_names = ["get"]
    template_name = "mentorship/admin/paper_import_choose.html"
    form_class = ChoosePlacementForm
    page_title = gettext_lazy("Impor catatan kertas")
    breadcrumbs_items = [
        {"url": reverse_lazy("wagtailadmin_home"), "label": gettext_lazy("Beranda")},
        {"url": "", "label": gettext_lazy("Impor catatan kertas")},
    ]

    def get_form_kwargs(self):
        kwargs = {"user": self.request.user}
        if "penempatan" in self.request.GET:
            kwargs["data"] = self.request.GET
        return kwargs

    def get(self, request, *args, **kwargs):
        form = self.get_form()
        if form.is_bound and form.is_valid():
            return redirect(
                "mentorship_paper_import_placement",
                pk=form.cleaned_data["penempatan"].pk,
            )
        return self.render_to_response(self.get_context_data(form=form))


class PaperLogForm(SheetUploadForm):
    sheet = forms.FileField(
        label=gettext_lazy("Catatan jam magang (XLSX)"),
        help_text=gettext_lazy("Templat yang diunduh dari halaman ini, sudah diisi."),
    )


class PaperImportView(PaperImportMixin, FormView):
    """A filled sheet for one placement, checked whole before anything is saved."""

    template_name = "mentorship/admin/paper_import.html"
    form_class = PaperLogForm
    page_title = gettext_lazy("Impor catatan kertas")

    def get_page_subtitle(self):
        return str(self.placement)

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": _("Beranda")},
            {
                "url": reverse("mentorship_placement:index"),
                "label": _("Penempatan magang"),
            },
            {
                "url": reverse("mentorship_placement:edit", args=[self.placement.pk]),
                "label": str(self.placement),
            },
            {"url": "", "label": self.page_title},
        ]

    def form_valid(self, form):
        report = import_paper_log(
            placement=self.placement,
            actor=self.request.user,
            content=form.cleaned_data["sheet"].read(),
        )
        return self.render_to_response(
            self.get_context_data(form=self.form_class(), report=report)
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = kwargs.get("report")
        context.update(
            placement=self.placement,
            action_url=reverse(
                "mentorship_paper_import_placement", args=[self.placement.pk]
            ),
            template_url=reverse("mentorship_paper_template", args=[self.placement.pk]),
            entries_url=placement_entries_url(self.placement),
            submit_button_label=_("Periksa dan impor"),
            form_is_multipart=True,
        )
        if report is not None and report.ok:
            context["created_message"] = (
                ngettext(
                    "%(count)s catatan jam magang diimpor dan menunggu verifikasi "
                    "pembimbing.",
                    "%(count)s catatan jam magang diimpor dan menunggu verifikasi "
                    "pembimbing.",
                    report.created,
                )
                % {"count": report.created}
                if report.created
                else _("Tidak ada catatan baru yang diimpor.")
            )
        return context


class PaperTemplateView(PaperImportMixin, View):
    page_title = gettext_lazy("Templat catatan jam magang")

    def get(self, request, *args, **kwargs):
        response = HttpResponse(paper_log_template(self.placement), content_type=XLSX)
        name = slugify(self.placement.trainee.display_name) or "peserta"
        response["Content-Disposition"] = (
            f'attachment; filename="catatan-magang-{name}.xlsx"'
        )
        return response


def register_paper_import_urls():
    return [
        path(
            "magang/impor/",
            ChoosePlacementView.as_view(),
            name="mentorship_paper_import",
        ),
        path(
            "magang/impor/<id:pk>/",
            PaperImportView.as_view(),
            name="mentorship_paper_import_placement",
        ),
        path(
            "magang/impor/<id:pk>/templat.xlsx",
            PaperTemplateView.as_view(),
            name="mentorship_paper_template",
        ),
    ]


def register_paper_import_menu_item():
    return FacilitatorMenuItem(
        gettext_lazy("Impor catatan kertas"),
        reverse("mentorship_paper_import"),
        icon_name="upload",
        order=900,
    )
