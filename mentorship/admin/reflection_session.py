"""A reflection session's own pages in the admin: the session (attendance,
follow-up actions, refreshers), entering a companion's reflection, importing
attendance from a sheet, the summary PDF.

Registered in `mentorship.wagtail_hooks`.
"""

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import FormView, TemplateView, View

from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from assessments.admin.access import PermissionOr403Mixin
from learning import audit
from learning.admin_imports import AttendanceImportMixin
from learning.bounds import parse_id
from learning.models import User
from learning.scope import (
    is_active_staff,
    people_visible_to,
)

from ..choices import CasePath, Obstacle, ReferralPartner
from ..forms.ids import IdsField
from ..forms.reflection import (
    ReflectionForm,
    apply_reflection_errors,
    reflection_initial,
)
from ..models import FollowUpAction, Reflection, RefresherAssignment
from ..reflection import (
    ReflectionExists,
    can_change_attendance,
    cohort_list,
    leads_session,
    save_reflection,
    session_totals,
    sessions_visible_to,
)
from ..reflection_attendance import (
    AttendanceError,
    attendance_locks,
    import_attendance,
    mark_present,
    record_attendance,
    unmark_attendance,
)
from ..reflection_outcomes import (
    add_follow_up,
    assign_refreshers,
    mark_follow_up_done,
    refresher_modules,
)
from ..reflection_pdf import summary_pdf
from .reflection import session_url


class SessionViewMixin(PermissionOr403Mixin, WagtailAdminTemplateMixin):
    """Facilitators and coordinators; a session out of scope is not found."""

    allowed = staticmethod(is_active_staff)
    header_icon = "group"

    def dispatch(self, request, *args, **kwargs):
        if is_active_staff(request.user):
            self.session = get_object_or_404(
                sessions_visible_to(request.user).select_related(
                    "programme", "organisation", "place"
                ),
                pk=kwargs["pk"],
            )
            self.leads = leads_session(request.user, self.session)
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.session)

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": _("Beranda")},
            {
                "url": reverse("reflection_session:index"),
                "label": _("Refleksi tahunan"),
            },
            {"url": session_url(self.session), "label": str(self.session)},
            {"url": "", "label": self.page_title},
        ]


class FollowUpForm(forms.Form):
    description = forms.CharField(label=gettext_lazy("Tindak lanjut"), max_length=300)
    owner = forms.ModelChoiceField(
        label=gettext_lazy("Penanggung jawab"), queryset=User.objects.none()
    )
    due_date = forms.DateField(
        label=gettext_lazy("Tenggat"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people_visible_to(user).order_by(
            "first_name", "username"
        )


class RefresherForm(forms.Form):
    people = IdsField(
        label=gettext_lazy("Peserta yang hadir"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    modules = IdsField(
        label=gettext_lazy("Modul penyegaran"),
        queryset=refresher_modules(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = session.attendees.order_by(
            "first_name", "username"
        )
        self.fields["modules"].queryset = refresher_modules()


def _labels(values, choices) -> str:
    names = dict(choices)
    return ", ".join(str(names.get(value, value)) for value in values) or "–"


class SessionView(SessionViewMixin, TemplateView):
    template_name = "mentorship/admin/reflection/session.html"
    page_title = gettext_lazy("Sesi refleksi")

    def get_page_subtitle(self):
        return str(self.session)

    def get_breadcrumbs_items(self):
        return super().get_breadcrumbs_items()[:-1]

    def reflections(self):
        rows = []
        for reflection in (
            Reflection.objects.filter(session=self.session)
            .select_related("person", "entered_by")
            .order_by("person__first_name", "person__username")
        ):
            reflection.cases = sum(item["count"] for item in reflection.case_counts)
            reflection.partner_labels = _labels(
                reflection.partners, ReferralPartner.choices
            )
            reflection.obstacle_labels = _labels(
                [item["category"] for item in reflection.obstacles], Obstacle.choices
            )
            rows.append(reflection)
        return rows

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        session = self.session
        attendees = list(session.attendees.order_by("first_name", "username"))
        attending = {person.pk for person in attendees}
        expected = list(cohort_list(session))
        locks = attendance_locks(session)
        for person in attendees:
            person.attendance_lock = locks.get(person.pk, "")
        context.update(
            session=session,
            leads=self.leads,
            changes_attendance=can_change_attendance(self.request.user, session),
            facilitators=list(session.facilitators.all()),
            attendees=attendees,
            not_yet=[person for person in expected if person.pk not in attending],
            totals=session_totals(session),
            reflections=self.reflections() if self.leads else None,
            follow_ups=list(session.follow_ups.select_related("owner")),
            refreshers=list(
                RefresherAssignment.objects.filter(session=session)
                .select_related("person", "module")
                .order_by("person__first_name", "module__title")
            ),
            follow_up_form=kwargs.get("follow_up_form")
            or FollowUpForm(user=self.request.user),
            refresher_form=kwargs.get("refresher_form")
            or RefresherForm(session=session),
            edit_url=reverse("reflection_session:edit", args=[session.pk]),
            import_url=reverse("mentorship_reflection_import", args=[session.pk]),
            entry_url=reverse("mentorship_reflection_entry", args=[session.pk]),
            pdf_url=reverse("mentorship_reflection_pdf", args=[session.pk]),
        )
        return context

    def post(self, request, *args, **kwargs):
        action = request.POST.get("aksi")
        handler = {
            "daftar_angkatan": self.add_cohort_list,
            "hadir": self.mark_one,
            "tidak_hadir": self.unmark_one,
            "tindak_lanjut": self.add_follow_up,
            "selesai": self.follow_up_done,
            "penyegaran": self.assign,
        }.get(action)
        if handler is None:
            messages.error(request, _("Tindakan ini tidak dikenal."))
            return redirect(session_url(self.session))
        return handler(request)

    def add_cohort_list(self, request):
        try:
            added = record_attendance(
                session=self.session, people=cohort_list(self.session), by=request.user
            )
        except AttendanceError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s peserta dicatat hadir.",
                    "%(count)s peserta dicatat hadir.",
                    added,
                )
                % {"count": added},
            )
        return redirect(session_url(self.session))

    def _one_person(self, request) -> User | None:
        """The person a per-row button names, from the cohort list or the
        attendees; None for anything else (a hand-typed id, letters)."""
        pk = parse_id(request.POST.get("peserta") or "")
        if pk is None:
            return None
        return (
            cohort_list(self.session).filter(pk=pk).first()
            or self.session.attendees.filter(pk=pk).first()
        )

    def _change_one(self, request, change, done: str):
        person = self._one_person(request)
        if person is None:
            messages.error(request, _("Peserta ini tidak ada di daftar sesi ini."))
            return redirect(session_url(self.session))
        try:
            change(session=self.session, person_id=person.pk, by=request.user)
        except AttendanceError as error:
            messages.error(request, str(error))
        else:
            # The same words for a repeat (a double click): the state is what
            # the button said.
            messages.success(request, done % {"name": person.display_name})
        return redirect(session_url(self.session))

    def mark_one(self, request):
        return self._change_one(request, mark_present, _("%(name)s dicatat hadir."))

    def unmark_one(self, request):
        return self._change_one(
            request, unmark_attendance, _("%(name)s dicatat tidak hadir.")
        )

    def add_follow_up(self, request):
        form = FollowUpForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                add_follow_up(
                    session=self.session, by=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                apply_reflection_errors(form, error)
            else:
                messages.success(request, _("Tindak lanjut ditambahkan."))
                return redirect(session_url(self.session))
        messages.error(
            request, _("Tindak lanjut belum disimpan. Perbaiki isian di bawah.")
        )
        return self.render_to_response(self.get_context_data(follow_up_form=form))

    def follow_up_done(self, request):
        action = FollowUpAction.objects.filter(
            session=self.session, pk=parse_id(request.POST.get("tindak_lanjut"))
        ).first()
        if action is None:
            raise Http404
        mark_follow_up_done(action=action, by=request.user)
        messages.success(request, _("Tindak lanjut ditandai selesai."))
        return redirect(session_url(self.session))

    def assign(self, request):
        form = RefresherForm(request.POST, session=self.session)
        if form.is_valid():
            try:
                count = assign_refreshers(
                    session=self.session,
                    people=form.cleaned_data["people"],
                    modules=form.cleaned_data["modules"],
                    by=request.user,
                )
            except ValidationError as error:
                apply_reflection_errors(form, error)
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(count)s tugas penyegaran baru.",
                        "%(count)s tugas penyegaran baru.",
                        count,
                    )
                    % {"count": count},
                )
                return redirect(session_url(self.session))
        messages.error(request, _("Tugas penyegaran belum disimpan. Perbaiki isian."))
        return self.render_to_response(self.get_context_data(refresher_form=form))


class EntryView(SessionViewMixin, TemplateView):
    """A facilitator of the session enters an attendee's reflection."""

    template_name = "mentorship/admin/reflection/entry.html"
    page_title = gettext_lazy("Isi refleksi peserta")

    def get(self, request, *args, **kwargs):
        if not self.leads:
            raise Http404
        return super().get(request, *args, **kwargs)

    @cached_property
    def person(self):
        pk = self.request.GET.get("peserta")
        if not pk or not str(pk).isdigit():
            return None
        return self.session.attendees.filter(pk=pk).first()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = kwargs.get("form")
        existing = None
        if self.person is not None:
            existing = Reflection.objects.filter(
                session=self.session, person=self.person
            ).first()
            if form is None:
                form = ReflectionForm(
                    initial=reflection_initial(existing)
                    if existing
                    else {"uuid": uuid.uuid4()}
                )
        context.update(
            session=self.session,
            person=self.person,
            existing=existing,
            form=form,
            paths=CasePath.choices,
            attendees=list(self.session.attendees.order_by("first_name", "username")),
            back_url=session_url(self.session),
        )
        return context

    def post(self, request, *args, **kwargs):
        if not self.leads or self.person is None:
            raise Http404
        form = ReflectionForm(request.POST)
        if form.is_valid():
            try:
                save_reflection(
                    person=self.person,
                    session=self.session,
                    uuid=form.cleaned_data["uuid"],
                    data=form.reflection_input(),
                    entered_by=request.user,
                )
            except ReflectionExists as error:
                messages.error(request, error.messages[0])
                return redirect(f"{request.path}?peserta={self.person.pk}")
            except ValidationError as error:
                apply_reflection_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Refleksi %(name)s tersimpan.")
                    % {"name": self.person.display_name},
                )
                return redirect(session_url(self.session))
        return self.render_to_response(self.get_context_data(form=form))


class ImportView(AttendanceImportMixin, SessionViewMixin, FormView):
    template_name = "mentorship/admin/reflection/import.html"
    sheet_help_text = gettext_lazy(
        "Kolom pertama berjudul 'username', satu peserta per baris."
    )
    # No template to download: people write the list themselves.
    from_template = False

    def import_sheet(self, content: bytes):
        return import_attendance(
            session=self.session, content=content, by=self.request.user
        )

    def get_success_url(self):
        return session_url(self.session)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            session=self.session,
            action_url=reverse("mentorship_reflection_import", args=[self.session.pk]),
            submit_button_label=_("Periksa dan impor"),
            form_is_multipart=True,
        )
        return context


class SummaryPdfView(SessionViewMixin, View):
    page_title = gettext_lazy("Unduh ringkasan (PDF)")

    def get(self, request, *args, **kwargs):
        session = self.session
        response = HttpResponse(summary_pdf(session), content_type="application/pdf")
        name = slugify(f"refleksi-{session.year}-{session.place.name}")
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
        audit.record_export(
            request,
            what="ringkasan-refleksi",
            file_format="pdf",
            target=session,
            programme=session.programme,
        )
        return response


def register_reflection_urls():
    return [
        path(
            "refleksi/<id:pk>/sesi/",
            SessionView.as_view(),
            name="mentorship_reflection_session",
        ),
        path(
            "refleksi/<id:pk>/isi/",
            EntryView.as_view(),
            name="mentorship_reflection_entry",
        ),
        path(
            "refleksi/<id:pk>/kehadiran/impor/",
            ImportView.as_view(),
            name="mentorship_reflection_import",
        ),
        path(
            "refleksi/<id:pk>/ringkasan.pdf",
            SummaryPdfView.as_view(),
            name="mentorship_reflection_pdf",
        ),
    ]
