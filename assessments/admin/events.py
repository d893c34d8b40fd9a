"""Admin screens for in-person workshops and their daily attendance.

The workshop itself is Wagtail's model viewset, listing and opening only the
workshops in `events_visible_to`; attendance has its own screens (a grid of
expected attendees by day, the paper sheet's template and import, and the
"studied in class" action), all calling `assessments.events`.
`assessments.wagtail_hooks` registers the viewset, the URLs and the scoped
permission policy.
"""

import datetime

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.generic import FormView, TemplateView, View

from wagtail.admin import messages
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import ObjectList
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton, ListingButton

from learning import audit
from learning.admin_imports import AttendanceImportMixin
from learning.admin_scope import KeepWhatIsInUseMixin, ScopedIndexMixin
from learning.choices import RegionLevel, Role
from learning.models import Organisation, User
from learning.region_field import RegionField
from learning.scope import (
    is_active_staff,
    organisations_visible_to,
    people_visible_to,
    programmes_visible_to,
)

from ..events import (
    AttendanceError,
    attendance_template,
    events_managed_by,
    events_visible_to,
    expected_attendees,
    import_attendance,
    mark_lessons_studied_in_class,
    save_attendance_grid,
)
from ..models import Attendance, TrainingEvent
from .access import PermissionOr403Mixin

PLACE_LEVELS = [RegionLevel.KABUPATEN, RegionLevel.KECAMATAN, RegionLevel.DESA]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# The workshop form and viewset


class TrainingEventForm(WagtailAdminModelForm):
    """The workshop, with choices limited to what the editor may see."""

    # Found by name or code, as every place in the admin is.
    place = RegionField(levels=PLACE_LEVELS, label=_("Tempat"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        if user is None or user.is_superuser:
            return
        self.fields["programme"].queryset = programmes_visible_to(user)
        # Keep people already chosen by someone with a wider view, so saving
        # this form never drops them silently.
        chosen = self.instance.pk and self.instance.facilitators.all()
        facilitators = people_visible_to(user).filter(
            groups__name=Role.FASILITATOR.value
        )
        self.fields["facilitators"].queryset = User.objects.filter(
            pk__in=list(facilitators.values_list("pk", flat=True))
            + [person.pk for person in chosen or []]
        ).order_by("first_name", "username")
        organisers = self.instance.pk and self.instance.organisers.all()
        self.fields["organisers"].queryset = Organisation.objects.filter(
            pk__in=list(organisations_visible_to(user).values_list("pk", flat=True))
            + [org.pk for org in organisers or []]
        )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error(
                "end_date", _("Tanggal selesai tidak boleh sebelum tanggal mulai.")
            )
        return cleaned


class InScopeMixin:
    """An event outside the editor's scope is not found, whatever the URL.

    `scope` is the change rule for edit, delete and usage; history only reads.
    """

    scope = staticmethod(events_managed_by)

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        if not self.scope(self.request.user).filter(pk=obj.pk).exists():
            raise Http404
        return obj


def _attendance_button(event, listing=True):
    url = reverse("assessments_event_attendance", args=[event.pk])
    label = _("Daftar hadir")
    if listing:
        return ListingButton(label, url=url, icon_name="tasks", priority=5)
    return HeaderButton(label, url=url, icon_name="tasks")


class TrainingEventIndexView(ScopedIndexMixin, generic.IndexView):
    def get_base_queryset(self):
        return events_visible_to(self.request.user).select_related("programme", "place")

    def get_list_buttons(self, instance):
        buttons = super().get_list_buttons(instance)
        if self._may_change(instance):
            return [_attendance_button(instance), *buttons]
        return buttons


class TrainingEventInspectView(InScopeMixin, generic.InspectView):
    scope = staticmethod(events_visible_to)


class TrainingEventEditView(InScopeMixin, generic.EditView):
    @property
    def header_buttons(self):
        return [_attendance_button(self.object, listing=False)]


class TrainingEventDeleteView(KeepWhatIsInUseMixin, InScopeMixin, generic.DeleteView):
    pass


class TrainingEventHistoryView(InScopeMixin, generic.HistoryView):
    scope = staticmethod(events_visible_to)

    pass


class TrainingEventUsageView(InScopeMixin, generic.UsageView):
    pass


class TrainingEventViewSet(ModelViewSet):
    model = TrainingEvent
    icon = "date"
    menu_label = _("Tatap muka")  # short enough for the sidebar
    add_to_admin_menu = True
    menu_order = 265
    url_prefix = "pelatihan"
    copy_view_enabled = False  # a copy would show an out-of-scope event's data
    index_view_class = TrainingEventIndexView
    inspect_view_enabled = True
    inspect_view_class = TrainingEventInspectView
    edit_view_class = TrainingEventEditView
    delete_view_class = TrainingEventDeleteView
    history_view_class = TrainingEventHistoryView
    usage_view_class = TrainingEventUsageView
    list_display = ["title", "programme", "start_date", "end_date", "place"]
    search_fields = ["title", "venue"]
    search_backend_name = None
    edit_handler = ObjectList(TrainingEvent.panels, base_form_class=TrainingEventForm)


# Attendance screens


class EventViewMixin(PermissionOr403Mixin, WagtailAdminTemplateMixin):
    """Facilitators and coordinators only; an event they do not run is not found.

    Every screen here writes (attendance, marking lessons studied) or hands
    out the cohort list, so it asks the change rule.
    """

    allowed = staticmethod(is_active_staff)
    header_icon = "date"

    def dispatch(self, request, *args, **kwargs):
        if is_active_staff(request.user):
            self.event = get_object_or_404(
                events_managed_by(request.user).select_related("programme", "place"),
                pk=kwargs["pk"],
            )
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.event.title

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": _("Beranda")},
            {
                "url": reverse("trainingevent:index"),
                "label": _("Pelatihan tatap muka"),
            },
            {
                "url": reverse("trainingevent:edit", args=[self.event.pk]),
                "label": self.event.title,
            },
            {"url": "", "label": self.page_title},
        ]

    def grid_url(self):
        return reverse("assessments_event_attendance", args=[self.event.pk])


class AttendanceGridView(EventViewMixin, TemplateView):
    """Who was there each day: expected attendees by days, saved in one go."""

    template_name = "assessments/admin/events/attendance.html"
    page_title = _("Daftar hadir")

    def rows(self, present: set[tuple[int, datetime.date]]):
        days = self.event.days
        return [
            {
                "person": person,
                "cells": [
                    {
                        "value": f"{person.pk}:{day.isoformat()}",
                        "checked": (person.pk, day) in present,
                        "day": day,
                    }
                    for day in days
                ],
            }
            for person in expected_attendees(self.event, self.request.user)
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        present = kwargs.get("present")
        if present is None:
            present = set(
                Attendance.objects.filter(event=self.event).values_list(
                    "trainee_id", "day"
                )
            )
        days = self.event.days
        context.update(
            event=self.event,
            days=days,
            rows=self.rows(present),
            totals=[sum(1 for _pk, day in present if day == d) for d in days],
            modules=list(self.event.modules.all()),
            action_url=self.grid_url(),
        )
        return context

    def post(self, request, *args, **kwargs):
        ticked: dict[datetime.date, set[int]] = {}
        try:
            for value in request.POST.getlist("present"):
                pk, day = value.split(":", 1)
                ticked.setdefault(datetime.date.fromisoformat(day), set()).add(int(pk))
            changed = save_attendance_grid(
                recorder=request.user, event=self.event, present=ticked
            )
        except (ValueError, AttendanceError) as error:
            message = (
                str(error)
                if isinstance(error, AttendanceError)
                else _("Isian daftar hadir rusak; muat ulang halaman lalu coba lagi.")
            )
            messages.error(request, message)
            shown = {(pk, day) for day, pks in ticked.items() for pk in pks}
            return self.render_to_response(self.get_context_data(present=shown))
        messages.success(
            request,
            ngettext(
                "Daftar hadir tersimpan (%(count)s perubahan).",
                "Daftar hadir tersimpan (%(count)s perubahan).",
                changed,
            )
            % {"count": changed},
        )
        return redirect(self.grid_url())


class AttendanceTemplateView(EventViewMixin, View):
    page_title = _("Templat daftar hadir")

    def get(self, request, *args, **kwargs):
        response = HttpResponse(
            attendance_template(self.event, request.user), content_type=XLSX
        )
        name = slugify(self.event.title) or "pelatihan"
        response["Content-Disposition"] = (
            f'attachment; filename="daftar-hadir-{name}.xlsx"'
        )
        audit.record_export(
            request,
            what="templat-daftar-hadir",
            file_format="xlsx",
            target=self.event,
            programme=self.event.programme,
        )
        return response


class ImportAttendanceView(AttendanceImportMixin, EventViewMixin, FormView):
    """A filled paper sheet, checked whole before anything is saved."""

    template_name = "assessments/admin/events/import_attendance.html"
    sheet_help_text = _("Templat yang diunduh dari halaman ini, sudah diisi.")

    def import_sheet(self, content: bytes):
        return import_attendance(
            recorder=self.request.user, event=self.event, content=content
        )

    def get_success_url(self):
        return self.grid_url()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            event=self.event,
            action_url=reverse(
                "assessments_event_attendance_import", args=[self.event.pk]
            ),
            template_url=reverse(
                "assessments_event_attendance_template", args=[self.event.pk]
            ),
            submit_button_label=_("Periksa dan impor"),
            form_is_multipart=True,
        )
        return context


class MarkStudiedInClassView(EventViewMixin, View):
    """Everyone who attended has studied the covered modules' lessons."""

    http_method_names = ["post"]
    page_title = _("Tandai pelajaran modul sebagai dipelajari di kelas")

    def post(self, request, *args, **kwargs):
        if not self.event.modules.exists():
            messages.error(
                request,
                _("Catat dulu modul yang dibahas di pelatihan ini, lalu coba lagi."),
            )
            return redirect(self.grid_url())
        try:
            count = mark_lessons_studied_in_class(
                event=self.event, recorder=request.user
            )
        except AttendanceError as error:
            messages.error(request, str(error))
            return redirect(self.grid_url())
        if count:
            messages.success(
                request,
                ngettext(
                    "%(count)s pelajaran tercatat dipelajari di kelas.",
                    "%(count)s pelajaran tercatat dipelajari di kelas.",
                    count,
                )
                % {"count": count},
            )
        else:
            messages.success(
                request,
                _("Tidak ada yang baru: pelajaran peserta yang hadir sudah tercatat."),
            )
        return redirect(self.grid_url())


def event_viewset() -> "TrainingEventViewSet":
    return TrainingEventViewSet("trainingevent")


def admin_urls() -> list:
    return [
        path(
            "pelatihan/<id:pk>/kehadiran/",
            AttendanceGridView.as_view(),
            name="assessments_event_attendance",
        ),
        path(
            "pelatihan/<id:pk>/kehadiran/templat.xlsx",
            AttendanceTemplateView.as_view(),
            name="assessments_event_attendance_template",
        ),
        path(
            "pelatihan/<id:pk>/kehadiran/impor/",
            ImportAttendanceView.as_view(),
            name="assessments_event_attendance_import",
        ),
        path(
            "pelatihan/<id:pk>/tandai-dipelajari/",
            MarkStudiedInClassView.as_view(),
            name="assessments_event_mark_studied",
        ),
    ]
