from django import forms
from django.conf import settings
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils.cache import add_never_cache_headers
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .accounts import issue_one_time_password
from .bounds import parse_id
from .forms import OneTimePasswordForm
from .models import Cohort, PeopleImport
from .password_slips import Slip, slips_pdf
from .people_import import (
    BACKGROUND_AFTER,
    MAX_SLIPS,
    CohortNeeded,
    created_accounts,
    issue_first_password,
    issue_first_passwords,
    requeue_if_stuck,
    start_import,
)
from .people_sheet import COLUMNS, MAX_ROWS, UnreadableFile, template_workbook
from .scope import accounts_manageable_by, cohorts_managed_by
from .spreadsheets import RowProblems


def slips_response(request, issued: list) -> HttpResponse:
    """The printable slips for passwords issued by this very request.

    The PDF is the only place these passwords appear: it is made here, sent
    once and kept by no cache.
    """
    address = request.build_absolute_uri(resolve_url(settings.LOGIN_URL))
    pdf = slips_pdf(
        [
            Slip(name=account.display_name, username=account.username, password=pw)
            for account, pw in issued
        ],
        sign_in_address=address,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    # Opened to print, not saved: a file of passwords left in Downloads is a leak.
    response["Content-Disposition"] = 'inline; filename="slip-kata-sandi.pdf"'
    add_never_cache_headers(response)
    return response


class OneTimePasswordView(PermissionRequiredMixin, WagtailAdminTemplateMixin, FormView):
    """A facilitator gives a trainee without e-mail a password to replace."""

    permission_required = "learning.set_one_time_password"
    template_name = "learning/admin/one_time_password.html"
    form_class = OneTimePasswordForm
    page_title = _("Kata sandi sementara")
    header_icon = "key"
    breadcrumbs_items = [
        {"url": reverse_lazy("wagtailadmin_home"), "label": _("Beranda")},
        {"url": "", "label": _("Kata sandi sementara")},
    ]

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["queryset"] = accounts_manageable_by(self.request.user)
        return kwargs

    def form_valid(self, form):
        account = form.cleaned_data["account"]
        try:
            password = issue_one_time_password(
                account=account, issued_by=self.request.user
            )
        except PermissionDenied as error:
            form.add_error("account", str(error))
            return self.form_invalid(form)
        if "slip" in self.request.POST:
            return slips_response(self.request, [(account, password)])
        # Shown once, on this response only; never stored in clear.
        return self.render_to_response(
            self.get_context_data(
                form=self.get_form_class()(
                    queryset=accounts_manageable_by(self.request.user)
                ),
                issued_for=account,
                password=password,
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["action_url"] = reverse("learning_one_time_password")
        context["submit_button_label"] = _("Buat kata sandi sementara")
        return context


class ImportPeopleForm(forms.Form):
    sheet = forms.FileField(
        label=_("Berkas CSV atau XLSX"),
        help_text=_(
            "Pakai templat: satu baris per orang, judul kolom di baris pertama."
        ),
    )
    cohort = forms.ModelChoiceField(
        label=_("Daftarkan ke angkatan (boleh kosong)"),
        queryset=Cohort.objects.none(),
        required=False,
    )

    def __init__(self, *args, cohorts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = cohorts


class ImportPeopleView(PermissionRequiredMixin, WagtailAdminTemplateMixin, FormView):
    """Many accounts at once from a sheet; all rows or none."""

    permission_required = "learning.add_user"
    template_name = "learning/admin/import_people.html"
    form_class = ImportPeopleForm
    page_title = _("Impor orang")
    header_icon = "upload"
    breadcrumbs_items = [
        {"url": reverse_lazy("wagtailadmin_home"), "label": _("Beranda")},
        {"url": "", "label": _("Impor orang")},
    ]

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["cohorts"] = cohorts_managed_by(self.request.user)
        return kwargs

    def form_valid(self, form):
        try:
            job = start_import(
                upload=form.cleaned_data["sheet"],
                actor=self.request.user,
                cohort=form.cleaned_data["cohort"],
            )
        except CohortNeeded as error:
            form.add_error("cohort", str(error))
            return self.form_invalid(form)
        except (UnreadableFile, PermissionDenied) as error:
            form.add_error("sheet", str(error))
            return self.form_invalid(form)
        return redirect("learning_import_people_job", pk=job.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["action_url"] = reverse("learning_import_people")
        context["submit_button_label"] = _("Periksa dan impor")
        context["form_is_multipart"] = True
        context["columns"] = COLUMNS
        context["background_after"] = BACKGROUND_AFTER
        context["max_rows"] = MAX_ROWS
        context["recent_imports"] = PeopleImport.objects.filter(
            requested_by=self.request.user
        )[:5]
        return context


class PeopleImportJobView(
    PermissionRequiredMixin, WagtailAdminTemplateMixin, TemplateView
):
    """One import: its progress while it runs, then what it made or why not.

    Only the person who uploaded the sheet opens it.
    """

    permission_required = "learning.add_user"
    template_name = "learning/admin/people_import_job.html"
    page_title = _("Impor orang")
    header_icon = "upload"

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": _("Beranda")},
            {"url": reverse("learning_import_people"), "label": _("Impor orang")},
            {"url": "", "label": self.job.file_name or _("Impor")},
        ]

    @cached_property
    def job(self) -> PeopleImport:
        return get_object_or_404(
            PeopleImport.objects.select_related("cohort"),
            pk=self.kwargs["pk"],
            requested_by=self.request.user,
        )

    def post(self, request, *args, **kwargs):
        """Hand one account over: its temporary password, shown on this answer only.

        With `slip`, hand many over: their temporary passwords printed on
        slips, in the PDF this answer is.
        """
        if "slip" in request.POST:
            return self._slips(request)
        # parse_id, not str.isdigit: "²" is a digit to Python but no number.
        account_id = parse_id(request.POST.get("akun"))
        context = {}
        try:
            if account_id is None:
                raise PermissionDenied(_("Pilih akun dari daftar."))
            context["issued"] = issue_first_password(
                job=self.job, account_id=account_id, by=request.user
            )
        except PermissionDenied as error:
            context["issue_error"] = str(error)
        return self.render_to_response(self.get_context_data(**context))

    def _slips(self, request):
        chosen = [parse_id(value) for value in request.POST.getlist("akun")]
        try:
            if None in chosen:
                raise PermissionDenied(_("Pilih akun dari daftar."))
            issued = issue_first_passwords(
                job=self.job, account_ids=chosen, by=request.user
            )
        except PermissionDenied as error:
            return self.render_to_response(self.get_context_data(slip_error=str(error)))
        return slips_response(request, issued)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        job = requeue_if_stuck(job=self.job)
        accounts = created_accounts(job)
        # Ticked for the slips at first: those not handed over yet.
        waiting = [
            account.pk
            for account in accounts
            if account.last_login is None and not account.has_usable_password()
        ]
        context.update(
            job=job,
            problems=RowProblems.from_data(job.problems).grouped(),
            accounts=accounts,
            slip_ticked=set(waiting[:MAX_SLIPS]),
            max_slips=MAX_SLIPS,
        )
        return context


@permission_required("learning.add_user")
def import_template(request):
    response = HttpResponse(
        template_workbook(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="templat-impor-orang.xlsx"'
    return response
