"""Certificates in the admin: a listing, one certificate's page, revoking it,
and drawing its PDF again.

Staff see `certificates_visible_to`; the coordinators who certify its
programme (`certificates_managed_by`) revoke it (with a reason, through
`revoke_certificate`) and ask for its PDF again. Nobody adds, edits or
deletes a certificate here: issuing goes through the rule (the readiness
screens).
"""

from django import forms
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse, reverse_lazy
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView, View

from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import BaseListingView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

import django_filters

from learning.scope import programmes_visible_to

from ..certification import (
    REASON_MAX_LENGTH,
    CertificationError,
    certificate_status,
    certificates_managed_by,
    certificates_visible_to,
    rebuild_certificate_pdf,
    revoke_certificate,
    verification_path,
)
from ..choices import CertificateStatus
from ..models import Certificate
from .access import FacilitatorsOnly
from .results import HOME

CERTIFICATES = {
    "url": reverse_lazy("assessments_certificates"),
    "label": _("Sertifikat"),
}
FIRST_YEAR = 2000


def with_status(certificates: QuerySet[Certificate], status: str, today):
    """Certificates whose status today is `status` (as `certificate_status`)."""
    unverifiable = Q(unverifiable_since__isnull=False)
    revoked = Q(revoked_at__isnull=False)
    expired = Q(valid_until__lt=today)
    if status == CertificateStatus.UNVERIFIABLE:
        return certificates.filter(unverifiable)
    if status == CertificateStatus.REVOKED:
        return certificates.filter(revoked).exclude(unverifiable)
    if status == CertificateStatus.EXPIRED:
        return certificates.filter(expired).exclude(unverifiable | revoked)
    return certificates.exclude(unverifiable | revoked | expired)


def _year_choices():
    this_year = timezone.localdate().year
    return [(str(year), str(year)) for year in range(this_year, FIRST_YEAR - 1, -1)]


class CertificateFilterSet(WagtailFilterSet):
    programme = django_filters.ModelChoiceFilter(
        label=_("Program"),
        queryset=lambda request: programmes_visible_to(request.user).order_by("name"),
        empty_label=_("Semua program"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=CertificateStatus.choices,
        empty_label=_("Semua status"),
        method="filter_status",
    )
    tahun = django_filters.ChoiceFilter(
        label=_("Tahun terbit"),
        choices=_year_choices,
        empty_label=_("Semua tahun"),
        field_name="issued_on__year",
    )

    class Meta:
        model = Certificate
        fields = []

    def filter_status(self, queryset, name, value):
        if not value:
            return queryset
        return with_status(queryset, value, timezone.localdate())


def _status_label(certificate: Certificate) -> str:
    return CertificateStatus(certificate_status(certificate)).label


def _day(value) -> str:
    return date_format(value, "j F Y") if value else "—"


class CertificateIndexView(FacilitatorsOnly, BaseListingView):
    """Every certificate in scope, newest first, filtered by programme,
    status and year."""

    page_title = _("Sertifikat")
    header_icon = "doc-full"
    breadcrumbs_items = [HOME]
    index_url_name = "assessments_certificates"
    index_results_url_name = "assessments_certificates_results"
    filterset_class = CertificateFilterSet
    is_searchable = True
    search_fields = ["holder_name", "code", "programme_name"]
    search_backend_name = None
    paginate_by = 50
    verbose_name_plural = _("sertifikat")

    @property
    def columns(self):
        return [
            TitleColumn(
                "holder_name",
                label=_("Pemegang"),
                get_url=lambda certificate: reverse(
                    "assessments_certificate", args=[certificate.pk]
                ),
            ),
            Column("programme_name", label=_("Program")),
            Column(
                "issued_on",
                label=_("Terbit"),
                accessor=lambda certificate: _day(certificate.issued_on),
            ),
            Column(
                "valid_until",
                label=_("Berlaku sampai"),
                accessor=lambda certificate: (
                    _day(certificate.valid_until)
                    if certificate.valid_until
                    else gettext("Tanpa batas")
                ),
            ),
            Column("status", label=_("Status"), accessor=_status_label),
            Column("code", label=_("Kode")),
        ]

    def get_base_queryset(self):
        return certificates_visible_to(self.request.user).order_by("-issued_on", "-pk")


# --- one certificate ---------------------------------------------------------------


class RevocationForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan pencabutan"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=REASON_MAX_LENGTH,
        strip=False,  # revoke_certificate trims and judges it, NUL included
        required=False,
        help_text=_(
            "Wajib. Alasan disimpan dan hanya terlihat oleh staf; halaman "
            "verifikasi publik hanya menyebut bahwa sertifikat dicabut dan kapan."
        ),
    )


class CertificateMixin(FacilitatorsOnly, WagtailAdminTemplateMixin):
    header_icon = "doc-full"

    @cached_property
    def certificate(self) -> Certificate:
        return get_object_or_404(
            certificates_visible_to(self.request.user).select_related(
                "holder", "programme", "cohort", "issued_by", "revoked_by"
            ),
            pk=self.kwargs["pk"],
        )

    @cached_property
    def may_manage(self) -> bool:
        return (
            certificates_managed_by(self.request.user)
            .filter(pk=self.certificate.pk)
            .exists()
        )

    def detail_url(self) -> str:
        return reverse("assessments_certificate", args=[self.certificate.pk])

    def forbidden(self):
        """403, nothing changed: seeing a certificate is not managing it."""
        return TemplateResponse(
            self.request,
            "assessments/admin/forbidden.html",
            {"page_title": self.page_title, "header_icon": "warning"},
            status=403,
        )


class CertificateDetailView(CertificateMixin, TemplateView):
    """What the certificate rests on, its renewals, PDF and public address;
    the coordinators who manage it revoke it here."""

    template_name = "assessments/admin/certification/certificate.html"
    page_title = _("Sertifikat")

    def get_page_subtitle(self):
        return self.certificate.holder_name

    def get_breadcrumbs_items(self):
        return [HOME, CERTIFICATES, {"url": "", "label": str(self.certificate)}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        certificate = self.certificate
        status = certificate_status(certificate)
        context.update(
            certificate=certificate,
            status=status,
            status_label=CertificateStatus(status).label,
            basis=[
                {
                    "label": part.get("label") or key,
                    "progress": part.get("progress") or "",
                    "items": [str(item) for item in part.get("items") or []],
                }
                for key, part in (certificate.basis or {}).items()
                if isinstance(part, dict)
            ],
            renewals=list(certificate.renewals.order_by("renewed_on", "pk")),
            pdf_url=reverse("assessments:certificate_pdf", args=[certificate.pk]),
            verification_url=self.request.build_absolute_uri(
                verification_path(certificate)
            ),
            may_manage=self.may_manage,
            revocation_form=kwargs.get("revocation_form") or RevocationForm(),
            trainee_url=reverse(
                "assessments_certification_trainee", args=[certificate.holder_id]
            ),
        )
        return context


class RevokeCertificateView(CertificateMixin, TemplateView):
    """The revocation form's POST; a refused reason shows the page again."""

    template_name = CertificateDetailView.template_name
    page_title = _("Sertifikat")
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        if not self.may_manage:
            return self.forbidden()
        form = RevocationForm(request.POST)
        if self.certificate.revoked_at is not None:
            messages.success(request, gettext("Sertifikat ini sudah dicabut."))
            return redirect(self.detail_url())
        if form.is_valid():
            try:
                revoke_certificate(
                    certificate=self.certificate,
                    actor=request.user,
                    reason=form.cleaned_data["reason"],
                )
            except CertificationError as error:
                form.add_error("reason", str(error))
            else:
                messages.success(
                    request,
                    gettext("Sertifikat %(name)s dicabut.")
                    % {"name": self.certificate.holder_name},
                )
                return redirect(self.detail_url())
        messages.error(request, gettext("Sertifikat belum dicabut."))
        view = CertificateDetailView(request=request, args=args, kwargs=kwargs)
        view.certificate = Certificate.objects.get(pk=self.certificate.pk)
        return view.render_to_response(view.get_context_data(revocation_form=form))


class RebuildPdfView(CertificateMixin, View):
    http_method_names = ["post"]
    page_title = _("Buat ulang PDF")

    def post(self, request, *args, **kwargs):
        if not self.may_manage:
            return self.forbidden()
        try:
            rebuild_certificate_pdf(certificate=self.certificate, actor=request.user)
        except CertificationError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                gettext(
                    "PDF sertifikat sedang dibuat ulang. Muat ulang halaman ini "
                    "sebentar lagi."
                ),
            )
        return redirect(self.detail_url())


def admin_urls() -> list:
    return [
        path(
            "sertifikasi/sertifikat/",
            CertificateIndexView.as_view(),
            name="assessments_certificates",
        ),
        path(
            "sertifikasi/sertifikat/hasil/",
            CertificateIndexView.as_view(results_only=True),
            name="assessments_certificates_results",
        ),
        path(
            "sertifikasi/sertifikat/<id:pk>/",
            CertificateDetailView.as_view(),
            name="assessments_certificate",
        ),
        path(
            "sertifikasi/sertifikat/<id:pk>/cabut/",
            RevokeCertificateView.as_view(),
            name="assessments_certificate_revoke",
        ),
        path(
            "sertifikasi/sertifikat/<id:pk>/buat-ulang-pdf/",
            RebuildPdfView.as_view(),
            name="assessments_certificate_rebuild_pdf",
        ),
    ]
