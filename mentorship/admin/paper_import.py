"""Admin screens for paper logs: pick a placement, download its template,
upload the filled sheet (`mentorship.paper_log` reads and imports it).

A supervisor without an account has no queue, so the result of an import
for such a placement offers the two ways on: a countersign link for the
entries just made (shown once, to send), or recording that the supervisor
signed the paper log (`PaperSignatureView`, which calls
`verification.record_paper_signature`).
"""

from urllib.parse import quote

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import FormView, View

from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from assessments.admin.access import FacilitatorMenuItem, PermissionOr403Mixin
from learning import audit
from learning.admin_imports import SheetUploadForm
from learning.scope import is_active_staff

from ..choices import EntryStatus
from ..forms.ids import IdsField
from ..hours import format_minutes
from ..links import placement_entries_url
from ..models import HourEntry, Placement
from ..paper_import import PaperImportReport, import_paper_log
from ..paper_log import paper_log_template
from ..selectors import placements_visible_to
from ..verification import create_countersign_link, may_sign_for, record_paper_signature

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
            self.get_context_data(
                form=self.form_class(),
                report=report,
                new_link=self.countersign_link(report),
            )
        )

    def countersign_link(self, report: PaperImportReport) -> dict | None:
        """A link for the entries just imported, when their supervisor has no
        account and the importer may act for them; shown once."""
        placement, user = self.placement, self.request.user
        if not (
            report.ok
            and report.entries
            and placement.has_outside_supervisor
            and may_sign_for(user, placement)
        ):
            return None
        try:
            link, token = create_countersign_link(
                trainee=placement.trainee,
                placement=placement,
                entries=report.entries,
                made_by=user,
            )
        except ValidationError:
            return None
        return share_link(self.request, link=link, token=token, count=report.created)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = kwargs.get("report")
        placement = self.placement
        context.update(
            placement=placement,
            action_url=reverse(
                "mentorship_paper_import_placement", args=[placement.pk]
            ),
            template_url=reverse("mentorship_paper_template", args=[placement.pk]),
            entries_url=placement_entries_url(placement),
            submit_button_label=_("Periksa dan impor"),
            form_is_multipart=True,
            outside=placement.has_outside_supervisor,
        )
        if placement.has_outside_supervisor and may_sign_for(
            self.request.user, placement
        ):
            sign_url = reverse("mentorship_paper_signature", args=[placement.pk])
            if report is not None and report.entries:
                # The entries just imported are the ones chosen on that page.
                sign_url += "?" + urlencode(
                    [("entri", entry.pk) for entry in report.entries]
                )
            context["sign_url"] = sign_url
        if report is not None and report.ok:
            context["created_message"] = self.created_message(report)
        return context

    def created_message(self, report: PaperImportReport) -> str:
        placement, count = self.placement, report.created
        if not count:
            return _("Tidak ada catatan baru yang diimpor.")
        if not placement.has_outside_supervisor:
            return ngettext(
                "%(count)s catatan jam magang diimpor dan menunggu verifikasi "
                "%(supervisor)s di antrean jam magangnya.",
                "%(count)s catatan jam magang diimpor dan menunggu verifikasi "
                "%(supervisor)s di antrean jam magangnya.",
                count,
            ) % {"count": count, "supervisor": placement.supervisor_label}
        return ngettext(
            "%(count)s catatan jam magang diimpor. Pembimbingnya, %(supervisor)s, "
            "tidak punya akun, jadi catatan ini tidak masuk antrean siapa pun: "
            "lakukan salah satu langkah di bawah.",
            "%(count)s catatan jam magang diimpor. Pembimbingnya, %(supervisor)s, "
            "tidak punya akun, jadi catatan ini tidak masuk antrean siapa pun: "
            "lakukan salah satu langkah di bawah.",
            count,
        ) % {"count": count, "supervisor": placement.supervisor_label}


def share_link(request, *, link, token: str, count: int) -> dict:
    """What the import's result shows of a new countersign link: the address
    to copy and a message to send with it."""
    placement = link.placement
    url = request.build_absolute_uri(reverse("mentorship:countersign", args=[token]))
    until = timezone.localtime(link.expires_at).strftime("%d-%m-%Y")
    message = _(
        "Salam %(supervisor)s, mohon periksa dan verifikasi jam magang %(trainee)s "
        "di %(host)s (%(count)s catatan dari catatan kertas) lewat tautan ini: "
        "%(url)s . Tautan berlaku sampai %(until)s. Terima kasih."
    ) % {
        "supervisor": placement.outside_supervisor_name or placement.supervisor_label,
        "trainee": placement.trainee.display_name,
        "host": placement.host.name,
        "count": count,
        "url": url,
        "until": until,
    }
    return {
        "url": url,
        "until": until,
        "count": count,
        "message": message,
        "whatsapp": f"https://wa.me/?text={quote(message)}",
    }


# Recording the supervisor's signature on the paper log


class PaperSignatureForm(forms.Form):
    entri = IdsField(
        label=gettext_lazy("Catatan yang ditandatangani"),
        queryset=HourEntry.objects.none(),
        error_messages={
            "required": gettext_lazy("Pilih sedikitnya satu catatan."),
            "invalid_choice": gettext_lazy(
                "Sebagian catatan yang dipilih bukan catatan penempatan ini."
            ),
            "invalid_pk_value": gettext_lazy(
                "Sebagian catatan yang dipilih bukan catatan penempatan ini."
            ),
        },
    )
    nama = forms.CharField(
        label=gettext_lazy("Nama pembimbing yang menandatangani"),
        max_length=120,
        error_messages={"required": gettext_lazy("Tulis nama penanda tangan.")},
    )
    jabatan = forms.CharField(
        label=gettext_lazy("Jabatan dan lembaga"),
        max_length=120,
        help_text=gettext_lazy("Misalnya: Bidan koordinator, Puskesmas Kota SoE."),
        error_messages={"required": gettext_lazy("Tulis jabatan dan lembaganya.")},
    )
    tanggal = forms.DateField(
        label=gettext_lazy("Tanggal tanda tangan di catatan kertas"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"],
        error_messages={
            "required": gettext_lazy("Isi tanggal tanda tangan di catatan kertas."),
            "invalid": gettext_lazy("Tulis tanggal seperti 17-11-2026."),
        },
    )
    pernyataan = forms.BooleanField(
        label=gettext_lazy(
            "Saya sudah melihat sendiri catatan kertas yang ditandatangani "
            "pembimbing ini, dan catatan yang dipilih di atas sama dengan isinya."
        ),
        error_messages={
            "required": gettext_lazy(
                "Centang pernyataan bahwa kamu sudah melihat catatan kertas "
                "bertanda tangan."
            )
        },
    )

    # The rule's keys, said on this form's fields.
    FIELDS = {
        "name": "nama",
        "position": "jabatan",
        "signed_on": "tanggal",
        "attested": "pernyataan",
    }

    def __init__(self, *args, placement: Placement, **kwargs):
        super().__init__(*args, **kwargs)
        # Any entry of the placement: one decided meanwhile (a second tap) is
        # skipped by the rule, not refused by the form.
        self.fields["entri"].queryset = placement.entries.all()


class PaperSignatureView(PaperImportMixin, FormView):
    """The facilitator records that the supervisor without an account signed
    the paper log: the chosen entries are verified in their name."""

    template_name = "mentorship/admin/paper_signature.html"
    form_class = PaperSignatureForm
    page_title = gettext_lazy("Catat tanda tangan di catatan kertas")
    header_icon = "check"

    def is_allowed(self, request) -> bool:
        return is_active_staff(request.user) and may_sign_for(
            request.user, self.placement
        )

    def get_page_subtitle(self):
        return str(self.placement)

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": _("Beranda")},
            {
                "url": reverse(
                    "mentorship_paper_import_placement", args=[self.placement.pk]
                ),
                "label": _("Impor catatan kertas"),
            },
            {"url": "", "label": self.page_title},
        ]

    def waiting(self) -> list[HourEntry]:
        return list(
            self.placement.entries.filter(status=EntryStatus.SUBMITTED).order_by(
                "date", "start_time", "pk"
            )
        )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "placement": self.placement}

    def get_initial(self):
        placement = self.placement
        position = ", ".join(
            part
            for part in (
                placement.outside_supervisor_position,
                placement.outside_supervisor_institution,
            )
            if part
        )
        chosen = self.request.GET.getlist("entri")
        return {
            "nama": placement.outside_supervisor_name,
            "jabatan": position,
            "entri": chosen or [entry.pk for entry in self.waiting()],
        }

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            verified = record_paper_signature(
                entries=data["entri"],
                facilitator=self.request.user,
                name=data["nama"],
                position=data["jabatan"],
                signed_on=data["tanggal"],
                attested=data["pernyataan"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for key, problems in error.message_dict.items():
                    form.add_error(form.FIELDS.get(key), problems)
            else:
                form.add_error(None, error.messages)
            return self.form_invalid(form)
        if verified:
            messages.success(
                self.request,
                ngettext(
                    "%(count)s catatan jam magang diverifikasi dari tanda tangan "
                    "%(signer)s di catatan kertas. Peserta mendapat pemberitahuan.",
                    "%(count)s catatan jam magang diverifikasi dari tanda tangan "
                    "%(signer)s di catatan kertas. Peserta mendapat pemberitahuan.",
                    len(verified),
                )
                % {"count": len(verified), "signer": data["nama"]},
            )
        else:
            messages.info(
                self.request,
                _(
                    "Catatan yang dipilih sudah diputuskan sebelumnya; tidak ada "
                    "yang diubah."
                ),
            )
        return redirect(placement_entries_url(self.placement))

    def form_invalid(self, form):
        messages.error(
            self.request, _("Tanda tangan belum dicatat. Perbaiki isian di bawah.")
        )
        return super().form_invalid(form)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        chosen = {str(value) for value in (form["entri"].value() or [])}
        entries = self.waiting()
        for entry in entries:
            entry.chosen = str(entry.pk) in chosen
            entry.duration = format_minutes(entry.minutes)
        context.update(
            placement=self.placement,
            entries=entries,
            entries_url=placement_entries_url(self.placement),
            submit_button_label=_("Catat tanda tangan dan verifikasi"),
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
        audit.record_export(
            request,
            what="templat-jam-kertas",
            file_format="xlsx",
            target=self.placement,
            subject=self.placement.trainee,
            programme=audit.programme_of(self.placement.trainee),
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
        path(
            "magang/impor/<id:pk>/tanda-tangan/",
            PaperSignatureView.as_view(),
            name="mentorship_paper_signature",
        ),
    ]


def register_paper_import_menu_item():
    return FacilitatorMenuItem(
        gettext_lazy("Impor catatan kertas"),
        reverse("mentorship_paper_import"),
        icon_name="upload",
        order=900,
    )
